import { SLOT_MINUTES } from '../contract';
import type { BusinessCalendar, Instant } from '../calendar/business-calendar';
import { monthParts, parseMonth } from '../month';

/** The contract: the provider measures every 5 minutes, and that measurement is the month's availability. */
export const SLOT_MS = SLOT_MINUTES * 60_000;
export const AVAILABILITY_TARGET_PERCENT = 99.5;

/** One probe result. */
export interface Sample {
  readonly target: string;
  readonly at: Instant;
  readonly ok: boolean;
  readonly latencyMs: number;
  readonly status?: number;
  readonly error?: string;
}

/** An announced (or, flagged, a retroactive) extraordinary service window. */
export interface ServiceWindow {
  readonly id?: string;
  readonly start: Instant;
  readonly end: Instant;
  readonly reason: string;
  /** The targets it covers; all when unset. */
  readonly targets?: readonly string[];
  readonly retroactive?: boolean;
}

interface Incident {
  readonly start: Instant;
  readonly end: Instant;
  readonly minutes: number;
}

export interface MonthAvailability {
  readonly month: string;
  readonly target: string;
  /** Slots count from this instant on (a week to date); the whole month when unset. */
  readonly since?: Instant;
  /** Slots count once they have ended by this instant (month to date). */
  readonly asOf: Instant;
  /** 100 × upSlots / eligibleSlots, unrounded; null while no eligible slot has ended (nothing measured yet). */
  readonly availabilityPercent: number | null;
  readonly operatingSlots: number;
  readonly excludedSlots: number;
  readonly eligibleSlots: number;
  readonly upSlots: number;
  readonly downSlots: number;
  readonly missingSlots: number;
  readonly targetPercent: number;
  /** Null while nothing was measured: an empty month neither meets nor misses the target. */
  readonly targetMet: boolean | null;
  /** Why the figure is not there yet, when it is not. */
  readonly note?: string;
  /** Unavailable minutes the target still allows in the whole month (negative when exceeded); with `since`, only that period's downtime is taken off. */
  readonly downtimeBudgetLeftMinutes: number;
  readonly incidents: readonly Incident[];
  readonly retroactiveWindows: readonly ServiceWindow[];
}

const UP = 1;
const DOWN = 2;

const appliesTo = (window: ServiceWindow, target: string) => !window.targets?.length || window.targets.includes(target);

/** The 5-minute slot a sample belongs to: the one containing its `at` (10:00:42 belongs to 10:00). */
export const slotOf = (at: Instant) => Math.floor(at / SLOT_MS) * SLOT_MS;

