import Holidays from 'date-holidays';
import type { ClosedDayRuleSet } from './calendar-config';

/** A local calendar date on which the desk is closed, with its name and why. */
export interface ClosedDay {
  /** Local date, YYYY-MM-DD. */
  readonly date: string;
  readonly name: string;
  /** The rule set's reason, e.g. "bank closing day". */
  readonly reason: string;
}

type HolidaySource = { readonly holidays: Holidays; readonly reason: string };

/** Evaluates rule sets through date-holidays, one year at a time. */
export class ClosedDayBook {
  private readonly sources: HolidaySource[] = [];

  constructor(sets: readonly ClosedDayRuleSet[]) {
    for (const set of sets) {
      if (set.country) {
        this.sources.push({
          holidays: new Holidays(set.country.code, { languages: ['en'], types: [...set.country.types] }),
          reason: set.reason,
        });
      }
      if (set.rules?.length) {
        const holidays = new Holidays();
        for (const { rule, name } of set.rules) holidays.setHoliday(rule, { name: { en: name }, type: 'public' });
        this.sources.push({ holidays, reason: set.reason });
      }
    }
  }

  /** Every closed day of a year, by date, each with all the names it carries. */
  closedDaysIn(year: number): Map<string, ClosedDay[]> {
    const byDate = new Map<string, ClosedDay[]>();
    for (const { holidays, reason } of this.sources) {
      for (const holiday of holidays.getHolidays(year, 'en')) {
        const date = holiday.date.slice(0, 10);
        const day = { date, name: holiday.name, reason };
        const known = byDate.get(date);
        if (!known) byDate.set(date, [day]);
        else if (!known.some((k) => k.name === day.name)) known.push(day);
      }
    }
    return byDate;
  }
}
