import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { calendarFromRules } from '#domain/calendar/closed-days';

const MINUTE = 60_000;

/*
 * The calendar reads wall clocks through offset lookups, and takes a day of
 * 24 hours as one with no DST change. The oracle reads each instant's local
 * time and weekday through Intl alone. Zones are picked for their awkward
 * changes: at midnight (Santiago, Havana, Beirut), by half an hour (Lord Howe),
 * at a quarter hour (Chatham), and none at all (Kolkata).
 */
const ZONES = ['Europe/Copenhagen', 'America/Santiago', 'America/Havana', 'Asia/Beirut', 'Australia/Lord_Howe', 'Pacific/Chatham', 'America/New_York', 'Asia/Kolkata'] as const;
const WEEKDAYS = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 } as const;

function localClock(timeZone: string) {
  const format = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', weekday: 'short', hour: '2-digit', minute: '2-digit' });
  return (t: number) => {
    const parts = Object.fromEntries(format.formatToParts(t).map((p) => [p.type, p.value]));
    return { weekday: WEEKDAYS[parts.weekday as keyof typeof WEEKDAYS], minute: Number(parts.hour) * 60 + Number(parts.minute) };
  };
}

/** Whole hours between 05:00 and 23:00, clear of the hours DST moves in these zones. */
const hours = fc.tuple(fc.integer({ min: 5, max: 22 }), fc.integer({ min: 1, max: 18 })).map(([open, length]) => [open, Math.min(23, open + length)] as const);

describe('opening hours in any zone', () => {
  it('the desk is open exactly when the local wall clock (read through Intl) is within the day’s hours', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        fc.array(fc.option(hours, { nil: undefined }), { minLength: 7, maxLength: 7 }),
        fc.array(fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2026, 11, 30) }), { minLength: 40, maxLength: 40 }),
        (timeZone, week, instants) => {
          const pad = (h: number) => `${String(h).padStart(2, '0')}:00`;
          const weeklyHours = Object.fromEntries(week.flatMap((span, i) => (span ? [[i + 1, [[pad(span[0]), pad(span[1])]]]] : [])));
          const calendar = calendarFromRules({ timeZone, weeklyHours, closedDays: [], years: { from: 2025, to: 2027 } });
          const clock = localClock(timeZone);
          for (const instant of instants) {
            const t = Math.floor(instant / MINUTE) * MINUTE;
            const { weekday, minute } = clock(t);
            const span = week[weekday - 1];
            const expected = span !== undefined && span[0] * 60 <= minute && minute < span[1] * 60;
            expect([timeZone, new Date(t).toISOString(), calendar.isOpen(t)]).toEqual([timeZone, new Date(t).toISOString(), expected]);
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
