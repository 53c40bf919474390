import { describe, expect, it } from 'vitest';
import { parseInstant } from '#domain/instant';
import { lastDue } from '#domain/recurrence';

const at = parseInstant;
const iso = (t: number) => new Date(t).toISOString();

describe('when a recurring job was last due', () => {
  it.each([
    ['every 5 minutes', { everyMinutes: 5 }, '2026-06-10T08:07:42+02:00', '2026-06-10T06:05:00.000Z'],
    ['every minute, on the minute', { everyMinutes: 1 }, '2026-06-10T08:07:00+02:00', '2026-06-10T06:07:00.000Z'],
    // The monthly report: 06:00 Copenhagen on the 1st (CET in winter, CEST in summer).
    ['06:00 on the 1st, later that day', { at: { hour: 6, minute: 0, dayOfMonth: 1 }, timeZone: 'Europe/Copenhagen' }, '2026-12-01T09:00:00+01:00', '2026-12-01T05:00:00.000Z'],
    ['06:00 on the 1st, a minute before', { at: { hour: 6, minute: 0, dayOfMonth: 1 }, timeZone: 'Europe/Copenhagen' }, '2026-12-01T05:59:00+01:00', '2026-11-01T05:00:00.000Z'],
    ['06:00 on the 1st, in summer time', { at: { hour: 6, minute: 0, dayOfMonth: 1 }, timeZone: 'Europe/Copenhagen' }, '2026-07-15T12:00:00+02:00', '2026-07-01T04:00:00.000Z'],
    // A weekly digest: Monday 09:00.
    ['Monday 09:00, on Wednesday', { at: { hour: 9, minute: 0, weekday: 1 }, timeZone: 'Europe/Copenhagen' }, '2026-11-25T10:00:00+01:00', '2026-11-23T08:00:00.000Z'],
  ] as const)('%s', (_, recurrence, now, due) => {
    expect(iso(lastDue(recurrence, at(now)))).toBe(due);
  });
});
