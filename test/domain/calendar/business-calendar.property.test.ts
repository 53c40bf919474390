import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { danishCalendar } from '#domain/calendar/danish-calendar';
import { firstResponseDueAt } from '#domain/sla/sla-policy';
import { CONTRACT_FIRST_RESPONSE_HOURS, CONTRACT_HOURS, CONTRACT_ZONE, definition } from '../../support/danish-contract';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const calendar = danishCalendar();
const timeZone = CONTRACT_ZONE;

/**
 * The oracle: the contract's definition of open, written out in the test
 * (Monday–Friday 08:00–16:00 Copenhagen, closed on the Danish public holidays
 * and bank closing days computed from Easter), read minute by minute through
 * Intl. It takes nothing from functions/domain: a wrong hour or closed day there fails it.
 */
const localParts = new Intl.DateTimeFormat('en-GB', {
  timeZone,
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});
const offsetByHour = new Map<number, number>();
function offsetAt(t: number): number {
  const hour = Math.floor(t / HOUR);
  let offset = offsetByHour.get(hour);
  if (offset === undefined) {
    const p = Object.fromEntries(localParts.formatToParts(hour * HOUR).map((x) => [x.type, Number(x.value)]));
    offset = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!) - hour * HOUR;
    offsetByHour.set(hour, offset);
  }
  return offset;
}

const closedLocalDays = new Set<number>();
for (let year = 2022; year <= 2037; year++) {
  for (const date of definition(year).values()) closedLocalDays.add(Date.parse(`${date}T00:00:00Z`) / DAY);
}

function oracleIsOpen(t: number): boolean {
  const local = t + offsetAt(t);
  const day = Math.floor(local / DAY);
  if (closedLocalDays.has(day)) return false;
  const weekday = ((((day + 3) % 7) + 7) % 7) + 1; // 1970-01-01 was a Thursday
  const minute = Math.floor((local - day * DAY) / MINUTE);
  return weekday >= CONTRACT_HOURS.firstWeekday && weekday <= CONTRACT_HOURS.lastWeekday && CONTRACT_HOURS.open <= minute && minute < CONTRACT_HOURS.close;
}

/** Steps a minute at a time (a partial first minute when t is not on one), counting open time. */
function oracleDeadline(openedAt: number, duration: number): number {
  let t = openedAt;
  let left = duration;
  for (;;) {
    const step = Math.min(MINUTE - (t % MINUTE), left);
    if (oracleIsOpen(t)) {
      left -= step;
      t += step;
      if (left === 0) return t;
    } else {
      t += MINUTE - (t % MINUTE);
    }
  }
}

const from = Date.parse('2023-01-01T00:00:00+01:00');
const to = Date.parse('2035-12-31T00:00:00+01:00');
const instants = fc.oneof(
  fc.integer({ min: from, max: to }),
  fc.integer({ min: from / MINUTE, max: to / MINUTE }).map((m) => m * MINUTE),
  fc.integer({ min: from / (15 * MINUTE), max: to / (15 * MINUTE) }).map((q) => q * 15 * MINUTE),
);

describe('business calendar against a minute-by-minute oracle', () => {
  it('first-response deadlines agree for 10,000 random (instant, priority) cases, 2023–2035', () => {
    fc.assert(
      fc.property(instants, fc.constantFrom(...(Object.keys(CONTRACT_FIRST_RESPONSE_HOURS) as (keyof typeof CONTRACT_FIRST_RESPONSE_HOURS)[])), (openedAt, priority) => {
        const due = firstResponseDueAt(openedAt, priority, calendar);
        expect(due).toBe(oracleDeadline(openedAt, CONTRACT_FIRST_RESPONSE_HOURS[priority] * HOUR));
        expect(calendar.businessTimeBetween(openedAt, due)).toBe(CONTRACT_FIRST_RESPONSE_HOURS[priority] * HOUR);
      }),
      { numRuns: 3_000 },
    );
  });

  it('is open exactly when the oracle says so', () => {
    fc.assert(
      fc.property(instants, (t) => {
        expect(calendar.isOpen(t)).toBe(oracleIsOpen(t));
        const next = calendar.nextOpening(t);
        expect(oracleIsOpen(next)).toBe(true);
        // nothing open between t and the next opening
        expect(next === t || !oracleIsOpen(Math.max(t, next - 1))).toBe(true);
      }),
      { numRuns: 3_000 },
    );
  });
});
