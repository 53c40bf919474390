import { describe, expect, it } from 'vitest';
import { danishCalendar } from '#domain/calendar/danish-calendar';
import { parseInstant } from '#domain/instant';
import { firstResponseDueAt, type Priority } from '#domain/sla/sla-policy';

const calendar = danishCalendar();
const due = (opened: string, priority: Priority) => calendar.iso(firstResponseDueAt(parseInstant(opened), priority, calendar));

describe('first-response deadlines on the Danish contract calendar', () => {
  it.each<[string, string, Priority, string]>([
    // closed days of each kind
    ['public holidays: Maundy Thursday, Good Friday, Easter Monday', '2026-04-01T15:00:00+02:00', 'high', '2026-04-07T11:00:00.000+02:00'],
    ['Ascension Day and the Friday after it (bank closing day)', '2026-05-13T14:00:00+02:00', 'medium', '2026-05-18T14:00:00.000+02:00'],
    ['Constitution Day (bank closing day)', '2026-06-04T15:30:00+02:00', 'highest', '2026-06-08T08:30:00.000+02:00'],
    ['Whit Monday', '2026-05-22T15:00:00+02:00', 'high', '2026-05-26T11:00:00.000+02:00'],
    ['Christmas Eve (bank closing day), Christmas Day, Boxing Day', '2025-12-23T12:00:00+01:00', 'low', '2025-12-29T16:00:00.000+01:00'],
    ["New Year's Eve (bank closing day) and New Year's Day across year end", '2025-12-30T15:00:00+01:00', 'high', '2026-01-02T11:00:00.000+01:00'],
    ['a 16-hour deadline across year end', '2026-12-30T12:00:00+01:00', 'lowest', '2027-01-05T12:00:00.000+01:00'],
    ['Store Bededag still closed in 2023', '2023-05-04T15:00:00+02:00', 'high', '2023-05-08T11:00:00.000+02:00'],
    ['Store Bededag abolished from 2024', '2024-04-25T15:00:00+02:00', 'high', '2024-04-26T11:00:00.000+02:00'],
    ['the Friday after Ascension is open before 2009', '2008-04-30T15:00:00+02:00', 'high', '2008-05-02T11:00:00.000+02:00'],
    ['the Friday after Ascension is closed from 2009', '2009-05-20T15:00:00+02:00', 'high', '2009-05-25T11:00:00.000+02:00'],
    // weekends and DST
    ['a weekend', '2026-11-27T14:00:00+01:00', 'medium', '2026-11-30T14:00:00.000+01:00'],
    ['the spring DST transition over the weekend', '2026-03-27T15:00:00+01:00', 'high', '2026-03-30T11:00:00.000+02:00'],
    ['the autumn DST transition over the weekend', '2026-10-23T15:00:00+02:00', 'high', '2026-10-26T11:00:00.000+01:00'],
    // where the clock starts and stops
    ['before opening: the clock starts at 08:00', '2026-11-24T06:00:00+01:00', 'highest', '2026-11-24T09:00:00.000+01:00'],
    ['exactly at opening', '2026-11-24T08:00:00+01:00', 'highest', '2026-11-24T09:00:00.000+01:00'],
    ['exactly at closing: the clock starts next business day', '2026-11-24T16:00:00+01:00', 'highest', '2026-11-25T09:00:00.000+01:00'],
    ['after closing', '2026-11-24T17:00:00+01:00', 'highest', '2026-11-25T09:00:00.000+01:00'],
    ['a deadline ending exactly at closing is 16:00 that day', '2026-11-24T15:00:00+01:00', 'highest', '2026-11-24T16:00:00.000+01:00'],
    ['a full day ending exactly at closing', '2026-11-24T08:00:00+01:00', 'medium', '2026-11-24T16:00:00.000+01:00'],
    ['in UTC input', '2026-11-24T07:00:00Z', 'highest', '2026-11-24T09:00:00.000+01:00'],
    ['millisecond precision', '2026-11-24T15:59:59.999+01:00', 'highest', '2026-11-25T08:59:59.999+01:00'],
    ['sixteen hours over a weekend', '2026-11-26T08:00:00+01:00', 'lowest', '2026-11-27T16:00:00.000+01:00'],
  ])('%s', (_, opened, priority, expected) => {
    expect(due(opened, priority)).toBe(expected);
  });
});

describe('is the desk open', () => {
  it.each<[string, boolean]>([
    ['2026-11-24T07:59:59.999+01:00', false],
    ['2026-11-24T08:00:00+01:00', true],
    ['2026-11-24T15:59:59.999+01:00', true],
    ['2026-11-24T16:00:00+01:00', false],
    ['2026-11-28T12:00:00+01:00', false], // Saturday
    ['2026-06-05T12:00:00+02:00', false], // Constitution Day
    ['2026-12-31T12:00:00+01:00', false], // New Year's Eve
    ['2026-05-15T12:00:00+02:00', false], // Friday after Ascension
    ['2026-05-01T12:00:00+02:00', true], // 1 May is not a closed day
    ['2026-03-30T06:30:00Z', true], // 08:30 summer time
    ['2026-03-27T06:30:00Z', false], // 07:30 winter time
  ])('%s → %s', (instant, open) => {
    expect(calendar.isOpen(parseInstant(instant))).toBe(open);
  });
});

describe('next opening', () => {
  it.each<[string, string]>([
    ['2026-11-28T12:00:00+01:00', '2026-11-30T08:00:00.000+01:00'],
    ['2026-11-24T10:17:00+01:00', '2026-11-24T10:17:00.000+01:00'],
    ['2026-12-31T12:00:00+01:00', '2027-01-04T08:00:00.000+01:00'],
    ['2026-12-23T16:00:00+01:00', '2026-12-28T08:00:00.000+01:00'],
  ])('after %s is %s', (instant, expected) => {
    expect(calendar.iso(calendar.nextOpening(parseInstant(instant)))).toBe(expected);
  });
});

describe('business time between two instants', () => {
  const hours = (from: string, to: string) => calendar.businessTimeBetween(parseInstant(from), parseInstant(to)) / 3_600_000;

  it('counts only open hours, across DST', () => {
    expect(hours('2026-03-27T15:00:00+01:00', '2026-03-30T11:00:00+02:00')).toBe(4);
  });
  it('spans year end', () => {
    expect(hours('2026-12-30T12:00:00+01:00', '2027-01-05T12:00:00+01:00')).toBe(16);
  });
  it('is zero within closed time and negative backwards', () => {
    expect(hours('2026-11-28T00:00:00+01:00', '2026-11-29T23:59:00+01:00')).toBe(0);
    expect(hours('2026-11-24T12:00:00+01:00', '2026-11-24T10:00:00+01:00')).toBe(-2);
  });
  it('adds up a whole year', () => {
    // 2026 has 261 weekdays; 11 are closed: 1/1, 2/4, 3/4, 6/4, 14/5, 15/5, 25/5, 5/6, 24/12, 25/12, 31/12.
    expect(hours('2026-01-01T00:00:00+01:00', '2027-01-01T00:00:00+01:00')).toBe((261 - 11) * 8);
  });
});
