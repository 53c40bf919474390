import { DateTime } from 'luxon';
import { danishCalendar } from '#domain/calendar/danish-calendar';
import { minutesText, timeText } from '#domain/wording';

/** The contract calendar itself, the same module the API computes deadlines with. */
const calendar = danishCalendar();

/** Time left to a deadline in business time, as a person reads it, and whether the clock is paused now. */
export function countdown(dueAt: number, now: number): { text: string; paused: string | null; overdue: boolean } {
  if (now >= dueAt) return { text: 'Overdue', paused: null, overdue: true };
  const text = `${minutesText(Math.ceil(calendar.businessTimeBetween(now, dueAt) / 60_000))} left`;
  const paused = calendar.isOpen(now) ? null : `clock paused until ${DateTime.fromMillis(calendar.nextOpening(now), { zone: calendar.timeZone }).toFormat('ccc HH:mm')}`;
  return { text, paused, overdue: false };
}

/** An instant in Copenhagen time, as the contract counts it and people write it. */
export const copenhagen = (instant: number | string) => timeText(instant, calendar.timeZone);

/** Today's date in Copenhagen, YYYY-MM-DD: the day consultancy time is logged for. */
export const copenhagenDate = (instant: number) => DateTime.fromMillis(instant, { zone: calendar.timeZone }).toISODate()!;
