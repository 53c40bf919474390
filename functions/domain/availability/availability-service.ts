import type { BusinessCalendar } from '../calendar/business-calendar';
import { monthBounds, parseMonth } from '../month';
import { type MonthAvailability, monthAvailability } from './availability';
import { measuredTarget, type ProbeTarget, type SampleStore } from './probe';
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

  /** The month to date (or whole, once it has ended), from the probe's samples and the service windows. */
  async month(target: string, month: string, asOf = this.deps.now()): Promise<MonthAvailability> {
    const measured = measuredTarget(target, this.deps.probeTargets);
    const local = parseMonth(month);
    const [from, to] = monthBounds(local, this.deps.calendar.timeZone);
    const [samples, windows] = await Promise.all([this.deps.samples.samples(measured, local), this.deps.windows.windowsOverlapping(from, to)]);
    return monthAvailability({ calendar: this.deps.calendar, month: local, target: measured, samples, windows, asOf });
  }
}
