import { describe, expect, it } from 'vitest';
import type { Sample } from '#domain/availability/availability';
import { startsIncident } from '#domain/hypercare/monitoring';
import { parseInstant } from '#domain/instant';

/** A probe result a few seconds into its 5-minute slot, as the probe takes them. */
const sample = (slot: string, ok: boolean): Sample => ({ target: 'api', at: parseInstant(slot) + 7_000, ok, latencyMs: 40, ...(ok ? {} : { status: 503 }) });

/** The escalations hypercare monitoring makes as the samples arrive, each judged against the one before it. */
const escalations = (samples: readonly Sample[]) => samples.filter((latest, i) => startsIncident(latest, samples[i - 1])).map((s) => new Date(s.at).toISOString());

describe('increased monitoring in hypercare: an incident is escalated at its first down sample', () => {
  it('down, missing, down: two incidents, two escalations', () => {
    const samples = [sample('2026-11-10T10:00:00+01:00', false), sample('2026-11-10T10:10:00+01:00', false)];
    expect(escalations(samples)).toEqual(['2026-11-10T09:00:07.000Z', '2026-11-10T09:10:07.000Z']);
  });

  it('down, down in the next slot: one incident, escalated once', () => {
    const samples = [sample('2026-11-10T10:00:00+01:00', false), sample('2026-11-10T10:05:00+01:00', false)];
    expect(escalations(samples)).toEqual(['2026-11-10T09:00:07.000Z']);
  });

  it('down, up, down: two incidents; an up sample or none at all is never escalated', () => {
    const samples = [sample('2026-11-10T10:00:00+01:00', false), sample('2026-11-10T10:05:00+01:00', true), sample('2026-11-10T10:10:00+01:00', false)];
    expect(escalations(samples)).toEqual(['2026-11-10T09:00:07.000Z', '2026-11-10T09:10:07.000Z']);
    expect(startsIncident(undefined, undefined)).toBe(false);
    expect(startsIncident(sample('2026-11-10T10:15:00+01:00', true), samples[2])).toBe(false);
  });
});
