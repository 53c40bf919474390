import { HYPERCARE_WARNING_SHARE, WARNING_SHARE } from '../contract';
import type { BusinessCalendar, Instant } from '../calendar/business-calendar';
import type { Ticket } from '../tickets/ticket';
import { firstResponseMinutes, heightened } from './sla-policy';

export const TIMER_KINDS = ['warning', 'breach'] as const;
export type TimerKind = (typeof TIMER_KINDS)[number];

/** One timer of a ticket's first-response SLA; also the timer function's input. */
export interface SlaTimer {
  readonly ticketId: string;
  readonly customerId: string;
  readonly kind: TimerKind;
  /** ISO 8601 UTC, exact to the millisecond. */
  readonly dueAt: string;
  /**
   * How often this deadline was re-armed by its own early firing. Each re-arm
   * gets a name of its own, so the firing schedule's pending self-deletion
   * cannot remove it.
   */
  readonly rearmed?: number;
  /** The request that armed it, so the timer function logs under the same correlation id. */
  readonly correlationId?: string;
}

/** Deadlines closer than this are checked at once rather than scheduled (timers run to the minute). */
const SCHEDULING_HORIZON_MS = 60_000;

/**
 * The sweep leaves a deadline to its timer for this long (Scheduler fires to
 * the minute). Run every minute, it then records a breach whose timer was lost
 * at most about two minutes late.
 */
const SWEEP_GRACE_MS = 60_000;

/** The latest deadline the sweep takes over from its timer at `now`: one due within the last minute is still the timer's. */
export const sweepCutoff = (now: Instant): Instant => now - SWEEP_GRACE_MS;

/** The most re-arms of one deadline a name can carry; an early firing happens once, not a hundred times. */
export const MAX_REARMS = 99;

/** The warning and breach timers of a ticket's current deadline, whatever its state. */
export function deadlineTimers(ticket: Ticket, calendar: BusinessCalendar, warningShare = WARNING_SHARE): SlaTimer[] {
  if (!(warningShare > 0 && warningShare < 1)) throw new RangeError(`warning share must lie strictly between 0 and 1, not ${warningShare}`);
  const warningAt = calendar.addBusinessTime(ticket.openedAt, firstResponseMinutes(ticket.priority) * 60_000 * warningShare);
  const timer = (kind: TimerKind, at: Instant): SlaTimer => ({ ticketId: ticket.id, customerId: ticket.customerId, kind, dueAt: new Date(at).toISOString() });
  return [timer('warning', warningAt), timer('breach', ticket.firstResponseDueAt)];
}

/** A deployment's warning shares: the usual one, and heightened tickets' (each defaults to the contract's). */
export interface WarningShares {
  readonly warningShare?: number;
  readonly hypercareWarningShare?: number;
}

/** The share of its window after which a ticket is warned: earlier for heightened tickets. */
export function warningShareOf(ticket: Pick<Ticket, 'hypercare' | 'priority'>, shares: WarningShares = {}): number {
  return heightened(ticket) ? (shares.hypercareWarningShare ?? HYPERCARE_WARNING_SHARE) : (shares.warningShare ?? WARNING_SHARE);
}

/** When an unanswered, open ticket's warning goes out (none once it is answered or closed). */
export function warningAt(ticket: Ticket, calendar: BusinessCalendar, shares: WarningShares = {}): Instant | undefined {
  const warning = slaTimers(ticket, calendar, warningShareOf(ticket, shares)).find((timer) => timer.kind === 'warning');
  return warning && Date.parse(warning.dueAt);
}

/** The timers an unanswered, open ticket needs: the warning and the breach. */
export function slaTimers(ticket: Ticket, calendar: BusinessCalendar, warningShare = WARNING_SHARE): SlaTimer[] {
  if (ticket.firstRespondedAt !== undefined || ticket.status === 'closed') return [];
  return deadlineTimers(ticket, calendar, warningShare);
}

/** Splits timers into those to schedule and those already due, or due within the horizon, to check now. */
export function planTimers(timers: readonly SlaTimer[], now: Instant): { schedule: SlaTimer[]; checkNow: SlaTimer[] } {
  const schedule: SlaTimer[] = [];
  const checkNow: SlaTimer[] = [];
  for (const timer of timers) (Date.parse(timer.dueAt) - now <= SCHEDULING_HORIZON_MS ? checkNow : schedule).push(timer);
  return { schedule, checkNow };
}

const NAME = /^[0-9a-zA-Z_.-]{1,64}$/;

/**
 * A timer's schedule name: ticket, kind and deadline (and re-arm count), so
 * arming the same timer again is idempotent while a moved deadline, or a
 * re-arm, never reuses the name of a schedule that may still be deleting itself.
 */
export function timerName(timer: Pick<SlaTimer, 'ticketId' | 'kind' | 'dueAt' | 'rearmed'>): string {
  const due = new Date(timer.dueAt).toISOString().replace(/[-:.]/g, '');
  const name = `sla-${timer.ticketId}-${timer.kind}-${due}${timer.rearmed ? `-r${timer.rearmed}` : ''}`;
  if (!NAME.test(name)) throw new RangeError(`no valid schedule name for ticket ${timer.ticketId}`);
  return name;
}
