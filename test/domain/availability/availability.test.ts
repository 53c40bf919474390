import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { monthAvailability, type Sample, type ServiceWindow, SLOT_MS } from '#domain/availability/availability';
import { danishCalendar } from '#domain/calendar/danish-calendar';
import { parseInstant } from '#domain/instant';
import { contractSlots, localInstant } from '../../support/danish-contract';

const calendar = danishCalendar();
const at = parseInstant;
const END_OF_JUNE = at('2026-07-01T00:00:00+02:00');
const sample = (when: string, ok = true, target = 'api'): Sample => ({ target, at: at(when), ok, latencyMs: 40 });
const june = (samples: Sample[], windows: ServiceWindow[] = [], asOf = END_OF_JUNE) => monthAvailability({ calendar, month: '2026-06', target: 'api', samples, windows, asOf });

/** Every operating slot of June 2026 sampled ok, except those listed. */
function allUp(except: string[] = []): Sample[] {
  const skip = new Set(except.map((s) => at(s)));
  return calendar
    .operatingSlots(2026, 6)
    .filter((s) => !skip.has(s))
    .map((s) => ({ target: 'api', at: s + 42_000, ok: true, latencyMs: 40 }));
}

describe('the month availability figure', () => {
  it('counts operating-hours slots only: 21 business days of June 2026 (Constitution Day closed) × 96', () => {
    const figure = june(allUp());
    expect(figure).toMatchObject({ operatingSlots: 2016, eligibleSlots: 2016, upSlots: 2016, downSlots: 0, missingSlots: 0, excludedSlots: 0, availabilityPercent: 100, targetMet: true });
  });

  it('nothing measured yet is said as such, not as 100% met', () => {
    // Monday 1 June 2026 07:00: no slot has ended.
    expect(june([], [], at('2026-06-01T07:00:00+02:00'))).toMatchObject({ eligibleSlots: 0, availabilityPercent: null, targetMet: null, note: 'no operating-hours slot of this month has ended yet' });
    // 08:00–09:00 ended, all of it in a service window.
    const window = { start: at('2026-06-01T08:00:00+02:00'), end: at('2026-06-01T09:00:00+02:00'), reason: 'patch' };
    expect(june([], [window], at('2026-06-01T09:00:00+02:00'))).toMatchObject({
      excludedSlots: 12,
      eligibleSlots: 0,
      availabilityPercent: null,
      targetMet: null,
      note: 'every operating-hours slot so far lies in a service window',
    });
    // One ended slot is a figure.
    expect(june([sample('2026-06-01T08:00:10+02:00')], [], at('2026-06-01T08:05:00+02:00'))).toMatchObject({ eligibleSlots: 1, availabilityPercent: 100, targetMet: true });
  });

  it('a sample belongs to the slot containing it; samples outside operating hours do not count', () => {
    const figure = june([
      sample('2026-06-01T08:00:00+02:00', false), // opening slot
      sample('2026-06-01T15:59:59.999+02:00', false), // last slot, 15:55
      sample('2026-06-01T16:00:00+02:00', false), // closed
      sample('2026-06-01T07:59:00+02:00', false), // before opening
      sample('2026-06-05T12:00:00+02:00', false), // Constitution Day
      sample('2026-06-06T12:00:00+02:00', false), // Saturday
    ]);
    expect(figure.downSlots).toBe(2);
    expect(figure.missingSlots).toBe(2014);
  });

  it('the earliest sample of a slot counts, whatever order they come in', () => {
    const figure = june([sample('2026-06-01T10:00:50+02:00', false), sample('2026-06-01T10:00:42+02:00', true)], [], at('2026-06-01T10:05:00+02:00'));
    expect(figure).toMatchObject({ eligibleSlots: 25, upSlots: 1, downSlots: 0, missingSlots: 24 });
  });

  it('missing slots count against availability and are reported separately', () => {
    const figure = june(allUp(['2026-06-10T08:00:00+02:00', '2026-06-10T08:05:00+02:00']));
    expect(figure).toMatchObject({ upSlots: 2014, missingSlots: 2, availabilityPercent: (100 * 2014) / 2016, targetMet: true });
    expect(figure.downtimeBudgetLeftMinutes).toBeCloseTo(2016 * 5 * 0.005 - 10, 9);
  });

  it.each<[string, string, string, number]>([
    ['a window crossing slot edges excludes every slot it touches', '2026-06-17T12:02:00+02:00', '2026-06-17T12:07:00+02:00', 2],
    ['a window on slot edges excludes exactly its slots', '2026-06-17T12:00:00+02:00', '2026-06-17T14:30:00+02:00', 30],
    ['a millisecond past an edge touches the next slot', '2026-06-17T12:00:00+02:00', '2026-06-17T12:05:00.001+02:00', 2],
    ['a window outside operating hours excludes nothing', '2026-06-17T18:00:00+02:00', '2026-06-17T22:00:00+02:00', 0],
    ['a window across closing and the next opening', '2026-06-17T15:50:00+02:00', '2026-06-18T08:10:00+02:00', 4],
  ])('%s', (_, start, end, excluded) => {
    const figure = june(allUp(), [{ start: at(start), end: at(end), reason: 'patch' }]);
    expect(figure.excludedSlots).toBe(excluded);
    expect(figure.eligibleSlots).toBe(2016 - excluded);
  });

  it('a window for other targets does not exclude this one', () => {
    expect(june(allUp(), [{ start: at('2026-06-17T12:00:00+02:00'), end: at('2026-06-17T13:00:00+02:00'), reason: 'x', targets: ['crm'] }]).excludedSlots).toBe(0);
  });

  it('merges runs of down slots into incidents, and misses the target', () => {
    const down = ['2026-06-10T10:00:00+02:00', '2026-06-10T10:05:00+02:00', '2026-06-10T10:10:00+02:00', '2026-06-10T15:55:00+02:00', '2026-06-11T08:00:00+02:00'];
    const samples = [...allUp(down), ...down.map((d) => sample(d, false))];
    const figure = june(samples);
    expect(figure.incidents).toEqual([
      { start: at('2026-06-10T10:00:00+02:00'), end: at('2026-06-10T10:15:00+02:00'), minutes: 15 },
      { start: at('2026-06-10T15:55:00+02:00'), end: at('2026-06-10T16:00:00+02:00'), minutes: 5 },
      { start: at('2026-06-11T08:00:00+02:00'), end: at('2026-06-11T08:05:00+02:00'), minutes: 5 },
    ]);
    expect(figure.downSlots).toBe(5);
    expect(figure.targetMet).toBe(true); // 2011/2016 = 99.75%

    const worse = june([
      ...allUp([...down, ...Array.from({ length: 10 }, (_, i) => `2026-06-12T0${8 + Math.floor(i / 12)}:${String((i % 12) * 5).padStart(2, '0')}:00+02:00`)]),
      ...down.map((d) => sample(d, false)),
    ]);
    expect(worse.availabilityPercent).toBeLessThan(99.5);
    expect(worse.targetMet).toBe(false);
    expect(worse.downtimeBudgetLeftMinutes).toBeLessThan(0);
  });

  it('counts the month to date: only slots that have ended', () => {
    const figure = june(allUp(), [], at('2026-06-01T08:12:00+02:00'));
    expect(figure).toMatchObject({ operatingSlots: 2, eligibleSlots: 2, upSlots: 2 });
    // The budget is the whole month's: one missing slot early on leaves most of it.
    const early = june(allUp(['2026-06-01T08:05:00+02:00']), [], at('2026-06-01T08:12:00+02:00'));
    expect(early.downtimeBudgetLeftMinutes).toBeCloseTo(2016 * 5 * 0.005 - 5, 9);
  });

  it('handles DST: the Monday after the spring change opens at 06:00 UTC', () => {
    const figure = monthAvailability({
      calendar,
      month: '2026-03',
      target: 'api',
      samples: [sample('2026-03-30T06:00:42Z', false), sample('2026-03-27T06:00:42Z', false)],
      windows: [],
      asOf: at('2026-04-01T00:00:00+02:00'),
    });
    expect(figure.operatingSlots).toBe(22 * 96);
    expect(figure.downSlots).toBe(1); // 2026-03-27 06:00Z is 07:00 in winter time: closed
  });

  it('lists retroactive windows with the figure', () => {
    const window: ServiceWindow = { id: 'w1', start: at('2026-06-17T12:00:00+02:00'), end: at('2026-06-17T13:00:00+02:00'), reason: 'hotfix', retroactive: true };
    expect(june(allUp(), [window]).retroactiveWindows).toEqual([window]);
  });
});

