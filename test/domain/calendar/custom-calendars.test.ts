import { describe, expect, it } from 'vitest';
import { calendarFromRules } from '#domain/calendar/closed-days';
import type { CalendarConfig } from '#domain/calendar/calendar-config';
import { InvalidCalendarError, InvalidDurationError, OutsideCalendarError } from '#domain/errors';
import { parseInstant } from '#domain/instant';

const HOUR = 3_600_000;
const at = parseInstant;

const splitDay: CalendarConfig = {
  timeZone: 'UTC',
  weeklyHours: {
    1: [
      ['13:00', '17:00'],
      ['09:00', '12:00'],
    ],
    2: [['09:00', '12:00']],
  },
  closedDays: [{ reason: 'company day', source: 'test', rules: [{ rule: '2026-06-09', name: 'Summer party' }] }],
  years: { from: 2026, to: 2027 },
};

describe('a calendar is a value', () => {
  const calendar = calendarFromRules(splitDay);

  it('uses its own hours, with a lunch break', () => {
    expect(calendar.iso(calendar.addBusinessTime(at('2026-06-01T11:00:00Z'), 2 * HOUR))).toBe('2026-06-01T14:00:00.000Z');
    expect(calendar.isOpen(at('2026-06-01T12:30:00Z'))).toBe(false);
    expect(calendar.operatingSlots(2026, 6, 60).length).toBe(5 * 7 + 5 * 3 - 3); // 5 Mondays, 5 Tuesdays, one of them closed
  });

  it('uses its own closed days, with their reason', () => {
    expect(calendar.iso(calendar.addBusinessTime(at('2026-06-08T16:00:00Z'), 2 * HOUR))).toBe('2026-06-15T10:00:00.000Z');
    expect(calendar.explain(at('2026-06-08T16:00:00Z'), 2 * HOUR).lines).toContain('2026-06-09 closed: Summer party, company day');
  });

  it('refuses instants outside its years, and deadlines that would run past them', () => {
    expect(() => calendar.isOpen(at('2025-12-31T23:59:59.999Z'))).toThrow(OutsideCalendarError);
    expect(() => calendar.addBusinessTime(at('2027-12-27T09:00:00Z'), 100 * HOUR)).toThrow(OutsideCalendarError);
    expect(() => calendar.addBusinessTime(at('2026-06-01T09:00:00Z'), -1)).toThrow(InvalidDurationError);
  });
});

describe('DST by local wall-clock hours', () => {
  // Open in the small hours of Sunday, across both transitions in Copenhagen.
  const night = calendarFromRules({
    timeZone: 'Europe/Copenhagen',
    weeklyHours: { 7: [['01:00', '04:00']] },
    closedDays: [],
    years: { from: 2026, to: 2026 },
  });

  it('the spring-forward night is an hour shorter', () => {
    expect(night.businessTimeBetween(at('2026-03-29T00:00:00+01:00'), at('2026-03-29T12:00:00+02:00'))).toBe(2 * HOUR);
    expect(night.iso(night.addBusinessTime(at('2026-03-29T00:00:00+01:00'), 2 * HOUR))).toBe('2026-03-29T04:00:00.000+02:00');
  });

  it('the fall-back night is an hour longer', () => {
    expect(night.businessTimeBetween(at('2026-10-25T00:00:00+02:00'), at('2026-10-25T12:00:00+01:00'))).toBe(4 * HOUR);
    expect(night.iso(night.addBusinessTime(at('2026-10-25T01:00:00+02:00'), 2 * HOUR))).toBe('2026-10-25T02:00:00.000+01:00');
  });
});

describe('configuration is checked', () => {
  const base = { timeZone: 'UTC', closedDays: [], years: { from: 2026, to: 2026 } };
  it.each<[string, Partial<CalendarConfig>]>([
    ['unknown zone', { timeZone: 'Mars/Olympus' }],
    ['closes before it opens', { weeklyHours: { 1: [['16:00', '08:00']] } }],
    [
      'overlapping hours',
      {
        weeklyHours: {
          1: [
            ['08:00', '12:00'],
            ['11:00', '13:00'],
          ],
        },
      },
    ],
    ['not HH:mm', { weeklyHours: { 1: [['8', '16:00']] } }],
    ['years backwards', { years: { from: 2027, to: 2026 } }],
  ])('%s', (_, change) => {
    expect(() => calendarFromRules({ weeklyHours: {}, ...base, ...change })).toThrow(InvalidCalendarError);
  });
});
