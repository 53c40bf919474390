import { monthAvailability, type Sample, type ServiceWindow, SLOT_MS } from '../functions/domain/availability/availability';
import { danishCalendar } from '../functions/domain/calendar/danish-calendar';
import { bestRate, mulberry32, progress, type Row, type Suite, type SuiteResult } from './suite';

const YEAR = 2026;
const TARGETS = ['api', 't1', 't2', 't3', 't4', 't5', 't6', 't7', 't8', 't9'] as const;
const MONTHS = Array.from({ length: 12 }, (_, i) => `${YEAR}-${String(i + 1).padStart(2, '0')}`);
/** The month timed on its own: a month is what a report asks for. */
const MONTH_INDEX = 5;
/** After the last slot of the year, so every slot counts. */
const AS_OF = Date.UTC(YEAR + 1, 0, 1);
const SEED = 0xa7a1_1ab1;
const DOWN_RATE = 0.003;
const MISSING_RATE = 0.001;
const WINDOWS_PER_MONTH = 2;
const WINDOW_SLOTS = 24; // 2 hours
/** 08:00–16:00 in 5-minute slots; every business day of the contract has exactly these. */
const SLOTS_PER_DAY = 96;
const HOUR_SLOTS = 12;

const GOAL_RATE = 1_000_000;

interface Expected {
  readonly operating: number;
  readonly excluded: number;
  readonly up: number;
  readonly down: number;
  readonly missing: number;
}

interface Corpus {
  /** samples[month][target], as the store returns them: one query per target and month. */
  readonly samples: Sample[][][];
  readonly windows: ServiceWindow[][];
  readonly expected: Expected[][];
  readonly total: number;
}

function makeCorpus(): Corpus {
  const random = mulberry32(SEED);
  const calendar = danishCalendar();
  const samples: Sample[][][] = [];
  const windows: ServiceWindow[][] = [];
  const expected: Expected[][] = [];
  let total = 0;

  for (let m = 0; m < 12; m++) {
    const slots = calendar.operatingSlots(YEAR, m + 1);
    const days = slots.length / SLOTS_PER_DAY;
    if (!Number.isInteger(days)) throw new Error(`availability: ${MONTHS[m]} has ${slots.length} operating slots, not whole 8-hour days`);

    // Distinct business days, so the windows never overlap and exclude exactly WINDOW_SLOTS each.
    const monthWindows: ServiceWindow[] = [];
    const excluded = new Set<number>();
    const usedDays = new Set<number>();
    while (monthWindows.length < WINDOWS_PER_MONTH) {
      const day = Math.floor(random() * days);
      if (usedDays.has(day)) continue;
      usedDays.add(day);
      const first = day * SLOTS_PER_DAY + Math.floor(random() * 7) * HOUR_SLOTS; // starts 08:00–14:00
      for (let i = first; i < first + WINDOW_SLOTS; i++) excluded.add(slots[i]!);
      monthWindows.push({ start: slots[first]!, end: slots[first]! + WINDOW_SLOTS * SLOT_MS, reason: 'planned maintenance' });
    }
    windows.push(monthWindows);

    const operating = new Set(slots);
    // UTC month bounds: operating hours never come near UTC midnight, so this groups slots as the local month does.
    const from = Date.UTC(YEAR, m, 1);
    const to = Date.UTC(YEAR, m + 1, 1);
    const perTarget: Sample[][] = [];
    const expectedPerTarget: Expected[] = [];
    for (const target of TARGETS) {
      const list: Sample[] = [];
      let up = 0;
      let down = 0;
      for (let slot = from; slot < to; slot += SLOT_MS) {
        const counts = operating.has(slot) && !excluded.has(slot);
        if (random() < MISSING_RATE) continue;
        const at = slot + Math.floor(random() * 60_000);
        const latencyMs = 20 + Math.floor(random() * 200);
        if (random() < DOWN_RATE) {
          // Failures as the probe records them: an HTTP error, or no answer at all.
          list.push(random() < 0.5 ? { target, at, ok: false, latencyMs, status: 503 } : { target, at, ok: false, latencyMs: 10_000, error: 'timeout' });
          if (counts) down++;
        } else {
          list.push({ target, at, ok: true, latencyMs, status: 200 });
          if (counts) up++;
        }
      }
      perTarget.push(list);
      total += list.length;
      const eligible = slots.length - excluded.size;
      expectedPerTarget.push({ operating: slots.length, excluded: excluded.size, up, down, missing: eligible - up - down });
    }
    samples.push(perTarget);
    expected.push(expectedPerTarget);
  }
  return { samples, windows, expected, total };
}

