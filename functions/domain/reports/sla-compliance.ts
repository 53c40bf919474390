import type { BusinessCalendar, Instant } from '../calendar/business-calendar';
import { PRIORITIES, type Priority } from '../sla/sla-policy';
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

export interface SlaCompliance {
  readonly total: ComplianceFigure;
  readonly byPriority: readonly ({ readonly priority: Priority } & ComplianceFigure)[];
  readonly byCustomer: readonly ({ readonly customerId: string } & ComplianceFigure)[];
  /** Every customer's figure per priority: a customer's own report is its rows. */
  readonly byCustomerAndPriority: readonly ({ readonly customerId: string; readonly priority: Priority } & ComplianceFigure)[];
  readonly breaches: readonly TicketOutcome[];
}

/** First-response compliance of the tickets opened in a month, as of its end; fed page by page. */
export class ComplianceTally {
  private readonly total = new Tally();
  private readonly priorities = new Map<Priority, Tally>();
  private readonly customers = new Map<string, Tally>();
  private readonly pairs = new Map<string, Tally>();
  private readonly breaches: TicketOutcome[] = [];

  add(outcome: TicketOutcome): void {
    const tally = <K>(map: Map<K, Tally>, key: K) => map.get(key) ?? map.set(key, new Tally()).get(key)!;
    this.total.add(outcome);
    tally(this.priorities, outcome.priority).add(outcome);
    tally(this.customers, outcome.customerId).add(outcome);
    tally(this.pairs, `${outcome.customerId}\u0000${outcome.priority}`).add(outcome);
    if (outcome.state === 'breached') this.breaches.push(outcome);
  }

  result(): SlaCompliance {
    const rank = (p: Priority) => PRIORITIES.indexOf(p);
    return {
      total: this.total.figure(),
      // Every priority, even one with no ticket: a report shows what was promised.
      byPriority: PRIORITIES.map((priority) => ({ priority, ...(this.priorities.get(priority) ?? new Tally()).figure() })),
      byCustomer: [...this.customers].sort(([a], [b]) => a.localeCompare(b)).map(([customerId, t]) => ({ customerId, ...t.figure() })),
      byCustomerAndPriority: [...this.pairs]
        .map(([key, t]) => {
          const [customerId, priority] = key.split('\u0000') as [string, Priority];
          return { customerId, priority, ...t.figure() };
        })
        .sort((a, b) => a.customerId.localeCompare(b.customerId) || rank(a.priority) - rank(b.priority)),
      breaches: [...this.breaches].sort((a, b) => a.openedAt - b.openedAt || a.ticketId.localeCompare(b.ticketId)),
    };
  }
}
