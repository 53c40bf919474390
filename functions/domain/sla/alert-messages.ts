import { DateTime } from 'luxon';
import type { BusinessCalendar, Explanation, Instant } from '../calendar/business-calendar';
import type { Ticket } from '../tickets/ticket';
import type { AlertChannel, AlertMessage } from '../notifications/alerts';
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
 * The messages for one alert, one per channel. Breaches go to the on-call list
 * and the customer's contacts; warnings to the provider only.
 */
export function alertMessages(ticket: Ticket, kind: TimerKind, now: Instant, calendar: BusinessCalendar, audience: AlertAudience, consoleUrl?: string): AlertMessage[] {
  const name = PRIORITY_NAMES[ticket.priority];
  const due = ticket.firstResponseDueAt;
  const left = Math.max(0, Math.round(firstResponseMinutes(ticket.priority) - calendar.businessTimeBetween(ticket.openedAt, now) / 60_000));
  const subject =
    kind === 'breach'
      ? `[SLA breach] ${ticket.id} ${name}: first response overdue since ${clock(calendar, due, now)} (Copenhagen)`
      : `[SLA warning] ${ticket.id} ${name}: first response due at ${clock(calendar, due, now)} (Copenhagen), ${counted(left, 'business minute')} left`;
  const action =
    kind === 'breach'
      ? `Support desk: answer ${ticket.id} now, its first response was due ${timeText(due, calendar.timeZone)}. Customer contacts: the desk is on it, and the ticket shows its progress.`
      : `Answer ${ticket.id} before ${timeText(due, calendar.timeZone)}: ${counted(left, 'business minute')} of its first-response time ${left === 1 ? 'is' : 'are'} left.`;
  const explanation = calendar.explain(ticket.openedAt, firstResponseMinutes(ticket.priority) * 60_000);
  const letter = writeLetter(
    {
      subject,
      action,
      link: { text: 'Open the ticket', route: `#/tickets/${ticket.id}` },
      facts: [
        ['Ticket', `${ticket.id}: ${ticket.title}`],
        ['Customer', ticket.customerId],
        ['Priority', `${name} (${definitionOf(ticket.priority)}), first response within ${businessHours(firstResponseMinutes(ticket.priority) / 60)}`],
        ['Opened', timeText(ticket.openedAt, calendar.timeZone)],
        ['First response due', timeText(due, calendar.timeZone)],
        ...(ticket.firstRespondedAt === undefined ? [] : ([['First response', timeText(ticket.firstRespondedAt, calendar.timeZone)]] as const)),
        ['In hypercare', audience.hypercare ? 'Yes' : 'No'],
      ],
      sections: [{ title: 'How the deadline was reached, in business hours (Copenhagen time)', lines: explanationLines(explanation) }],
    },
    consoleUrl,
  );
  const recipients = [...new Set(kind === 'breach' ? [...audience.onCall, ...audience.customerContacts] : audience.onCall)];
  const message = (channel: AlertChannel): AlertMessage => ({
    id: `${ticket.id}:${kind}:${channel}`,
    channel,
    kind,
    about: { type: 'ticket', id: ticket.id },
    customerId: ticket.customerId,
    priority: ticket.priority,
    hypercare: audience.hypercare,
    subject,
    body: letter.body,
    ...(channel === 'email' ? { html: letter.html, recipients } : {}),
  });
  return recipients.length ? [message('email'), message('sns')] : [message('sns')];
}

/** "1 business hour", "4 business hours". */
export function businessHours(hours: number): string {
  return `${hours} business ${hours === 1 ? 'hour' : 'hours'}`;
}
