import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { calendarFromRules, closedDayTableModule } from '../../../functions/domain/calendar/closed-days';
import { danishCalendar, danishContractCalendar } from '../../../functions/domain/calendar/danish-calendar';

/** Easter Sunday by the anonymous Gregorian algorithm (Meeus/Jones/Butcher), independent of date-holidays. */
function easterSunday(year: number): Date {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return new Date(Date.UTC(year, month - 1, day));
}

const iso = (d: Date) => d.toISOString().slice(0, 10);
const plusDays = (d: Date, n: number) => new Date(d.getTime() + n * 86_400_000);

/** The contract's closed days written out from their definitions: name → date. */
function definition(year: number): Map<string, string> {
  const easter = easterSunday(year);
  const days: [string, string, boolean][] = [
    // public holidays (helligdage)
    ["New Year's Day", `${year}-01-01`, true],
    ['Maundy Thursday', iso(plusDays(easter, -3)), true],
    ['Good Friday', iso(plusDays(easter, -2)), true],
    ['Easter Sunday', iso(easter), true],
    ['Easter Monday', iso(plusDays(easter, 1)), true],
    ['Prayer Day', iso(plusDays(easter, 26)), year <= 2023], // Store Bededag, abolished from 2024
    ['Ascension Day', iso(plusDays(easter, 39)), true],
    ['Pentecost', iso(plusDays(easter, 49)), true],
    ['Whit Monday', iso(plusDays(easter, 50)), true],
    ['Christmas Day', `${year}-12-25`, true],
    ['Boxing Day', `${year}-12-26`, true],
    // bank closing days (banklukkedage) beyond those
    ['Friday after Ascension Day', iso(plusDays(easter, 40)), year >= 2009],
    ['Constitution Day', `${year}-06-05`, true],
    ['Christmas Eve', `${year}-12-24`, true],
    ["New Year's Eve", `${year}-12-31`, true],
  ];
  return new Map(days.filter(([, , applies]) => applies).map(([name, date]) => [name, date]));
}

describe('Danish closed days, checked day by day against their definitions', () => {
  const calendar = danishCalendar();

  it('match for every year 2000–2100', () => {
    for (let year = 2000; year <= 2100; year++) {
      const actual = new Map<string, string>();
      for (const [date, days] of calendar.closedDaysIn(year)) for (const day of days) actual.set(day.name, date);
      expect(actual, `year ${year}`).toEqual(definition(year));
    }
  });

  it('carry their reason', () => {
    const reasons = new Map([...calendar.closedDaysIn(2026)].flatMap(([date, days]) => days.map((d) => [`${date} ${d.name}`, d.reason])));
    expect(Object.fromEntries(reasons)).toEqual({
      "2026-01-01 New Year's Day": 'public holiday',
      '2026-04-02 Maundy Thursday': 'public holiday',
      '2026-04-03 Good Friday': 'public holiday',
      '2026-04-05 Easter Sunday': 'public holiday',
      '2026-04-06 Easter Monday': 'public holiday',
      '2026-05-14 Ascension Day': 'public holiday',
      '2026-05-15 Friday after Ascension Day': 'bank closing day',
      '2026-05-24 Pentecost': 'public holiday',
      '2026-05-25 Whit Monday': 'public holiday',
      '2026-06-05 Constitution Day': 'bank closing day',
      '2026-12-24 Christmas Eve': 'bank closing day',
      '2026-12-25 Christmas Day': 'public holiday',
      '2026-12-26 Boxing Day': 'public holiday',
      "2026-12-31 New Year's Eve": 'bank closing day',
    });
  });
});

describe('the generated closed-day table the functions read', () => {
  it('is what the rules give today (run `npm run generate:calendar` when they change)', async () => {
    const file = join(import.meta.dirname, '../../../functions/domain/calendar/danish-closed-days.ts');
    expect(await readFile(file, 'utf8')).toBe(closedDayTableModule(danishContractCalendar, 'DANISH_CLOSED_DAYS'));
  });

  it('answers every year exactly as the rules do', () => {
    const rules = calendarFromRules(danishContractCalendar);
    const table = danishCalendar();
    for (let year = danishContractCalendar.years.from; year <= danishContractCalendar.years.to; year++) {
      expect(table.closedDaysIn(year), String(year)).toEqual(rules.closedDaysIn(year));
    }
  });
});
