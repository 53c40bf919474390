import { CONTRACT_ZONE } from './contract';
import { DateTime } from 'luxon';

/**
 * When a recurring job runs: every so many minutes, or at a wall-clock time in
 * a time zone (a weekday, or a day of the month). EventBridge Scheduler runs it
 * on AWS (`rate(...)`, `cron(...)` with the zone), the local stack on its clock.
 */
export type Recurrence =
  | { readonly everyMinutes: number }
  | { readonly at: { readonly hour: number; readonly minute: number; readonly weekday?: number; readonly dayOfMonth?: number }; readonly timeZone: string };

/** The latest instant at or before `now` when the job was due. */
export function lastDue(recurrence: Recurrence, now: number): number {
  if ('everyMinutes' in recurrence) {
    const period = recurrence.everyMinutes * 60_000;
    return Math.floor(now / period) * period;
  }
  const { hour, minute, weekday, dayOfMonth } = recurrence.at;
  let t = DateTime.fromMillis(now, { zone: recurrence.timeZone }).set({ hour, minute, second: 0, millisecond: 0 });
  // Step back a day at a time to the last matching day (at most about a month).
  for (let i = 0; i < 400; i++) {
    const matches = (weekday === undefined || t.weekday === weekday) && (dayOfMonth === undefined || t.day === dayOfMonth);
    if (matches && t.toMillis() <= now) return t.toMillis();
    t = t.minus({ days: 1 }).set({ hour, minute });
  }
  throw new RangeError('the recurrence never comes due');
}

/** The stack's recurring jobs, as both engines run them. */
export const RECURRING = {
  /** The relay: service-window notices, the hypercare steps (digests included), the sweep and alert delivery. */
  relay: { everyMinutes: 1 },
  /** The availability probe: once in every 5-minute slot. */
  probe: { everyMinutes: 5 },
  /** The monthly report of the month just ended: the 1st at 06:00 Copenhagen time. */
  report: { at: { dayOfMonth: 1, hour: 6, minute: 0 }, timeZone: CONTRACT_ZONE },
  /** The check that last month's report appeared: the 1st at 07:00 Copenhagen time, an hour after the report's run. */
  reportCheck: { at: { dayOfMonth: 1, hour: 7, minute: 0 }, timeZone: CONTRACT_ZONE },
} as const satisfies Record<string, Recurrence>;
