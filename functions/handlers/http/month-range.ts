import { DateTime } from 'luxon';
import type { BusinessCalendar } from '../../domain/calendar/business-calendar';

/** A local calendar month as [start, end) instants. */
export function monthRange(month: string, calendar: BusinessCalendar): [number, number] {
  const start = DateTime.fromFormat(month, 'yyyy-MM', { zone: calendar.timeZone });
  return [start.toMillis(), start.plus({ months: 1 }).toMillis()];
}
