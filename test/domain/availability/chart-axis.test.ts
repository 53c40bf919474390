import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dayLabelEvery, percentAxis } from '#domain/availability/chart-axis';

describe("an availability chart's y-axis", () => {
  it('runs from 99% to 100% when every day is near the target, from below the worst day otherwise', () => {
    expect(percentAxis([100, 99.8, null, 99.6], 160, 14)).toEqual({ floor: 99, ticks: [100, 99.75, 99.5, 99.25, 99] });
    expect(percentAxis([100, 93.75], 200, 14)).toEqual({ floor: 92, ticks: [100, 98, 96, 94, 92] });
    expect(percentAxis([], 200, 14).floor).toBe(99);
    expect(percentAxis([0, 100], 200, 14)).toMatchObject({ floor: 0, ticks: [100, 80, 60, 40, 20, 0] });
  });

  it('for any days: top 100, floor at most the worst day and 99 and never negative, labels at least the gap apart', () => {
    fc.assert(
      fc.property(
        fc.array(fc.option(fc.double({ min: 0, max: 100, noNaN: true }), { nil: null }), { maxLength: 23 }),
        fc.integer({ min: 40, max: 600 }),
        fc.integer({ min: 8, max: 40 }),
        (values, height, minGap) => {
          fc.pre(height >= minGap);
          const { floor, ticks } = percentAxis(values, height, minGap);
          const measured = values.filter((v): v is number => v !== null);
          expect(ticks[0]).toBe(100);
          expect(ticks.length).toBeLessThanOrEqual(6);
          expect(ticks.at(-1)).toBe(floor);
          expect(floor).toBeGreaterThanOrEqual(0);
          expect(floor).toBeLessThanOrEqual(Math.min(99, ...measured));
          const px = (v: number) => ((100 - v) * height) / (100 - floor);
          for (let i = 1; i < ticks.length; i++) expect(px(ticks[i]!) - px(ticks[i - 1]!)).toBeGreaterThanOrEqual(minGap - 1e-9);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('labels every day when they fit, every few days when they do not', () => {
    expect(dayLabelEvery(21, 672, 24)).toBe(1);
    expect(dayLabelEvery(23, 300, 24)).toBe(2);
  });
});
