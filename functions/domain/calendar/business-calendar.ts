import { DateTime, IANAZone } from 'luxon';
import { SLOT_MINUTES } from '../contract';
import { InvalidDurationError, OutsideCalendarError } from '../errors';
import { type CalendarConfig, type ClosedDay, type ClosedDaySource, type DayHours, parseCalendarConfig } from './calendar-config';

/** Milliseconds since the Unix epoch. The calendar works in these throughout. */
export type Instant = number;

const MINUTE = 60_000;
const DAY = 86_400_000;
const WEEKDAY_NAMES = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;

/**
 * The open intervals of one local year, with the business time elapsed at the
 * end of each. Built once per year on first use, so every later question is
 * two binary searches over a few hundred numbers.
 */
interface YearTable {
  readonly year: number;
  /** Local midnight of 1 January, and of the next 1 January. */
  readonly from: Instant;
  readonly to: Instant;
  readonly starts: Float64Array;
  readonly ends: Float64Array;
  /** Business milliseconds of this year up to the end of interval i. */
  readonly elapsedAtEnd: Float64Array;
  readonly total: number;
}

/** One local day, as `explain` and the day-by-day views describe it. */
export interface CalendarDay {
  readonly date: string;
  readonly weekday: string;
  readonly open: readonly (readonly [Instant, Instant])[];
  readonly closedDays: readonly ClosedDay[];
}

type ExplainDay =
  | { readonly date: string; readonly status: 'counted'; readonly from: string; readonly to: string; readonly businessMinutes: number }
  | { readonly date: string; readonly status: 'closed'; readonly reason: string }
  | { readonly date: string; readonly status: 'outside-hours'; readonly reason: string };

export interface Explanation {
  readonly openedAt: string;
  readonly clockStartsAt: string;
  readonly dueAt: string;
  readonly businessMinutes: number;
  readonly days: readonly ExplainDay[];
  /** The same, one readable line a day. */
  readonly lines: readonly string[];
}

/**
 * Business hours: when the desk is open, and how business time adds up.
 *
 * Semantics, decided once:
 * - the desk is open on [open, close) of each opening span, in local wall-clock
 *   time, so DST days simply have shorter or longer nights;
 * - time arriving outside hours starts counting at the next opening;
 * - a duration that runs out exactly at closing ends at closing that day;
 * - everything is exact to the millisecond.
 */
export class BusinessCalendar {
  readonly config: CalendarConfig;
  private readonly week: DayHours[];
  private readonly book: ClosedDaySource;
  private readonly tables = new Map<number, YearTable>();
  private readonly zone: IANAZone;
  private readonly yearStarts = new Map<number, Instant>();

  /** `closedDays` answers for the config's closed-day rules: evaluated, or a table generated from them. */
  constructor(config: CalendarConfig, closedDays: ClosedDaySource) {
    this.config = config;
    this.week = parseCalendarConfig(config);
    this.book = closedDays;
    this.zone = IANAZone.create(config.timeZone);
  }

  get timeZone(): string {
    return this.config.timeZone;
  }

  /** Is the desk open at t? */
  isOpen(t: Instant): boolean {
    const table = this.tableAt(t);
    const i = firstEndAfter(table.ends, t);
    return i < table.ends.length && table.starts[i]! <= t;
  }

  /** The earliest instant at or after t when the desk is open: where a clock started at t begins. */
  nextOpening(t: Instant): Instant {
    let table = this.tableAt(t);
    let i = firstEndAfter(table.ends, t);
    while (i === table.ends.length) {
      table = this.table(table.year + 1, t);
      i = 0;
    }
    return Math.max(t, table.starts[i]!);
  }

  /**
   * The instant at which `duration` ms of business time have passed since t.
   * A duration that runs out exactly at closing ends then, not at the next opening.
   */
  addBusinessTime(t: Instant, duration: number): Instant {
    if (!(duration >= 0)) throw new InvalidDurationError(duration);
    if (duration === 0) return this.nextOpening(t);
    let table = this.tableAt(t);
    let target = this.elapsedAt(table, t) + duration;
    while (target > table.total) {
      target -= table.total;
      table = this.table(table.year + 1, t);
    }
    const i = firstElapsedAtLeast(table.elapsedAtEnd, target);
    return table.ends[i]! - (table.elapsedAtEnd[i]! - target);
  }

  /** Business milliseconds between two instants (negative when `to` is earlier). */
  businessTimeBetween(from: Instant, to: Instant): number {
    if (to < from) return -this.businessTimeBetween(to, from);
    const first = this.tableAt(from);
    const last = this.tableAt(to);
    let sum = this.elapsedAt(last, to) - this.elapsedAt(first, from);
    for (let y = first.year; y < last.year; y++) sum += this.table(y, from).total;
    return sum;
  }

