import type { BusinessCalendar, Instant } from '../calendar/business-calendar';
import { PRIORITIES, type Priority } from '../sla/sla-policy';
import type { Ticket, TicketStatus } from './ticket';

const MINUTE = 60_000;

/** A business day is the contract's 8 business hours (08:00–16:00). */
export const BUSINESS_DAY_MINUTES = 8 * 60;

/**
 * Resolution targets per priority, in business days: the desk's own standard
 * for the contract's "standardized criticality approach", internal to the
 * provider (agents read "resolve by"; no customer is alerted). A stage may set
 * others (context `resolutionTargets`, variable RESOLUTION_TARGETS).
 */
export const RESOLUTION_TARGET_DAYS: ResolutionTargets = { highest: 1, high: 3, medium: 5, low: 10, lowest: 20 };

export type ResolutionTargets = Readonly<Record<Priority, number>>;

/**
 * Targets as a stage writes them, `highest=1,high=3`: business days (halves and
 * such allowed) per priority, each left out keeping its default. Refuses
 * anything else, so a typo stops a function at start rather than measuring wrong.
 */
export function parseResolutionTargets(text: string | undefined): ResolutionTargets {
  const targets: Record<Priority, number> = { ...RESOLUTION_TARGET_DAYS };
  for (const part of (text ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [name, value, ...extra] = part.split('=').map((s) => s.trim());
    const days = Number(value);
    if (!(PRIORITIES as readonly string[]).includes(name!) || extra.length || value === '' || !(days > 0 && days <= 250)) {
      throw new RangeError(`resolution targets are priority=business days (more than 0, at most 250), comma-separated, e.g. highest=1,high=3: not "${part}"`);
    }
    targets[name as Priority] = days;
  }
  return targets;
}

/** Targets as a stage's functions read them (the inverse of `parseResolutionTargets`). */
export const resolutionTargetsText = (targets: ResolutionTargets): string => PRIORITIES.map((p) => `${p}=${targets[p]}`).join(',');

/** A priority's resolution target in business minutes. */
export const resolutionTargetMinutes = (priority: Priority, targets: ResolutionTargets = RESOLUTION_TARGET_DAYS): number => targets[priority] * BUSINESS_DAY_MINUTES;

/** What a ticket keeps so its resolution time is read without its event trail: earlier waits on the customer, and the current one. */
export type WaitingClock = Pick<Ticket, 'waitedMs' | 'waitingSince'>;

/**
 * The customer's clock across a status change at `now`: a wait starts on
 * entering `waiting_on_customer`, and on leaving it (for any status) its
 * business time joins the earlier waits.
 */
export function waitingAfter(ticket: Ticket, to: TicketStatus, now: Instant, calendar: BusinessCalendar): WaitingClock {
  const waitedMs = ticket.waitedMs ?? 0;
  if (to === 'waiting_on_customer') return { ...(waitedMs ? { waitedMs } : {}), waitingSince: ticket.waitingSince ?? now };
  const ended = ticket.waitingSince === undefined ? 0 : calendar.businessTimeBetween(ticket.waitingSince, now);
  return waitedMs + ended ? { waitedMs: waitedMs + ended } : {};
}

/**
 * When a ticket counts as resolved: its last resolution (a reopen cleared any
 * earlier one), or, for one closed without being resolved, its closing.
 */
export const resolvedInstant = (ticket: Pick<Ticket, 'resolvedAt' | 'closedAt'>): Instant | undefined => ticket.resolvedAt ?? ticket.closedAt;

/** Business milliseconds spent waiting on the customer up to `at`: the ended waits, and the current one so far. */
function waitedBy(ticket: Ticket, at: Instant, calendar: BusinessCalendar): number {
  const current = ticket.waitingSince === undefined || at <= ticket.waitingSince ? 0 : calendar.businessTimeBetween(ticket.waitingSince, at);
  return (ticket.waitedMs ?? 0) + current;
}

export interface Resolution {
  readonly resolvedAt?: Instant;
  /** Business minutes from opening to resolution, waits on the customer left out (exact, not rounded). */
  readonly businessMinutes?: number;
  readonly targetMinutes: number;
  /**
   * When the target runs out: opening plus the target plus the waits. While
   * the ticket waits on the customer, as if the wait ended at `now`: the
   * instant moves on with the wait.
   */
  readonly resolveBy: Instant;
  /** Resolved within its target (the target's last instant included); undefined while unresolved. */
  readonly withinTarget?: boolean;
}

/** A ticket's resolution against its priority's target, as seen at `now`. */
export function resolutionOf(ticket: Ticket, now: Instant, calendar: BusinessCalendar, targets: ResolutionTargets = RESOLUTION_TARGET_DAYS): Resolution {
  const targetMinutes = resolutionTargetMinutes(ticket.priority, targets);
  const resolvedAt = resolvedInstant(ticket);
  const waited = waitedBy(ticket, resolvedAt ?? Math.max(now, ticket.openedAt), calendar);
  const resolveBy = calendar.addBusinessTime(ticket.openedAt, targetMinutes * MINUTE + waited);
  if (resolvedAt === undefined) return { targetMinutes, resolveBy };
  const businessMinutes = Math.max(0, calendar.businessTimeBetween(ticket.openedAt, resolvedAt) - waited) / MINUTE;
  return { resolvedAt, businessMinutes, targetMinutes, resolveBy, withinTarget: businessMinutes <= targetMinutes };
}
