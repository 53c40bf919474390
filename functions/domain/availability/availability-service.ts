import type { BusinessCalendar } from '../calendar/business-calendar';
import { monthBounds, monthOf, parseMonth } from '../month';
import { type MonthAvailability, monthAvailability, type PeriodAvailability, periodAvailability } from './availability';
import { measuredTarget, type ProbeTarget, type SampleStore, targetNames } from './probe';
import type { ServiceWindowStore } from './service-windows';

/** A month's availability of a measured target, as the API shows it and the monthly report will count it. */
export class AvailabilityService {
  constructor(
    private readonly deps: {
      readonly samples: SampleStore;
      readonly windows: ServiceWindowStore;
      readonly calendar: BusinessCalendar;
      readonly now: () => number;
      readonly probeTargets: readonly Pick<ProbeTarget, 'name'>[];
    },
  ) {}

  /** What the probe measures, in its order. */
  targets(): string[] {
    return targetNames(this.deps.probeTargets);
  }

  /** The month to date (or whole, once it has ended), from the probe's samples and the service windows. */
  async month(target: string, month: string, asOf = this.deps.now(), since?: number): Promise<MonthAvailability> {
    const measured = measuredTarget(target, this.deps.probeTargets);
    const local = parseMonth(month);
    const [from, to] = monthBounds(local, this.deps.calendar.timeZone);
    const [samples, windows] = await Promise.all([this.deps.samples.samples(measured, local), this.deps.windows.windowsOverlapping(from, to)]);
    return monthAvailability({ calendar: this.deps.calendar, month: local, target: measured, samples, windows, asOf, ...(since === undefined ? {} : { since }) });
  }

  /** From `from` to `asOf` (a week to date), across the months it touches. */
  async period(target: string, from: number, asOf = this.deps.now()): Promise<PeriodAvailability> {
    const { timeZone } = this.deps.calendar;
    const months: string[] = [];
    const last = monthOf(asOf, timeZone);
    // 'YYYY-MM' sorts as it runs; the next month begins where this one ends.
    for (let month = monthOf(from, timeZone); month <= last; month = monthOf(monthBounds(month, timeZone)[1], timeZone)) months.push(month);
    const parts = await Promise.all(months.map((month) => this.month(target, month, asOf, from)));
    return periodAvailability(measuredTarget(target, this.deps.probeTargets), from, asOf, parts);
  }
}