  /** The 5-minute (or other) slots of a local month that lie wholly within opening hours. */
  operatingSlots(year: number, month: number, slotMinutes = SLOT_MINUTES): Instant[] {
    const from = this.localMidnight(year, month, 1);
    const table = this.table(year, from);
    const to = month === 12 ? table.to : this.localMidnight(year, month + 1, 1);
    const step = slotMinutes * MINUTE;
    const slots: Instant[] = [];
    for (let i = firstEndAfter(table.ends, from); i < table.starts.length && table.starts[i]! < to; i++) {
      for (let s = table.starts[i]!; s + step <= table.ends[i]!; s += step) slots.push(s);
    }
    return slots;
  }

  /** Closed days of a year, by local date. */
  closedDaysIn(year: number): Map<string, ClosedDay[]> {
    return this.book.closedDaysIn(year);
  }

  /** The local calendar days from the day holding `from` to the day holding `to`. */
  days(from: Instant, to: Instant): CalendarDay[] {
    const zone = this.timeZone;
    const days: CalendarDay[] = [];
    const last = DateTime.fromMillis(to, { zone }).startOf('day');
    let closedYear = Number.NaN;
    let closed = new Map<string, ClosedDay[]>();
    for (let day = DateTime.fromMillis(from, { zone }).startOf('day'); day <= last; day = day.plus({ days: 1 })) {
      if (day.year !== closedYear) {
        closedYear = day.year;
        closed = this.closedDaysIn(closedYear);
      }
      const date = day.toISODate()!;
      const closedDays = closed.get(date) ?? [];
      days.push({
        date,
        weekday: WEEKDAY_NAMES[day.weekday - 1]!,
        closedDays,
        open: closedDays.length ? [] : this.spansOf(day.year, day.month, day.day, day.weekday),
      });
    }
    return days;
  }

  /** How a deadline of `duration` from `openedAt` is reached, day by day. */
  explain(openedAt: Instant, duration: number): Explanation {
    const clockStartsAt = this.nextOpening(openedAt);
    const dueAt = this.addBusinessTime(openedAt, duration);
    const explained: ExplainDay[] = [];
    for (const day of this.days(openedAt, dueAt)) {
      let used = 0;
      let first = Number.NaN;
      let lastEnd = Number.NaN;
      for (const [open, close] of day.open) {
        const start = Math.max(open, clockStartsAt);
        const end = Math.min(close, dueAt);
        if (end <= start) continue;
        used += end - start;
        if (Number.isNaN(first)) first = start;
        lastEnd = end;
      }
      if (used > 0) {
        explained.push({ date: day.date, status: 'counted', from: this.clock(first), to: this.clock(lastEnd), businessMinutes: used / MINUTE });
      } else if (day.open.length === 0) {
        const reason = day.closedDays.length ? day.closedDays.map((c) => `${c.name}, ${c.reason}`).join('; ') : `${day.weekday}, ${day.weekday.startsWith('S') ? 'weekend' : 'no opening hours'}`;
        explained.push({ date: day.date, status: 'closed', reason });
      } else {
        explained.push({ date: day.date, status: 'outside-hours', reason: 'opened after closing' });
      }
    }
    const lines = explained.map((d) =>
      d.status === 'counted' ? `${d.date} counted ${formatMinutes(d.businessMinutes)} (${d.from}–${d.to})` : `${d.date} ${d.status === 'closed' ? 'closed' : 'outside hours'}: ${d.reason}`,
    );
    return {
      openedAt: this.iso(openedAt),
      clockStartsAt: this.iso(clockStartsAt),
      dueAt: this.iso(dueAt),
      businessMinutes: duration / MINUTE,
      days: explained,
      lines,
    };
  }

  /** ISO 8601 in the calendar's zone, with its offset. */
  iso(t: Instant): string {
    return DateTime.fromMillis(t, { zone: this.timeZone }).toISO()!;
  }

  private clock(t: Instant): string {
    return DateTime.fromMillis(t, { zone: this.timeZone }).toFormat(t % MINUTE === 0 ? 'HH:mm' : 'HH:mm:ss.SSS');
  }

  private tableAt(t: Instant): YearTable {
    if (!Number.isFinite(t)) throw new OutsideCalendarError(t, this.config.years);
    // The local year is the UTC year or a neighbour: offsets are less than a day.
    let year = new Date(t).getUTCFullYear();
    if (t < this.yearStart(year)) year--;
    else if (t >= this.yearStart(year + 1)) year++;
    return this.table(year, t);
  }

