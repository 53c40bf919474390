import { DateTime } from 'luxon';
import moment from 'moment';
// Patches the same `moment` instance with addWorkingTime and reads its working hours from the locale.
import 'moment-business-time';
import { danishCalendar, danishContractCalendar } from '../functions/domain/calendar/danish-calendar';
import type { Weekday } from '../functions/domain/calendar/calendar-config';
import { FIRST_RESPONSE_HOURS, PRIORITIES, type Priority, firstResponseDueAt } from '../functions/domain/sla/sla-policy';
import { bestRate, mulberry32, progress, type Row, type Suite, type SuiteResult } from './suite';

declare module 'moment' {
  interface Moment {
    addWorkingTime(amount: number, unit: 'hours'): Moment;
  }
}

const CORPUS_SIZE = 100_000;
/** moment-business-time manages only a few thousand deadlines a second at best. */
const BASELINE_SIZE = 2_000;
const SEED = 0x5eed_51a;
const MINUTE = 60_000;
/** openedAt is drawn from [2024-01-01, 2031-01-01) UTC, in whole minutes. */
const FROM = Date.UTC(2024, 0, 1);
const TO = Date.UTC(2031, 0, 1);
/** Tickets opened late in 2030 fall due in 2031, so both engines need its closed days. */
const CLOSED_DAY_YEARS = [2024, 2025, 2026, 2027, 2028, 2029, 2030, 2031];
const ZONE = danishContractCalendar.timeZone;

const GOAL_RATE = 1_000_000;
const GOAL_RATIO = 1_000;

interface Corpus {
  readonly openedAt: Float64Array;
  readonly priority: Priority[];
}

function makeCorpus(size: number): Corpus {
  const random = mulberry32(SEED);
  const minutes = (TO - FROM) / MINUTE;
  const openedAt = new Float64Array(size);
  const priority: Priority[] = [];
  for (let i = 0; i < size; i++) {
    openedAt[i] = FROM + Math.floor(random() * minutes) * MINUTE;
    priority.push(PRIORITIES[Math.floor(random() * PRIORITIES.length)]!);
  }
  return { openedAt, priority };
}

/** Working hours and holidays for moment-business-time, from the same config and closed days sla-desk uses. */
function configureMoment(): void {
  const workinghours: Record<number, string[] | null> = {};
  for (let day = 0; day < 7; day++) {
    // moment numbers Sunday 0, the config (like luxon) Sunday 7.
    const spans = danishContractCalendar.weeklyHours[(day === 0 ? 7 : day) as Weekday] ?? [];
    workinghours[day] = spans.length ? spans.flatMap(([open, close]) => [`${open}:00`, `${close}:00`]) : null;
  }
  const holidays = CLOSED_DAY_YEARS.flatMap((year) => [...danishCalendar().closedDaysIn(year).keys()]);
  moment.updateLocale('en', { workinghours, holidays });
  moment.locale('en');
  if (typeof moment.fn.addWorkingTime !== 'function') throw new Error('moment-business-time did not patch the imported moment');
}

/*
 * moment-business-time has no notion of time zones: it works in whatever zone
 * its moments are in. We hand it Copenhagen wall-clock time written as UTC
 * ("floating" time, which has no DST) and read its answer back the same way.
 * That is exact here: Copenhagen changes clocks at night on Sundays, never
 * during opening hours, and every deadline lands within opening hours. Both
 * conversions are done outside the timed region, so moment's figure does not
 * pay for time-zone work that sla-desk's does.
 */
function toWallClock(t: number): number {
  return t + DateTime.fromMillis(t, { zone: ZONE }).offset * MINUTE;
}

function fromWallClock(wall: number): number {
  return DateTime.fromMillis(wall, { zone: 'utc' }).setZone(ZONE, { keepLocalTime: true }).toMillis();
}

function momentDueAt(wallClock: number, priority: Priority): number {
  return moment.utc(wallClock).addWorkingTime(FIRST_RESPONSE_HOURS[priority], 'hours').valueOf();
}

