import { CONTRACT_ZONE } from '../contract';
import { DateTime } from 'luxon';
import type { BusinessCalendar, Instant } from '../calendar/business-calendar';
import type { Ticket } from '../tickets/ticket';
import type { AlertChannel, AlertMessage } from '../notifications/alerts';
import { DEFINITIONS_OF_USAGE, firstResponseMinutes, type Priority } from './sla-policy';
import type { TimerKind } from './sla-timers';

export interface AlertAudience {
  /** The provider's on-call list. */
  readonly onCall: readonly string[];
  /** The customer's alert contacts; breaches only. */
  readonly customerContacts: readonly string[];
  readonly hypercare: boolean;
}

const PRIORITY_NAMES: Record<Priority, string> = { highest: 'Highest', high: 'High', medium: 'Medium', low: 'Low', lowest: 'Lowest' };

const definitionOf = (priority: Priority) => Object.values(DEFINITIONS_OF_USAGE).find((d) => d.priority === priority)!.definition;

/** The deadline as people read it: 08:30, or with the date when it is not today. */
function clock(calendar: BusinessCalendar, at: Instant, now: Instant): string {
  const local = DateTime.fromMillis(at, { zone: calendar.timeZone });
  return local.hasSame(DateTime.fromMillis(now, { zone: calendar.timeZone }), 'day') ? local.toFormat('HH:mm') : local.toFormat('d LLL HH:mm');
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The messages for one alert, one per channel. Breaches go to the on-call list
 * and the customer's contacts; warnings to the provider only.
 */
export function alertMessages(ticket: Ticket, kind: TimerKind, now: Instant, calendar: BusinessCalendar, audience: AlertAudience): AlertMessage[] {
  const name = PRIORITY_NAMES[ticket.priority];
  const due = ticket.firstResponseDueAt;
  const left = Math.max(0, Math.round(firstResponseMinutes(ticket.priority) - calendar.businessTimeBetween(ticket.openedAt, now) / 60_000));
  const subject =
    kind === 'breach'
      ? `[SLA breach] ${ticket.id} ${name}: first response overdue since ${clock(calendar, due, now)} (Copenhagen)`
      : `[SLA warning] ${ticket.id} ${name}: first response due at ${clock(calendar, due, now)} (Copenhagen), ${left} business minutes left`;
  const explanation = calendar.explain(ticket.openedAt, firstResponseMinutes(ticket.priority) * 60_000);
  const facts: [string, string][] = [
    ['Ticket', `${ticket.id}: ${ticket.title}`],
    ['Customer', ticket.customerId],
    ['Priority', `${name} (${definitionOf(ticket.priority)}), first response within ${businessHours(firstResponseMinutes(ticket.priority) / 60)}`],
    ['Opened', calendar.iso(ticket.openedAt)],
    ['First response due', calendar.iso(due)],
    ...(ticket.firstRespondedAt === undefined ? [] : ([['First response', calendar.iso(ticket.firstRespondedAt)]] as [string, string][])),
    ['Hypercare', audience.hypercare ? 'yes' : 'no'],
  ];
  const body = [subject, '', ...facts.map(([k, v]) => `${k}: ${v}`), '', `How the deadline was reached (business hours, ${CONTRACT_ZONE}):`, ...explanation.lines.map((l) => `  ${l}`)].join('\n');
  const html = [
    `<h2>${escapeHtml(subject)}</h2>`,
    `<table>${facts.map(([k, v]) => `<tr><th align="left">${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join('')}</table>`,
    `<p>How the deadline was reached (business hours, ${CONTRACT_ZONE}):</p>`,
    `<ul>${explanation.lines.map((l) => `<li>${escapeHtml(l)}</li>`).join('')}</ul>`,
  ].join('\n');
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
    body,
    ...(channel === 'email' ? { html, recipients } : {}),
  });
  return recipients.length ? [message('email'), message('sns')] : [message('sns')];
}

/** "1 business hour", "4 business hours". */
export function businessHours(hours: number): string {
  return `${hours} business ${hours === 1 ? 'hour' : 'hours'}`;
}