  /** Local midnight of 1 January, each year worked out once, when first asked. */
  private yearStart(year: number): Instant {
    let start = this.yearStarts.get(year);
    if (start === undefined) this.yearStarts.set(year, (start = this.localMidnight(year, 1, 1)));
    return start;
  }

  private table(year: number, asked: Instant): YearTable {
    const cached = this.tables.get(year);
    if (cached) return cached;
    const { from, to } = this.config.years;
    if (year < from || year > to) throw new OutsideCalendarError(asked, this.config.years);
    const built = this.buildYear(year);
    this.tables.set(year, built);
    return built;
  }

  private buildYear(year: number): YearTable {
    const closed = this.closedDaysIn(year);
    const spans: (readonly [Instant, Instant])[] = [];
    // Local dates are counted in UTC, where every day has 24 hours; only midnights and opening times meet the zone.
    let midnight = this.yearStart(year);
    for (let date = Date.UTC(year, 0, 1); date < Date.UTC(year + 1, 0, 1); date += DAY) {
      const day = new Date(date);
      const next = this.instantOf(date + DAY);
      const hours = this.week[day.getUTCDay() === 0 ? 6 : day.getUTCDay() - 1]!;
      if (hours.length && !closed.has(day.toISOString().slice(0, 10))) {
        // A day of 24 hours has no DST change: its wall clock is an offset from its midnight.
        if (next - midnight === DAY && hours.every(([, close]) => close <= 1440)) for (const [open, close] of hours) spans.push([midnight + open * MINUTE, midnight + close * MINUTE]);
        else spans.push(...this.spansOf(year, day.getUTCMonth() + 1, day.getUTCDate(), day.getUTCDay() === 0 ? 7 : day.getUTCDay()));
      }
      midnight = next;
    }
    const starts = new Float64Array(spans.length);
    const ends = new Float64Array(spans.length);
    const elapsedAtEnd = new Float64Array(spans.length);
    let total = 0;
    spans.forEach(([s, e], i) => {
      starts[i] = s;
      ends[i] = e;
      total += e - s;
      elapsedAtEnd[i] = total;
    });
    return { year, from: this.yearStart(year), to: this.yearStart(year + 1), starts, ends, elapsedAtEnd, total };
  }

  /** The open spans of a local date as instants; wall-clock times that DST skips move forward. */
  private spansOf(year: number, month: number, day: number, weekday: number): (readonly [Instant, Instant])[] {
    return this.week[weekday - 1]!.map(([open, close]) => [this.wallClock(year, month, day, open), this.wallClock(year, month, day, close)] as const);
  }

  /** A local date's wall-clock minute (1440 is the next midnight) as an instant; a repeated hour reads with the day's own offset. */
  private wallClock(year: number, month: number, day: number, minute: number): Instant {
    const days = Math.floor(minute / 1440);
    const midnight = this.instantOf(Date.UTC(year, month - 1, day + days));
    return this.instantOf(Date.UTC(year, month - 1, day + days) + (minute % 1440) * MINUTE, this.zone.offset(midnight));
  }

  private localMidnight(year: number, month: number, day: number): Instant {
    return this.instantOf(Date.UTC(year, month - 1, day));
  }

  /**
   * The instant a local wall-clock reading names, written as if it were UTC.
   * As luxon resolves it: `guess` is the offset tried first (it picks between
   * the two readings of an hour DST repeats); a reading DST skips moves forward
   * by the gap. One or two offset lookups, not a DateTime per reading: a year's
   * table needs a few hundred of them on a function's first request.
   */
  private instantOf(local: number, guess = this.zone.offset(local)): Instant {
    let utc = local - guess * MINUTE;
    const second = this.zone.offset(utc);
    if (second === guess) return utc;
    utc -= (second - guess) * MINUTE;
    const third = this.zone.offset(utc);
    if (second === third) return utc;
    return local - Math.min(second, third) * MINUTE;
  }

  /** Business time of `table`'s year that has passed at t. */
  private elapsedAt(table: YearTable, t: Instant): number {
    const i = firstEndAfter(table.ends, t);
    if (i === table.ends.length) return table.total;
    return table.elapsedAtEnd[i]! - (table.ends[i]! - Math.max(t, table.starts[i]!));
  }
}

/** Index of the first interval ending after t (length when none does). */
function firstEndAfter(ends: Float64Array, t: number): number {
  let lo = 0;
  let hi = ends.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ends[mid]! > t) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Index of the first interval by whose end at least `target` business time has passed. */
function firstElapsedAtLeast(elapsed: Float64Array, target: number): number {
  let lo = 0;
  let hi = elapsed.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (elapsed[mid]! >= target) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function formatMinutes(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = Math.round((minutes % 60) * 1000) / 1000;
  return h ? (m ? `${h} h ${m} min` : `${h} h`) : `${m} min`;
}