/*
 * Semantics checked against lib/business-hours.js (v2.0.0) before comparing:
 * - it treats closing time as working time (isSameOrBefore), sla-desk does not
 *   ([open, close)). A ticket opened exactly at 16:00 still agrees: moment's
 *   first 1-minute step crosses closing and carries that minute to the next
 *   opening, as sla-desk starts counting there.
 * - a deadline running out exactly at closing ends at closing in both
 *   (`then.isSameOrBefore(segment[1])`), not at the next opening.
 * So no normalisation is needed: any difference is a real disagreement.
 */
function checkAgreement(corpus: Corpus, wallClock: Float64Array): void {
  const calendar = danishCalendar();
  for (let i = 0; i < wallClock.length; i++) {
    const openedAt = corpus.openedAt[i]!;
    const priority = corpus.priority[i]!;
    const ours = firstResponseDueAt(openedAt, priority, calendar);
    const theirs = fromWallClock(momentDueAt(wallClock[i]!, priority));
    if (ours !== theirs) {
      throw new Error(
        `sla-desk and moment-business-time disagree on pair #${i}: opened ${calendar.iso(openedAt)}, priority ${priority}: ` +
          `sla-desk ${calendar.iso(ours)}, moment-business-time ${calendar.iso(theirs)}`,
      );
    }
  }
}

async function run(): Promise<SuiteResult> {
  const corpus = makeCorpus(CORPUS_SIZE);
  const { openedAt, priority } = corpus;
  const calendar = danishCalendar();
  // Results are summed into a sink so no engine can skip work whose result is unused.
  let sink = 0;

  progress(`sla: sla-desk on ${CORPUS_SIZE.toLocaleString('en')} deadlines`);
  const ours = () => {
    for (let i = 0; i < CORPUS_SIZE; i++) sink += firstResponseDueAt(openedAt[i]!, priority[i]!, calendar);
  };
  ours(); // warm-up: JIT, and the calendar builds its year tables
  const deadlinesPerSecond = bestRate(CORPUS_SIZE, 7, ours);

  progress(`sla: checking moment-business-time agrees on ${BASELINE_SIZE.toLocaleString('en')} deadlines`);
  configureMoment();
  const wallClock = openedAt.slice(0, BASELINE_SIZE).map(toWallClock);
  checkAgreement(corpus, wallClock); // doubles as moment's warm-up

  progress('sla: timing moment-business-time');
  const momentBusinessTimePerSecond = bestRate(BASELINE_SIZE, 3, () => {
    for (let i = 0; i < BASELINE_SIZE; i++) sink += momentDueAt(wallClock[i]!, priority[i]!);
  });

  if (!Number.isFinite(sink)) throw new Error('sla: a deadline was not a number');
  return {
    slaEngine: {
      deadlinesPerSecond: Math.round(deadlinesPerSecond),
      momentBusinessTimePerSecond: Math.round(momentBusinessTimePerSecond),
    },
  };
}

function table(result: SuiteResult): Row[] {
  const { deadlinesPerSecond = Number.NaN, momentBusinessTimePerSecond = Number.NaN } = result.slaEngine ?? {};
  return [
    { label: 'sla-desk firstResponseDueAt', value: deadlinesPerSecond, unit: 'deadlines/s', goal: GOAL_RATE },
    { label: 'moment-business-time addWorkingTime', value: momentBusinessTimePerSecond, unit: 'deadlines/s' },
    { label: 'ratio sla-desk ÷ moment-business-time', value: deadlinesPerSecond / momentBusinessTimePerSecond, unit: '×', goal: GOAL_RATIO },
  ];
}

export const slaSuite: Suite = {
  name: 'sla',
  title: `first-response deadlines, Danish business hours (${CORPUS_SIZE.toLocaleString('en')} tickets; moment-business-time on the first ${BASELINE_SIZE.toLocaleString('en')})`,
  run,
  table,
};
