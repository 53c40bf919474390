import { type GroupedFigures, GroupedTally } from './grouped-tally';
import type { BusinessCalendar, Instant } from '../calendar/business-calendar';
import type { Priority } from '../sla/sla-policy';
import { RESOLUTION_TARGET_DAYS, type ResolutionTargets, resolutionOf, resolutionTargetMinutes, resolvedInstant } from '../tickets/resolution';
import type { Ticket } from '../tickets/ticket';
import { type MinuteCounts, nearestRank } from './sla-compliance';

/** One ticket's resolution as of the month's end: resolved by then or not, and how long it took in business minutes. */
export interface ResolutionOutcome {
  readonly customerId: string;
  readonly priority: Priority;
  readonly targetMinutes: number;
  /** Set when resolved by the month's end. */
  readonly businessMinutes?: number;
  readonly withinTarget?: boolean;
}

/**
 * The resolution as of `at`: a resolution after it is not known yet. The
 * ticket keeps only its last resolution, so one resolved in the month and
 * reopened after it reads as unresolved in a report made after the reopen.
 */
export function resolutionAsOf(ticket: Ticket, at: Instant, calendar: BusinessCalendar, targets: ResolutionTargets = RESOLUTION_TARGET_DAYS): ResolutionOutcome {
  const resolvedAt = resolvedInstant(ticket);
  const known = resolvedAt !== undefined && resolvedAt <= at;
  const r = resolutionOf(ticket, at, calendar, targets);
  return {
    customerId: ticket.customerId,
    priority: ticket.priority,
    targetMinutes: r.targetMinutes,
    ...(known ? { businessMinutes: r.businessMinutes!, withinTarget: r.withinTarget! } : {}),
  };
}

/** Opened, resolved by the month's end, resolution times (nearest rank, whole business minutes), and how many within the priority's target. */
export interface ResolutionFigure {
  readonly opened: number;
  readonly resolved: number;
  readonly medianResolutionMinutes: number | null;
  readonly p90ResolutionMinutes: number | null;
  /** Null in a customer's own report: the targets are the provider's. */
  readonly withinTarget: number | null;
  /** 100 × within target / resolved; null while none is resolved (and in a customer's report). */
  readonly percentWithinTarget: number | null;
}

class Tally {
  opened = 0;
  resolved = 0;
  within = 0;
  private readonly minutes = new Map<number, number>();

  add(outcome: ResolutionOutcome): void {
    this.opened++;
    if (outcome.businessMinutes === undefined) return;
    this.resolved++;
    if (outcome.withinTarget) this.within++;
    const whole = Math.floor(outcome.businessMinutes);
    this.minutes.set(whole, (this.minutes.get(whole) ?? 0) + 1);
  }

  figure(): ResolutionFigure {
    const counts: MinuteCounts = this.minutes;
    return {
      opened: this.opened,
      resolved: this.resolved,
      medianResolutionMinutes: nearestRank(counts, 0.5),
      p90ResolutionMinutes: nearestRank(counts, 0.9),
      withinTarget: this.within,
      percentWithinTarget: this.resolved === 0 ? null : (100 * this.within) / this.resolved,
    };
  }
}

export interface ResolutionFigures extends Omit<GroupedFigures<ResolutionFigure>, 'byPriority'> {
  /** Every priority, with its target in business minutes (null in a customer's report). */
  readonly byPriority: readonly ({ readonly priority: Priority; readonly targetMinutes: number | null } & ResolutionFigure)[];
}

/** Resolution of the tickets opened in a month, as of its end; fed page by page like the first responses. */
export class ResolutionTally {
  private readonly groups = new GroupedTally<ResolutionOutcome, ResolutionFigure>(() => new Tally());

  constructor(private readonly targets: ResolutionTargets = RESOLUTION_TARGET_DAYS) {}

  add(outcome: ResolutionOutcome): void {
    this.groups.add(outcome);
  }

  result(): ResolutionFigures {
    const figures = this.groups.result();
    return { ...figures, byPriority: figures.byPriority.map(({ priority, ...figure }) => ({ priority, targetMinutes: resolutionTargetMinutes(priority, this.targets), ...figure })) };
  }
}

/** A customer's own resolution figures: its rows, with the provider's targets and verdicts left out. */
export function resolutionSlice(figures: ResolutionFigures, customerId: string): ResolutionFigures {
  const internal = { withinTarget: null, percentWithinTarget: null };
  const pairs = figures.byCustomerAndPriority.filter((r) => r.customerId === customerId).map((r) => ({ ...r, ...internal }));
  const mine = figures.byCustomer.find((r) => r.customerId === customerId);
  const none = new Tally().figure();
  const figure = <T extends ResolutionFigure>({ opened, resolved, medianResolutionMinutes, p90ResolutionMinutes }: T) => ({
    opened,
    resolved,
    medianResolutionMinutes,
    p90ResolutionMinutes,
    ...internal,
  });
  return {
    total: figure(mine ?? none),
    byPriority: figures.byPriority.map(({ priority }) => ({ priority, targetMinutes: null, ...figure(pairs.find((p) => p.priority === priority) ?? none) })),
    byCustomer: mine ? [{ customerId, ...figure(mine) }] : [],
    byCustomerAndPriority: pairs,
  };
}
