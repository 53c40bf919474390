import type { ConsultancyService, TimeEntry } from './consultancy';
import { hoursOf } from './hours';
import { amountFor, formatAmount, type Rate } from './money';

/** A time entry as finance bills it: with its request, customer, service and the rate approved for it. */
export interface BillableEntry extends TimeEntry {
  readonly requestId: string;
  readonly customerId: string;
  readonly service: ConsultancyService;
  readonly rate: Rate;
}

/** One line of a month's bill: a customer's hours on one service at one approved rate. */
export interface BillableTotal {
  readonly customerId: string;
  readonly service: ConsultancyService;
  readonly rate: Rate;
  readonly quarters: number;
  /** In the rate's minor units, rounded once for the line. */
  readonly amount: number;
}

/**
 * A month's totals per customer and service. Work approved at different rates
 * (a rate change between two approvals) stays on separate lines, each at the
 * rate its approval carries, so no approved work is repriced.
 */
export function monthTotals(entries: readonly BillableEntry[]): BillableTotal[] {
  const lines = new Map<string, { customerId: string; service: ConsultancyService; rate: Rate; quarters: number }>();
  for (const entry of entries) {
    const key = JSON.stringify([entry.customerId, entry.service, entry.rate.currency, entry.rate.hourly]);
    const line = lines.get(key) ?? { customerId: entry.customerId, service: entry.service, rate: entry.rate, quarters: 0 };
    line.quarters += entry.quarters;
    lines.set(key, line);
  }
  const order = (a: BillableTotal, b: BillableTotal) =>
    a.customerId.localeCompare(b.customerId) || a.service.localeCompare(b.service) || a.rate.currency.localeCompare(b.rate.currency) || a.rate.hourly - b.rate.hourly;
  return [...lines.values()].map((line) => ({ ...line, amount: amountFor(line.rate, line.quarters) })).sort(order);
}

/** A bill line as finance reads it: hours, the rate and the amount as decimal strings in their currency. */
export function totalLine(t: BillableTotal) {
  return {
    customerId: t.customerId,
    service: t.service,
    billableHours: hoursOf(t.quarters),
    rate: formatAmount(t.rate.hourly, t.rate.currency),
    currency: t.rate.currency,
    amount: formatAmount(t.amount, t.rate.currency),
  };
}
