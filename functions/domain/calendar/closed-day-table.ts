import type { ClosedDay, ClosedDaySource } from './calendar-config';

/**
 * Closed days written out ahead of time, compactly: per year, entries of
 * `MMDD`, the reason's index and the name's index (base 36 digits), by date.
 */
export interface ClosedDayTableData {
  readonly years: { readonly from: number; readonly to: number };
  readonly reasons: readonly string[];
  readonly names: readonly string[];
  /** One string a year, from `years.from`: entries of six characters, `MMDD` + reason + name. */
  readonly days: readonly string[];
}

const ENTRY = 6;

/** Writes closed days, year by year, as the compact table data. */
export function encodeClosedDays(years: ClosedDayTableData['years'], daysOf: (year: number) => readonly ClosedDay[]): ClosedDayTableData {
  const reasons: string[] = [];
  const names: string[] = [];
  const index = (list: string[], value: string) => {
    if (!list.includes(value)) list.push(value);
    return list.indexOf(value).toString(36);
  };
  const days: string[] = [];
  for (let year = years.from; year <= years.to; year++) {
    days.push(
      daysOf(year)
        .map((day) => `${day.date.slice(5, 7)}${day.date.slice(8, 10)}${index(reasons, day.reason)}${index(names, day.name)}`)
        .join(''),
    );
  }
  if (reasons.length > 36 || names.length > 36) throw new RangeError('a closed-day table holds at most 36 reasons and 36 names');
  return { years, reasons, names, days };
}

/** Closed days read from a generated table: what Lambda functions use instead of evaluating rules. */
export class ClosedDayTable implements ClosedDaySource {
  constructor(private readonly data: ClosedDayTableData) {}

  closedDaysIn(year: number): Map<string, ClosedDay[]> {
    const { from, to } = this.data.years;
    if (year < from || year > to) throw new RangeError(`the closed-day table covers ${from}–${to}, not ${year}`);
    const entries = this.data.days[year - from]!;
    const byDate = new Map<string, ClosedDay[]>();
    for (let i = 0; i < entries.length; i += ENTRY) {
      const date = `${year}-${entries.slice(i, i + 2)}-${entries.slice(i + 2, i + 4)}`;
      const day: ClosedDay = { date, reason: this.data.reasons[parseInt(entries[i + 4]!, 36)]!, name: this.data.names[parseInt(entries[i + 5]!, 36)]! };
      byDate.set(date, [...(byDate.get(date) ?? []), day]);
    }
    return byDate;
  }
}
