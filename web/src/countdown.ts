import { DateTime } from 'luxon';
import { danishCalendar } from '#domain/calendar/danish-calendar';

/** The contract calendar itself, the same module the API computes deadlines with. */
const calendar = danishCalendar();

/** Time left to a deadline in business time, as a person reads it, and whether the clock is paused now. */
export function countdown(dueAt: number, now: number): { text: string; paused: string | null; overdue: boolean } {
  if (now >= dueAt) return { text: 'overdue', paused: null, overdue: true };
  const minutes = Math.ceil(calendar.businessTimeBetween(now, dueAt) / 60_000);
  const text = minutes >= 60 ? `${Math.floor(minutes / 60)} h ${minutes % 60} min left` : `${minutes} min left`;
  const paused = calendar.isOpen(now) ? null : `clock paused until ${DateTime.fromMillis(calendar.nextOpening(now), { zone: calendar.timeZone }).toFormat('ccc HH:mm')}`;
  return { text, paused, overdue: false };
}

/** An instant in Copenhagen time, as the contract counts it. */
export const copenhagen = (instant: number | string) => DateTime.fromMillis(typeof instant === 'string' ? Date.parse(instant) : instant, { zone: calendar.timeZone }).toFormat('ccc d LLL yyyy HH:mm');

/** Today's date in Copenhagen, YYYY-MM-DD: the day consultancy time is logged for. */
export const copenhagenDate = (instant: number) => DateTime.fromMillis(instant, { zone: calendar.timeZone }).toISODate()!;
