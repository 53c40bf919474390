/**
 * The y-axis of an availability chart, shared by the report page and the
 * console: from a floor to 100%, with labels that never crowd each other.
 */
export interface PercentAxis {
  /** The axis's lowest value: at most 99, and at most the worst day; never below 0. */
  readonly floor: number;
  /** The labelled values, from 100 down to the floor. */
  readonly ticks: readonly number[];
}

/** How far apart, in pixels, the charts' 11-pixel axis labels stand at least. */
export const AXIS_LABEL_GAP = 16;

/** Steps between labels that divide 100, so the ticks count down from 100 to a floor of 0 at worst. */
const STEPS = [0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 25, 50, 100];

/** More labels than this tell a reader nothing more. */
const MAX_TICKS = 6;

/** Rounded to hundredths: a tick of 99.5 stays 99.5, not 99.49999999999999. */
const tidy = (v: number) => Math.round(v * 100) / 100;

/**
 * The axis for these daily figures drawn `height` pixels tall: the finest step
 * whose labels stand at least `minGap` pixels apart (six labels at most), and the floor the first
 * tick at or below the lower of 99 and the worst day. `height` must be at least
 * `minGap`, so 100 and 0 alone always fit.
 */
export function percentAxis(values: readonly (number | null)[], height: number, minGap: number): PercentAxis {
  const measured = values.filter((v): v is number => v !== null && Number.isFinite(v));
  const lowest = Math.max(0, Math.min(99, Math.floor(Math.min(100, ...measured))));
  for (const step of STEPS) {
    const floor = Math.max(0, tidy(100 - Math.ceil(tidy((100 - lowest) / step)) * step));
    const crowded = (step * height) / (100 - floor) < minGap || (100 - floor) / step + 1 > MAX_TICKS;
    if (crowded && step !== 100) continue;
    const ticks: number[] = [];
    for (let n = 0; tidy(100 - n * step) >= floor; n++) ticks.push(tidy(100 - n * step));
    return { floor, ticks };
  }
  throw new Error('unreachable: a step of 100 always fits');
}

/** A percentage as an axis or a tooltip writes it: "99.5%", "100%", "93.75%". */
export const percentLabel = (value: number, digits = 2): string => `${Number(value.toFixed(digits))}%`;

/** Label every nth day, so labels `width / days` pixels apart are at least `minGap` apart. */
export const dayLabelEvery = (days: number, width: number, minGap: number): number => Math.max(1, Math.ceil(minGap / (width / Math.max(1, days))));
