import type { BusinessCalendar, Instant } from '../calendar/business-calendar';
import type { Ticket } from '../tickets/ticket';
import { isLate } from './sla-policy';
import { MAX_REARMS, type SlaTimer, slaTimers } from './sla-timers';

export type Firing =
  | { readonly action: 'raise'; readonly kind: SlaTimer['kind'] }
  | { readonly action: 'reschedule'; readonly timer: SlaTimer }
  | { readonly action: 'ignore'; readonly reason: string };

/**
 * What a timer firing means, decided from the ticket as it is now, so a firing
 * that comes early, late, twice, or after the deadline moved is harmless.
 * A breach is a matter of time: unanswered at the deadline, or answered at or after it.
 */
export function decideFiring(ticket: Ticket | undefined, timer: SlaTimer, now: Instant, calendar: BusinessCalendar, warningShare?: number): Firing {
  if (!ticket) return { action: 'ignore', reason: 'no such ticket' };
  const due = ticket.firstResponseDueAt;
  const answeredLate = ticket.firstRespondedAt !== undefined && isLate(ticket.firstRespondedAt, due);
  if (timer.kind === 'breach') {
    if (ticket.breachedAt !== undefined) return { action: 'ignore', reason: 'breach already recorded' };
    if (answeredLate) return { action: 'raise', kind: 'breach' };
    if (ticket.firstRespondedAt !== undefined) return { action: 'ignore', reason: 'answered in time' };
    if (ticket.status === 'closed' && !isLate(ticket.closedAt ?? 0, due)) return { action: 'ignore', reason: 'closed unanswered before the deadline' };
    if (!isLate(now, due)) return rearm(timer, currentTimer(ticket, 'breach', calendar, warningShare)!);
    return { action: 'raise', kind: 'breach' };
  }
  if (ticket.warningSentAt !== undefined) return { action: 'ignore', reason: 'warning already sent' };
  if (ticket.firstRespondedAt !== undefined || ticket.status === 'closed' || ticket.breachedAt !== undefined) {
    return { action: 'ignore', reason: 'no longer waiting for a first response' };
  }
  if (isLate(now, due)) return { action: 'ignore', reason: 'past the deadline: the breach alert covers it' };
  const warning = currentTimer(ticket, 'warning', calendar, warningShare)!;
  if (now < Date.parse(warning.dueAt)) return rearm(timer, warning);
  return { action: 'raise', kind: 'warning' };
}

/** The current timer to arm again; an early firing of that same deadline gets a fresh name. */
function rearm(fired: SlaTimer, current: SlaTimer): Firing {
  if (current.dueAt !== fired.dueAt) return { action: 'reschedule', timer: current };
  const rearmed = (fired.rearmed ?? 0) + 1;
  if (rearmed > MAX_REARMS) return { action: 'ignore', reason: `fired early ${MAX_REARMS} times; left to the sweep` };
  return { action: 'reschedule', timer: { ...current, rearmed } };
}

function currentTimer(ticket: Ticket, kind: SlaTimer['kind'], calendar: BusinessCalendar, warningShare?: number): SlaTimer | undefined {
  return slaTimers(ticket, calendar, warningShare).find((t) => t.kind === kind);
}
