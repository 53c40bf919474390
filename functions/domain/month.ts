import { DateTime } from 'luxon';
import { InvalidInputError } from './errors';
import { MONTH } from './identifiers';

/** A local calendar month, `YYYY-MM`: the unit of availability, reports and the months index. */
export type LocalMonth = string & { readonly __month: unique symbol };

class InvalidMonthError extends InvalidInputError {
  readonly type = 'invalid-month';
  constructor(readonly value: unknown) {
    super(`not a month YYYY-MM within the calendar's years: ${JSON.stringify(value)}`);
  }
}

/** The one parser of months. */
export function parseMonth(value: unknown): LocalMonth {
  if (typeof value !== 'string' || !MONTH.test(value)) throw new InvalidMonthError(value);
  return value as LocalMonth;
}

/** The local month an instant falls in. */
export function monthOf(instant: number, timeZone: string): LocalMonth {
  return DateTime.fromMillis(instant, { zone: timeZone }).toFormat('yyyy-MM') as LocalMonth;
}

/** A local month as [start, end) instants: local midnight of its first day and of the next month's. */
export function monthBounds(month: LocalMonth, timeZone: string): [number, number] {
  const start = DateTime.fromFormat(month, 'yyyy-MM', { zone: timeZone });
  return [start.toMillis(), start.plus({ months: 1 }).toMillis()];
}

/** Year and month number, for calendars that count by them. */
export function monthParts(month: LocalMonth): { year: number; month: number } {
  const [year, number] = month.split('-').map(Number) as [number, number];
  return { year, month: number };
}

/** Whether a local month is over at `now`: a month's report is made only then. */
export function monthEnded(month: LocalMonth, now: number, timeZone: string): boolean {
  return monthBounds(month, timeZone)[1] <= now;
}

/** The month just ended at `now`: the one the monthly report covers. */
export function previousMonth(now: number, timeZone: string): LocalMonth {
  return monthOf(monthBounds(monthOf(now, timeZone), timeZone)[0] - 1, timeZone);
}
