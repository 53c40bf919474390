import type { BusinessCalendar, Instant } from '../calendar/business-calendar';
import type { Ticket } from '../tickets/ticket';
import { firstResponseMinutes } from './sla-policy';

export const TIMER_KINDS = ['warning', 'breach'] as const;
export type TimerKind = (typeof TIMER_KINDS)[number];

/** One timer of a ticket's first-response SLA; also the timer function's input. */
export interface SlaTimer {
  readonly ticketId: string;
  readonly customerId: string;
  readonly kind: TimerKind;
  /** ISO 8601 UTC, exact to the millisecond. */
  readonly dueAt: string;
}

/** The pre-breach warning goes out when this share of the business-time window is used. */
export const DEFAULT_WARNING_SHARE = 0.75;

/** Deadlines closer than this are checked at once rather than scheduled (timers run to the minute). */
export const SCHEDULING_HORIZON_MS = 60_000;

/** The timers an unanswered, open ticket needs: the warning and the breach. */
export function slaTimers(ticket: Ticket, calendar: BusinessCalendar, warningShare = DEFAULT_WARNING_SHARE): SlaTimer[] {
  if (ticket.firstRespondedAt !== undefined || ticket.status === 'closed') return [];
  if (!(warningShare > 0 && warningShare < 1)) throw new RangeError(`warning share must lie strictly between 0 and 1, not ${warningShare}`);
  const warningAt = calendar.addBusinessTime(ticket.openedAt, firstResponseMinutes(ticket.priority) * 60_000 * warningShare);
  const timer = (kind: TimerKind, at: Instant): SlaTimer => ({ ticketId: ticket.id, customerId: ticket.customerId, kind, dueAt: new Date(at).toISOString() });
  return [timer('warning', warningAt), timer('breach', ticket.firstResponseDueAt)];
}

/** Splits timers into those to schedule and those already due, or due within the horizon, to check now. */
export function planTimers(timers: readonly SlaTimer[], now: Instant): { schedule: SlaTimer[]; checkNow: SlaTimer[] } {
  const schedule: SlaTimer[] = [];
  const checkNow: SlaTimer[] = [];
  for (const timer of timers) (Date.parse(timer.dueAt) - now <= SCHEDULING_HORIZON_MS ? checkNow : schedule).push(timer);
  return { schedule, checkNow };
}

const NAME = /^[0-9a-zA-Z_.-]{1,64}$/;

/** A timer's schedule name: the same ticket and kind always give the same name, so writes are idempotent. */
export function timerName(ticketId: string, kind: TimerKind): string {
  const name = `sla-${ticketId}-${kind}`;
  if (!NAME.test(name)) throw new RangeError(`no valid schedule name for ticket ${ticketId}`);
  return name;
}
