import { type LocalMonth, previousMonth } from '../month';
import type { ReportRegistry } from './report-archive';

/**
 * Last month's report is due an hour after its scheduled run: the month whose
 * report has no version at `now`, or undefined when it appeared (any version
 * counts, the schedule's or one finance asked for).
 */
export async function missingMonthlyReport(registry: Pick<ReportRegistry, 'versions'>, now: number, timeZone: string): Promise<LocalMonth | undefined> {
  const month = previousMonth(now, timeZone);
  return (await registry.versions(month)).length === 0 ? month : undefined;
}