/** Throws unless the figure is exactly what the corpus was built to give, so no run can skip or botch the work. */
function check(month: number, t: number, figure: ReturnType<typeof monthAvailability>, expected: Expected): void {
  const wrong =
    figure.operatingSlots !== expected.operating ||
    figure.excludedSlots !== expected.excluded ||
    figure.upSlots !== expected.up ||
    figure.downSlots !== expected.down ||
    figure.missingSlots !== expected.missing ||
    figure.eligibleSlots !== figure.upSlots + figure.downSlots + figure.missingSlots ||
    figure.operatingSlots !== figure.eligibleSlots + figure.excludedSlots ||
    !(figure.upSlots > 0);
  if (wrong) {
    const { operatingSlots, excludedSlots, eligibleSlots, upSlots, downSlots, missingSlots } = figure;
    throw new Error(
      `availability: ${MONTHS[month]} ${TARGETS[t]} gave ${JSON.stringify({ operatingSlots, excludedSlots, eligibleSlots, upSlots, downSlots, missingSlots })}, ` +
        `expected ${JSON.stringify(expected)}`,
    );
  }
}

async function run(): Promise<SuiteResult> {
  progress('availability: generating a year of 5-minute samples for 10 targets');
  const corpus = makeCorpus();
  const { samples, windows, expected } = corpus;
  const calendar = danishCalendar();
  const months = Array.from({ length: 12 }, (_, m) => m);
  const monthCount = samples[MONTH_INDEX]!.reduce((n, list) => n + list.length, 0);

  const engine = (which: readonly number[]) => () => {
    for (const m of which) {
      for (let t = 0; t < TARGETS.length; t++) {
        const figure = monthAvailability({ calendar, month: MONTHS[m]!, target: TARGETS[t]!, samples: samples[m]![t]!, windows: windows[m]!, asOf: AS_OF });
        check(m, t, figure, expected[m]![t]!);
      }
    }
  };
  // Sums every at and ok, so the baseline cannot be skipped either.
  let sink = 0;
  const baseline = () => {
    let sum = 0;
    let up = 0;
    for (const perTarget of samples) {
      for (const list of perTarget) {
        for (let i = 0; i < list.length; i++) {
          const s = list[i]!;
          sum += s.at;
          if (s.ok) up++;
        }
      }
    }
    sink += sum + up;
  };

  progress(`availability: ${MONTHS[MONTH_INDEX]}, ${monthCount.toLocaleString('en')} samples`);
  const month = engine([MONTH_INDEX]);
  month(); // warm-up: JIT, and the calendar builds its year table
  const monthRate = bestRate(monthCount, 9, month);

  progress(`availability: ${YEAR}, ${corpus.total.toLocaleString('en')} samples`);
  const year = engine(months);
  year();
  const yearRate = bestRate(corpus.total, 5, year);

  progress('availability: baseline loop over the same samples');
  baseline();
  const baselineRate = bestRate(corpus.total, 9, baseline);
  if (!Number.isFinite(sink) || sink <= 0) throw new Error('availability: the baseline read no samples');

  return {
    availability: {
      monthMs: round2((monthCount * 1000) / monthRate),
      yearMs: round2((corpus.total * 1000) / yearRate),
      samplesPerSecond: Math.round(yearRate),
      baselineSamplesPerSecond: Math.round(baselineRate),
    },
  };
}

const round2 = (x: number) => Math.round(x * 100) / 100;

function table(result: SuiteResult): Row[] {
  const { monthMs = Number.NaN, yearMs = Number.NaN, samplesPerSecond = Number.NaN, baselineSamplesPerSecond = Number.NaN } = result.availability ?? {};
  return [
    { label: `monthAvailability ${MONTHS[MONTH_INDEX]}, 10 targets`, value: monthMs, unit: 'ms' },
    { label: `monthAvailability ${YEAR}, 12 months × 10 targets`, value: yearMs, unit: 'ms' },
    { label: 'monthAvailability throughput (year)', value: samplesPerSecond, unit: 'samples/s', goal: GOAL_RATE },
    { label: 'baseline: read at and ok of every sample', value: baselineSamplesPerSecond, unit: 'samples/s' },
    // Below 1 by nature; a unit other than '×' keeps its decimals in the table.
    { label: 'ratio monthAvailability ÷ baseline', value: samplesPerSecond / baselineSamplesPerSecond, unit: 'of baseline' },
  ];
}

export const availabilitySuite: Suite = {
  name: 'availability',
  title: `month availability from 5-minute probe samples (10 targets, ${YEAR}, ~1,050,000 samples)`,
  run,
  table,
};