/** First index whose slot starts at or after t. */
function lowerBound(slots: readonly Instant[], t: Instant): number {
  let lo = 0;
  let hi = slots.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (slots[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * A target's availability for a month, counted in operating-hours slots:
 * excluded slots overlap a service window; of the rest (eligible), a slot is up
 * or down by its sample, or missing when there is none (it counts against
 * availability: measuring is the provider's duty). When a slot has several
 * samples, the earliest counts, as the store keeps only the first.
 */
export function monthAvailability(input: {
  calendar: BusinessCalendar;
  month: string;
  target: string;
  samples: Iterable<Sample>;
  windows: readonly ServiceWindow[];
  asOf: Instant;
  since?: Instant;
}): MonthAvailability {
  const { year, month } = monthParts(parseMonth(input.month));
  const slots = input.calendar.operatingSlots(year, month);
  const counted = lowerBound(slots, input.asOf - SLOT_MS + 1); // slots that have ended by asOf
  const first = input.since === undefined ? 0 : Math.min(counted, lowerBound(slots, input.since)); // slots starting at or after since
  const state = new Uint8Array(counted);
  const firstAt = new Float64Array(counted).fill(Number.POSITIVE_INFINITY);
  const index = new Map<number, number>();
  for (let i = first; i < counted; i++) index.set(slots[i]!, i);

  for (const sample of input.samples) {
    if (sample.target !== input.target) continue;
    const i = index.get(slotOf(sample.at));
    if (i === undefined || sample.at >= firstAt[i]!) continue;
    firstAt[i] = sample.at;
    state[i] = sample.ok ? UP : DOWN;
  }

  // Over the whole month: the downtime budget is the month's, not the month to date's.
  const excluded = new Uint8Array(slots.length);
  const windows = input.windows.filter((w) => appliesTo(w, input.target));
  for (const window of windows) {
    // Slots [s, s + 5 min) that overlap [start, end).
    for (let i = lowerBound(slots, window.start - SLOT_MS + 1); i < slots.length && slots[i]! < window.end; i++) excluded[i] = 1;
  }
  let excludedInMonth = 0;
  for (let i = 0; i < slots.length; i++) excludedInMonth += excluded[i]!;

  let excludedSlots = 0;
  let upSlots = 0;
  let downSlots = 0;
  const incidents: Incident[] = [];
  for (let i = first; i < counted; i++) {
    if (excluded[i]) {
      excludedSlots++;
      continue;
    }
    if (state[i] === UP) upSlots++;
    else if (state[i] === DOWN) {
      downSlots++;
      const last = incidents.at(-1);
      if (last && last.end === slots[i]) incidents[incidents.length - 1] = { start: last.start, end: slots[i]! + SLOT_MS, minutes: last.minutes + SLOT_MINUTES };
      else incidents.push({ start: slots[i]!, end: slots[i]! + SLOT_MS, minutes: SLOT_MINUTES });
    }
  }
  const eligibleSlots = counted - first - excludedSlots;
  const missingSlots = eligibleSlots - upSlots - downSlots;
  const availabilityPercent = eligibleSlots === 0 ? null : (100 * upSlots) / eligibleSlots;
  const allowedMinutes = ((slots.length - excludedInMonth) * SLOT_MINUTES * (100 - AVAILABILITY_TARGET_PERCENT)) / 100;
  const monthStart = slots[0] ?? 0;
  const monthEnd = (slots.at(-1) ?? 0) + SLOT_MS;
  return {
    month: input.month,
    target: input.target,
    ...(input.since === undefined ? {} : { since: input.since }),
    asOf: input.asOf,
    availabilityPercent,
    operatingSlots: counted - first,
    excludedSlots,
    eligibleSlots,
    upSlots,
    downSlots,
    missingSlots,
    targetPercent: AVAILABILITY_TARGET_PERCENT,
    targetMet: availabilityPercent === null ? null : availabilityPercent >= AVAILABILITY_TARGET_PERCENT,
    ...(availabilityPercent === null
      ? { note: counted === first ? `no operating-hours slot of this ${input.since === undefined ? 'month' : 'period'} has ended yet` : 'every operating-hours slot so far lies in a service window' }
      : {}),
    downtimeBudgetLeftMinutes: allowedMinutes - (downSlots + missingSlots) * 5,
    incidents,
    retroactiveWindows: windows.filter((w) => w.retroactive && w.start < monthEnd && w.end > monthStart),
  };
}

/** A span that may cross a month boundary (a week to date), from its months' parts counted with `since`. */
export interface PeriodAvailability {
  readonly target: string;
  readonly from: Instant;
  readonly asOf: Instant;
  readonly availabilityPercent: number | null;
  readonly eligibleSlots: number;
  readonly upSlots: number;
  readonly downSlots: number;
  readonly missingSlots: number;
  readonly excludedSlots: number;
  readonly incidents: readonly Incident[];
}

export function periodAvailability(target: string, from: Instant, asOf: Instant, parts: readonly MonthAvailability[]): PeriodAvailability {
  const sum = (key: 'eligibleSlots' | 'upSlots' | 'downSlots' | 'missingSlots' | 'excludedSlots') => parts.reduce((n, p) => n + p[key], 0);
  const eligibleSlots = sum('eligibleSlots');
  const upSlots = sum('upSlots');
  return {
    target,
    from,
    asOf,
    availabilityPercent: eligibleSlots === 0 ? null : (100 * upSlots) / eligibleSlots,
    eligibleSlots,
    upSlots,
    downSlots: sum('downSlots'),
    missingSlots: sum('missingSlots'),
    excludedSlots: sum('excludedSlots'),
    // A month ends at midnight, outside operating hours, so no incident spans two parts.
    incidents: parts.flatMap((p) => p.incidents),
  };
}