describe('availability against a slot-by-slot oracle', () => {
  // Random months 2024–2030 (December and the DST months included) and several targets; the
  // oracle enumerates the month's slots from the contract itself, not from the calendar.
  const TARGETS = ['api', 'crm', 'portal'] as const;
  const scenario = fc.record({ year: fc.integer({ min: 2024, max: 2030 }), month: fc.integer({ min: 1, max: 12 }), target: fc.constantFrom(...TARGETS) }).chain(({ year, month, target }) => {
    const slots = contractSlots(year, month);
    const start = localInstant(year, month, 1, 0);
    const end = month === 12 ? localInstant(year + 1, 1, 1, 0) : localInstant(year, month + 1, 1, 0);
    const instant = fc.oneof(
      fc.integer({ min: start, max: end - 1 }),
      fc.constantFrom(...slots).chain((s) => fc.integer({ min: -1, max: SLOT_MS }).map((d) => s + d)),
    );
    return fc.record({
      year: fc.constant(year),
      month: fc.constant(month),
      target: fc.constant(target),
      slots: fc.constant(slots),
      samples: fc.array(fc.record({ target: fc.constantFrom(...TARGETS), at: instant, ok: fc.boolean(), latencyMs: fc.nat(5000) }), { maxLength: 300 }),
      windows: fc.array(
        fc.tuple(instant, fc.integer({ min: 1, max: 6 * 3_600_000 }), fc.option(fc.subarray([...TARGETS], { minLength: 1 }), { nil: undefined })).map(([from, length, targets]) => ({
          start: from,
          end: from + length,
          reason: 'w',
          ...(targets ? { targets } : {}),
        })),
        { maxLength: 4 },
      ),
      asOf: fc.integer({ min: start, max: end + SLOT_MS }),
      since: fc.option(instant, { nil: undefined }),
    });
  });

  it('the counts always add up and match the oracle, for the month or from any instant on', () => {
    fc.assert(
      fc.property(scenario, ({ year, month, target, slots, samples: ss, windows: ws, asOf, since }) => {
        const figure = monthAvailability({ calendar, month: `${year}-${String(month).padStart(2, '0')}`, target, samples: ss, windows: ws, asOf, ...(since === undefined ? {} : { since }) });
        expect(figure.eligibleSlots).toBe(figure.upSlots + figure.downSlots + figure.missingSlots);
        expect(figure.operatingSlots).toBe(figure.eligibleSlots + figure.excludedSlots);

        // Oracle: each slot on its own, straight from the definitions.
        let up = 0;
        let down = 0;
        let missing = 0;
        let excluded = 0;
        for (const s of slots) {
          if (s + SLOT_MS > asOf || (since !== undefined && s < since)) continue;
          if (ws.some((w) => (!w.targets || (w.targets as readonly string[]).includes(target)) && w.start < s + SLOT_MS && w.end > s)) {
            excluded++;
            continue;
          }
          const inSlot = ss.filter((x) => x.target === target && x.at >= s && x.at < s + SLOT_MS).sort((a, b) => a.at - b.at);
          if (!inSlot.length) missing++;
          else if (inSlot[0]!.ok) up++;
          else down++;
        }
        expect([figure.upSlots, figure.downSlots, figure.missingSlots, figure.excludedSlots]).toEqual([up, down, missing, excluded]);
        expect(figure.operatingSlots).toBe(slots.filter((s) => s + SLOT_MS <= asOf && (since === undefined || s >= since)).length);
        expect(figure.availabilityPercent).toBe(up + down + missing === 0 ? null : (100 * up) / (up + down + missing));
      }),
      { numRuns: 100 },
    );
  });
});
