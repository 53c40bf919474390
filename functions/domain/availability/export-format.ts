import * as z from 'zod/mini';
import type { BusinessCalendar } from '../calendar/business-calendar';
import type { MonthAvailability, Sample, ServiceWindow } from './availability';

const instant = z.pipe(
  z.iso.datetime({ offset: true }),
  z.transform((text: string) => Date.parse(text)),
);

/**
 * One line of the samples export (`GET /availability/samples`), which the CLI
 * reads back: {"target":"api","at":"2026-06-10T08:00:42.123Z","ok":true,"latencyMs":45,"status":200}
 */
export const SampleLine = z.strictObject({
  target: z.string().check(z.minLength(1), z.maxLength(64)),
  at: instant,
  ok: z.boolean(),
  latencyMs: z.number().check(z.nonnegative()),
  status: z.optional(z.int().check(z.minimum(0), z.maximum(999))),
  error: z.optional(z.string().check(z.maxLength(1000))),
});

/** A service window as exported or written by hand; other fields (id, notice, …) are allowed and ignored. */
export const WindowEntry = z
  .looseObject({
    start: instant,
    end: instant,
    reason: z.string().check(z.minLength(1)),
    targets: z.optional(z.nullable(z.array(z.string().check(z.minLength(1))))),
    retroactive: z.optional(z.boolean()),
    id: z.optional(z.string()),
  })
  .check(z.refine((w) => w.end > w.start, { message: 'end must be after start' }));

export function sampleLine(sample: Sample): string {
  return JSON.stringify({
    target: sample.target,
    at: new Date(sample.at).toISOString(),
    ok: sample.ok,
    latencyMs: sample.latencyMs,
    ...(sample.status === undefined ? {} : { status: sample.status }),
    ...(sample.error === undefined ? {} : { error: sample.error }),
  });
}

export function toWindow(entry: z.infer<typeof WindowEntry>): ServiceWindow {
  return {
    start: entry.start,
    end: entry.end,
    reason: entry.reason,
    ...(entry.targets ? { targets: entry.targets } : {}),
    ...(entry.retroactive ? { retroactive: true } : {}),
    ...(entry.id ? { id: entry.id } : {}),
  };
}

/** The figure as the API and the CLI print it: instants in ISO 8601 with the calendar's offset. */
export function availabilityView(figure: MonthAvailability, calendar: BusinessCalendar) {
  const iso = (t: number) => calendar.iso(t);
  return {
    ...figure,
    asOf: iso(figure.asOf),
    incidents: figure.incidents.map((i) => ({ start: iso(i.start), end: iso(i.end), minutes: i.minutes })),
    retroactiveWindows: figure.retroactiveWindows.map((w) => ({
      ...(w.id ? { id: w.id } : {}),
      start: iso(w.start),
      end: iso(w.end),
      reason: w.reason,
      ...(w.targets ? { targets: w.targets } : {}),
      retroactive: true,
    })),
  };
}
