import { DateTime } from 'luxon';
import type { BusinessCalendar, Explanation, Instant } from '../calendar/business-calendar';
import type { Ticket } from '../tickets/ticket';
import type { AlertMessage } from '../notifications/alerts';
import { writeLetter } from '../notifications/message-text';
import { counted, dateText, minutesText, PRIORITY_NAMES, timeText } from '../wording';
import { DEFINITIONS_OF_USAGE, firstResponseMinutes, type Priority } from './sla-policy';
import type { TimerKind } from './sla-timers';

export interface AlertAudience {
  /** The provider's on-call list. */
  readonly onCall: readonly string[];
  /** The customer's alert contacts; breaches only. */
  readonly customerContacts: readonly string[];
  readonly hypercare: boolean;
}

const definitionOf = (priority: Priority) => Object.values(DEFINITIONS_OF_USAGE).find((d) => d.priority === priority)!.definition;

/** The deadline as people read it: 08:30, or with the date when it is not today. */
function clock(calendar: BusinessCalendar, at: Instant, now: Instant): string {
  const local = DateTime.fromMillis(at, { zone: calendar.timeZone });
  return local.hasSame(DateTime.fromMillis(now, { zone: calendar.timeZone }), 'day') ? local.toFormat('HH:mm') : local.toFormat('d LLL HH:mm');
}

/** How the deadline was reached, a line a day: "Thu 4 Jun 2026: 30 minutes counted (15:30–16:00)", in whole minutes and times without seconds. */
function explanationLines(explanation: Explanation): string[] {
  return explanation.days.map((d) =>
    d.status === 'counted'
      ? `${dateText(d.date)}: ${minutesText(d.businessMinutes)} counted (${d.from.slice(0, 5)}–${d.to.slice(0, 5)})`
      : `${dateText(d.date)}: ${d.status === 'closed' ? 'closed' : 'outside business hours'} (${d.reason})`,
  );
}

/**
 * The messages for one alert. A warning goes to the provider only, by email
 * and SNS. A breach is two letters: the desk's (on-call by email, the breach
 * topic by SNS), saying what to do now, and the customer's alert contacts' own,
 * saying what happened, that the desk is on it, and where to follow the ticket.
 */
export function alertMessages(ticket: Ticket, kind: TimerKind, now: Instant, calendar: BusinessCalendar, audience: AlertAudience, consoleUrl?: string): AlertMessage[] {
  const name = PRIORITY_NAMES[ticket.priority];
  const due = ticket.firstResponseDueAt;
  const promise = `first response within ${businessHours(firstResponseMinutes(ticket.priority) / 60)}`;
  const left = Math.max(0, Math.round(firstResponseMinutes(ticket.priority) - calendar.businessTimeBetween(ticket.openedAt, now) / 60_000));
  const onCall = [...new Set(audience.onCall)];
  // A contact who is also on call reads the desk's letter.
  const contacts = kind === 'breach' ? [...new Set(audience.customerContacts)].filter((c) => !onCall.includes(c)) : [];
  const subject =
    kind === 'breach'
      ? `[SLA breach] ${ticket.id} ${name}: first response overdue since ${clock(calendar, due, now)} (Copenhagen)`
      : `[SLA warning] ${ticket.id} ${name}: first response due at ${clock(calendar, due, now)} (Copenhagen), ${counted(left, 'business minute')} left`;
  const action =
    kind === 'breach'
      ? `Answer ${ticket.id} now: its first response was due ${timeText(due, calendar.timeZone)}. ${contacts.length ? "The customer's alert contacts have been told that the desk is on it." : 'The customer has no alert contacts, so no one there has been told.'}`
      : `Answer ${ticket.id} before ${timeText(due, calendar.timeZone)}: ${counted(left, 'business minute')} of its first-response time ${left === 1 ? 'is' : 'are'} left.`;
  const explanation = calendar.explain(ticket.openedAt, firstResponseMinutes(ticket.priority) * 60_000);
  const desk = writeLetter(
    {
      subject,
      action,
      link: { text: 'Open the ticket', route: `#/tickets/${ticket.id}` },
      facts: [
        ['Ticket', `${ticket.id}: ${ticket.title}`],
        ['Customer', ticket.customerId],
        ['Priority', `${name} (${definitionOf(ticket.priority)}), ${promise}`],
        ['Opened', timeText(ticket.openedAt, calendar.timeZone)],
        ['First response due', timeText(due, calendar.timeZone)],
        ...(ticket.firstRespondedAt === undefined ? [] : ([['First response', timeText(ticket.firstRespondedAt, calendar.timeZone)]] as const)),
        ['In hypercare', audience.hypercare ? 'Yes' : 'No'],
      ],
      sections: [{ title: 'How the deadline was reached, in business hours (Copenhagen time)', lines: explanationLines(explanation) }],
    },
    consoleUrl,
  );
  const base = { about: { type: 'ticket' as const, id: ticket.id }, customerId: ticket.customerId, priority: ticket.priority, hypercare: audience.hypercare };
  const messages: AlertMessage[] = [
    ...(onCall.length ? [{ ...base, kind, id: `${ticket.id}:${kind}:email`, channel: 'email' as const, subject, body: desk.body, html: desk.html, recipients: onCall }] : []),
    { ...base, kind, id: `${ticket.id}:${kind}:sns`, channel: 'sns', subject, body: desk.body },
  ];
  if (contacts.length === 0) return messages;
  // A kind of its own: its own id, and its own item beside the desk's in the breach's transaction.
  const customer = customerBreachLetter(ticket, `${name}, ${promise}`, calendar, consoleUrl);
  return [
    ...messages,
    { ...base, kind: 'breach-notice', id: `${ticket.id}:breach-notice:email`, channel: 'email', subject: customer.subject, body: customer.body, html: customer.html, recipients: contacts },
  ];
}

/** The customer's letter on a breach: what happened, that the desk is on it, and where to follow the ticket; nothing for them to do. */
function customerBreachLetter(ticket: Ticket, priority: string, calendar: BusinessCalendar, consoleUrl: string | undefined) {
  return writeLetter(
    {
      subject: `[${ticket.id}] Our first response is late: the support desk is on it`,
      action: `Follow ${ticket.id} in the console: our first response to it was due ${timeText(ticket.firstResponseDueAt, calendar.timeZone)} and is late, and the support desk has been told to answer it now.`,
      link: { text: 'Open your ticket', route: `#/tickets/${ticket.id}` },
      facts: [
        ['Ticket', `${ticket.id}: ${ticket.title}`],
        ['Priority', priority],
        ['Opened', timeText(ticket.openedAt, calendar.timeZone)],
        ['First response due', timeText(ticket.firstResponseDueAt, calendar.timeZone)],
      ],
      closing: ["You need do nothing more: the answer comes on the ticket. The late response is recorded, and shows in the month's report."],
    },
    consoleUrl,
  );
}

/** "1 business hour", "4 business hours". */
export function businessHours(hours: number): string {
  return `${hours} business ${hours === 1 ? 'hour' : 'hours'}`;
}
