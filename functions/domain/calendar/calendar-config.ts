import { IANAZone } from 'luxon';
import { InvalidCalendarError } from '../errors';

/** ISO weekday: 1 = Monday … 7 = Sunday (as luxon numbers them). */
export type Weekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

/** Wall-clock opening hours, "HH:mm" to "HH:mm" ("24:00" closes at midnight). */
export type OpeningHours = readonly [open: string, close: string];

/** A named day in date-holidays' rule grammar, e.g. `12-31` or `easter 40 since 2009`. */
interface ClosedDayRule {
  readonly rule: string;
  readonly name: string;
}

/**
 * One reason the desk can be closed on a day, and the days it covers: a
 * country's holidays from date-holidays, extra rules, or both.
 */
export interface ClosedDayRuleSet {
  /** Why these days are closed, as said in explanations: "public holiday". */
  readonly reason: string;
  /** Where the rule comes from, for the record. */
  readonly source: string;
  /** date-holidays country data, restricted to these holiday types. */
  readonly country?: { readonly code: string; readonly types: readonly ('public' | 'bank' | 'school' | 'optional' | 'observance')[] };
  readonly rules?: readonly ClosedDayRule[];
}

/** A business calendar is a value: other contracts and tests build their own. */
export interface CalendarConfig {
  readonly timeZone: string;
  readonly weeklyHours: Readonly<Partial<Record<Weekday, readonly OpeningHours[]>>>;
  readonly closedDays: readonly ClosedDayRuleSet[];
  /** The years the calendar answers for; instants outside them are refused. */
  readonly years: { readonly from: number; readonly to: number };
}

/** A local calendar date on which the desk is closed, with its name and why. */
export interface ClosedDay {
  /** Local date, YYYY-MM-DD. */
  readonly date: string;
  readonly name: string;
  /** The rule set's reason, e.g. "bank closing day". */
  readonly reason: string;
}

/** Where a calendar learns its closed days: evaluated rules, or a table generated from them. */
export interface ClosedDaySource {
  /** Every closed day of a year, by date, each with all the names it carries. */
  closedDaysIn(year: number): Map<string, ClosedDay[]>;
}

/** Opening hours of one weekday as minutes after local midnight. */
export type DayHours = readonly (readonly [openMinute: number, closeMinute: number])[];

const hhmm = /^([01]\d|2[0-3]):([0-5]\d)$|^24:00$/;

function minutesOf(value: string, weekday: number): number {
  if (!hhmm.test(value)) throw new InvalidCalendarError(`weekday ${weekday}: "${value}" is not HH:mm`);
  const [h, m] = value.split(':').map(Number) as [number, number];
  return h * 60 + m;
}

/** Checks a configuration once and turns its hours into minutes, Monday first. */
export function parseCalendarConfig(config: CalendarConfig): DayHours[] {
  if (!IANAZone.isValidZone(config.timeZone)) throw new InvalidCalendarError(`unknown time zone "${config.timeZone}"`);
  const { from, to } = config.years;
  if (!Number.isInteger(from) || !Number.isInteger(to) || from > to || from < 1900 || to > 2200) {
    throw new InvalidCalendarError(`years must be whole, ascending and within 1900–2200: ${from}–${to}`);
  }
  const week: DayHours[] = [];
  for (let weekday = 1; weekday <= 7; weekday++) {
    const spans = (config.weeklyHours[weekday as Weekday] ?? []).map(([open, close]) => {
      const span = [minutesOf(open, weekday), minutesOf(close, weekday)] as const;
      if (span[0] >= span[1]) throw new InvalidCalendarError(`weekday ${weekday}: ${open}–${close} does not open before it closes`);
      return span;
    });
    spans.sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < spans.length; i++) {
      if (spans[i]![0] < spans[i - 1]![1]) throw new InvalidCalendarError(`weekday ${weekday}: opening hours overlap`);
    }
    week.push(spans);
  }
  return week;
}
