import { PRIORITIES, type Priority } from '../sla/sla-policy';

/** What a monthly figure is about: a ticket's customer and priority. */
interface Grouped {
  readonly customerId: string;
  readonly priority: Priority;
}

/** One group's running tally, and the figure it adds up to. */
interface Tally<O, F> {
  add(outcome: O): void;
  figure(): F;
}

/** A month's figures in every grouping a report shows: in all, per priority (every one), per customer, per customer and priority. */
export interface GroupedFigures<F> {
  readonly total: F;
  readonly byPriority: readonly ({ readonly priority: Priority } & F)[];
  readonly byCustomer: readonly ({ readonly customerId: string } & F)[];
  readonly byCustomerAndPriority: readonly ({ readonly customerId: string; readonly priority: Priority } & F)[];
}

/**
 * Adds outcomes up as they stream by, in each grouping at once: first responses
 * and resolutions are grouped alike, so they are counted alike.
 */
export class GroupedTally<O extends Grouped, F> {
  private readonly total: Tally<O, F>;
  private readonly priorities = new Map<Priority, Tally<O, F>>();
  private readonly customers = new Map<string, Tally<O, F>>();
  private readonly pairs = new Map<string, Tally<O, F>>();

  constructor(private readonly tally: () => Tally<O, F>) {
    this.total = tally();
  }

  add(outcome: O): void {
    const of = <K>(map: Map<K, Tally<O, F>>, key: K) => map.get(key) ?? map.set(key, this.tally()).get(key)!;
    this.total.add(outcome);
    of(this.priorities, outcome.priority).add(outcome);
    of(this.customers, outcome.customerId).add(outcome);
    of(this.pairs, `${outcome.customerId}\u0000${outcome.priority}`).add(outcome);
  }

  result(): GroupedFigures<F> {
    const rank = (p: Priority) => PRIORITIES.indexOf(p);
    return {
      total: this.total.figure(),
      // Every priority, even one with no ticket: a report shows what was promised.
      byPriority: PRIORITIES.map((priority) => ({ priority, ...(this.priorities.get(priority) ?? this.tally()).figure() })),
      byCustomer: [...this.customers].sort(([a], [b]) => a.localeCompare(b)).map(([customerId, t]) => ({ customerId, ...t.figure() })),
      byCustomerAndPriority: [...this.pairs]
        .map(([key, t]) => {
          const [customerId, priority] = key.split('\u0000') as [string, Priority];
          return { customerId, priority, ...t.figure() };
        })
        .sort((a, b) => a.customerId.localeCompare(b.customerId) || rank(a.priority) - rank(b.priority)),
    };
  }
}
