import { type GroupedFigures, GroupedTally } from './grouped-tally';
import type { BusinessCalendar, Instant } from '../calendar/business-calendar';
import type { Priority } from '../sla/sla-policy';
import { slaOf, type Ticket } from '../tickets/ticket';

/** A ticket as it stood at an instant: what happened later is not known yet. */
function ticketAsOf(ticket: Ticket, at: Instant): Ticket {
  const { firstRespondedAt, breachedAt, closedAt, ...rest } = ticket;
  return {
    ...rest,
    ...(firstRespondedAt !== undefined && firstRespondedAt <= at ? { firstRespondedAt } : {}),
    ...(breachedAt !== undefined && breachedAt <= at ? { breachedAt } : {}),
    ...(closedAt !== undefined && closedAt <= at ? { closedAt } : {}),
  };
}

/** One ticket's first-response outcome at the month's end, in business minutes. */
export interface TicketOutcome {
  readonly ticketId: string;
  readonly customerId: string;
  readonly priority: Priority;
  readonly openedAt: Instant;
  readonly dueAt: Instant;
  readonly state: 'met' | 'breached' | 'running';
  /** Set when the first response came by the month's end. */
  readonly respondedAt?: Instant;
  readonly firstResponseMinutes?: number;
  /** How late, for a breach: business minutes past the deadline, to the response (or the month's end). */
  readonly lateMinutes?: number;
}

/** The outcome as of `at` (the month's end), by the one SLA rule (`slaOf`), so a report made later says the same. */
export function outcomeAsOf(ticket: Ticket, at: Instant, calendar: BusinessCalendar): TicketOutcome {
  const then = ticketAsOf(ticket, at);
  const sla = slaOf(then, at, calendar);
  return {
    ticketId: ticket.id,
    customerId: ticket.customerId,
    priority: ticket.priority,
    openedAt: ticket.openedAt,
    dueAt: ticket.firstResponseDueAt,
    state: sla.state,
    ...(then.firstRespondedAt !== undefined ? { respondedAt: then.firstRespondedAt, firstResponseMinutes: sla.usedMinutes } : {}),
    ...(sla.state === 'breached' ? { lateMinutes: Math.max(0, sla.usedMinutes - sla.targetMinutes) } : {}),
  };
}

/** Opened, met, breached and running, % met of those decided, and first-response times. */
interface ComplianceFigure {
  readonly opened: number;
  readonly met: number;
  readonly breached: number;
  readonly running: number;
  /** 100 × met / (met + breached); null while none is decided. */
  readonly percentMet: number | null;
  /** Of the first responses given: nearest-rank median and 90th percentile, in whole business minutes. */
  readonly medianFirstResponseMinutes: number | null;
  readonly p90FirstResponseMinutes: number | null;
}

/** Whole business minutes and how many first responses took that long: exact percentiles in memory bounded by the longest wait, not the ticket count. */
export type MinuteCounts = ReadonlyMap<number, number>;

/** Nearest rank: the smallest value with at least p of the values at or below it. */
export function nearestRank(counts: MinuteCounts, p: number): number | null {
  const total = [...counts.values()].reduce((n, c) => n + c, 0);
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(p * total));
  let seen = 0;
  for (const minutes of [...counts.keys()].sort((a, b) => a - b)) {
    seen += counts.get(minutes)!;
    if (seen >= rank) return minutes;
  }
  return null;
}

/** Adds outcomes up as they stream by: counts, and the response times the percentiles need. */
class Tally {
  opened = 0;
  met = 0;
  breached = 0;
  running = 0;
  private readonly minutes = new Map<number, number>();

  add(outcome: TicketOutcome): void {
    this.opened++;
    this[outcome.state]++;
    if (outcome.firstResponseMinutes !== undefined) {
      // Whole minutes, as the report shows them.
      const whole = Math.floor(outcome.firstResponseMinutes);
      this.minutes.set(whole, (this.minutes.get(whole) ?? 0) + 1);
    }
  }

  figure(): ComplianceFigure {
    const decided = this.met + this.breached;
    return {
      opened: this.opened,
      met: this.met,
      breached: this.breached,
      running: this.running,
      percentMet: decided === 0 ? null : (100 * this.met) / decided,
      medianFirstResponseMinutes: nearestRank(this.minutes, 0.5),
      p90FirstResponseMinutes: nearestRank(this.minutes, 0.9),
    };
  }
}

/** The month's first-response figures in every grouping (a customer's own report is its rows), and its breaches. */
export interface SlaCompliance extends GroupedFigures<ComplianceFigure> {
  readonly breaches: readonly TicketOutcome[];
}

/** First-response compliance of the tickets opened in a month, as of its end; fed page by page. */
export class ComplianceTally {
  private readonly groups = new GroupedTally<TicketOutcome, ComplianceFigure>(() => new Tally());
  private readonly breaches: TicketOutcome[] = [];

  add(outcome: TicketOutcome): void {
    this.groups.add(outcome);
    if (outcome.state === 'breached') this.breaches.push(outcome);
  }

  result(): SlaCompliance {
    return {
      ...this.groups.result(),
      breaches: [...this.breaches].sort((a, b) => a.openedAt - b.openedAt || a.ticketId.localeCompare(b.ticketId)),
    };
  }
}
