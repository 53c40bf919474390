import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { calendarFromRules, closedDayTableModule } from '#domain/calendar/closed-days';
import { danishCalendar, danishContractCalendar } from '#domain/calendar/danish-calendar';
import { definition } from '../../support/danish-contract';

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
