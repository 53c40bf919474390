import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { digestOccasions } from '#domain/hypercare/digest';
import { hypercareState, type HypercareRecord } from '#domain/hypercare/hypercare';
import { parseInstant } from '#domain/instant';

const ZONE = 'Europe/Copenhagen';
const at = parseInstant;
const DAY = 86_400_000;
// Go-live Monday 2 November 2026 08:00, four weeks agreed.
const goLive = at('2026-11-02T08:00:00+01:00');
const base: HypercareRecord = { goLiveAt: goLive, weeks: 4, extensions: [] };
const act = (when: string, by = 'someone') => ({ at: at(when), by });
const signed: HypercareRecord = {
  ...base,
  customerSignoff: act('2026-11-03T10:00:00+01:00', 'it@acme.example'),
  providerSignoff: act('2026-11-04T10:00:00+01:00', 'agent-1'),
  transition: act('2026-11-05T10:00:00+01:00', 'admin-1'),
};

describe('the hypercare status over time, on a fixed clock', () => {
  it.each<[string, HypercareRecord, string, string, boolean?]>([
    ['before go-live', base, '2026-11-02T07:59:59+01:00', 'not-started'],
    ['at go-live', base, '2026-11-02T08:00:00+01:00', 'active'],
    ['during, nothing signed', base, '2026-11-20T12:00:00+01:00', 'active'],
    ['all done early: still active a moment before the 2 weeks', signed, '2026-11-16T07:59:59+01:00', 'active'],
    ['all done early: concluded at exactly 2 weeks', signed, '2026-11-16T08:00:00+01:00', 'concluded'],
    ['the customer has not signed', { ...signed, customerSignoff: undefined }, '2026-11-20T12:00:00+01:00', 'active'],
    ['the provider has not signed (or withdrew)', { ...signed, providerSignoff: undefined }, '2026-11-20T12:00:00+01:00', 'active'],
    ['no transition yet', { ...signed, transition: undefined }, '2026-11-20T12:00:00+01:00', 'active'],
    ['the transition after the 2 weeks concludes it then', { ...signed, transition: act('2026-11-18T10:00:00+01:00') }, '2026-11-18T10:00:00+01:00', 'concluded'],
    ['a sign-off dated in the future does not count yet', { ...signed, customerSignoff: act('2026-11-25T10:00:00+01:00') }, '2026-11-20T12:00:00+01:00', 'active'],
    ['the planned end passed without conclusion: overdue', base, '2026-11-30T08:00:00+01:00', 'active', true],
    ['extended: not overdue within the extension', { ...base, extensions: [{ weeks: 2, reason: 'sync issues', ...act('2026-11-20T09:00:00+01:00') }] }, '2026-12-07T09:00:00+01:00', 'active', false],
    ['extended and overdue at the new end', { ...base, extensions: [{ weeks: 2, reason: 'sync issues', ...act('2026-11-20T09:00:00+01:00') }] }, '2026-12-14T08:00:00+01:00', 'active', true],
  ])('%s', (_, record, now, status, overdue = false) => {
    const state = hypercareState(record, at(now), ZONE);
    expect(state.status).toBe(status);
    expect(state.overdue).toBe(overdue);
  });

  it('concludes the moment the last condition holds, with who met each and when', () => {
    const state = hypercareState(signed, at('2026-12-01T00:00:00+01:00'), ZONE);
    expect(state.concludedAt).toBe(at('2026-11-16T08:00:00+01:00'));
    expect(state.criteria).toEqual({
      operationalTwoWeeks: { met: true, at: at('2026-11-16T08:00:00+01:00') },
      customerSignoff: { met: true, at: at('2026-11-03T10:00:00+01:00'), by: 'it@acme.example' },
      providerSignoff: { met: true, at: at('2026-11-04T10:00:00+01:00'), by: 'agent-1' },
      transition: { met: true, at: at('2026-11-05T10:00:00+01:00'), by: 'admin-1' },
    });
    expect(state.plannedEndAt).toBe(at('2026-11-30T08:00:00+01:00'));
  });

  it('counts weeks on the local calendar across daylight saving', () => {
    // Go-live Monday 19 October 2026 08:00 CEST; summer time ends on the 25th.
    const october = hypercareState({ goLiveAt: at('2026-10-19T08:00:00+02:00'), weeks: 2, extensions: [] }, at('2026-10-19T09:00:00+02:00'), ZONE);
    expect(new Date(october.plannedEndAt).toISOString()).toBe('2026-11-02T07:00:00.000Z'); // 08:00 CET
  });

  it('for any order of events and any clock, it is concluded exactly when all three conditions hold', () => {
    const instant = fc.integer({ min: goLive - 5 * DAY, max: goLive + 60 * DAY });
    fc.assert(
      fc.property(fc.option(instant, { nil: undefined }), fc.option(instant, { nil: undefined }), fc.option(instant, { nil: undefined }), instant, (customer, provider, transition, now) => {
        const record: HypercareRecord = {
          ...base,
          ...(customer !== undefined ? { customerSignoff: { at: customer, by: 'c' } } : {}),
          ...(provider !== undefined ? { providerSignoff: { at: provider, by: 'p' } } : {}),
          ...(transition !== undefined ? { transition: { at: transition, by: 'a' } } : {}),
        };
        // The oracle: the three conditions, written out on their own (no DST in November: 14 days).
        const operational = now >= goLive + 14 * DAY;
        const given = (t: number | undefined) => t !== undefined && t <= now;
        const all = operational && given(customer) && given(provider) && given(transition);
        const state = hypercareState(record, now, ZONE);
        expect(state.status === 'concluded').toBe(all);
        if (all) expect(state.concludedAt).toBe(Math.max(goLive + 14 * DAY, customer!, provider!, transition!));
        if (now < goLive) expect(state.status).toBe('not-started');
      }),
      { numRuns: 2_000 },
    );
  });
});

describe('hypercare digests', () => {
  const occasions = (record: HypercareRecord, now: string) => digestOccasions(record, at(now), ZONE).map((o) => `${o.id}@${new Date(o.at).toISOString()}`);

  it.each<[string, HypercareRecord, string, string[]]>([
    ['nothing before go-live', base, '2026-11-02T07:59:00+01:00', []],
    ['the go-live digest at go-live', base, '2026-11-02T08:00:00+01:00', ['go-live@2026-11-02T07:00:00.000Z']],
    // Go-live was Monday 08:00 itself: the first weekly digest is the next Monday's.
    ['then every Monday at 08:00', base, '2026-11-16T09:00:00+01:00', ['go-live@2026-11-02T07:00:00.000Z', '2026-11-09@2026-11-09T07:00:00.000Z', '2026-11-16@2026-11-16T07:00:00.000Z']],
    [
      'up to and including the moment it concludes',
      signed,
      '2026-12-01T09:00:00+01:00',
      ['go-live@2026-11-02T07:00:00.000Z', '2026-11-09@2026-11-09T07:00:00.000Z', '2026-11-16@2026-11-16T07:00:00.000Z'],
    ],
    [
      'a go-live on a Wednesday: the first Monday after it',
      { ...base, goLiveAt: at('2026-11-04T12:00:00+01:00') },
      '2026-11-09T08:00:00+01:00',
      ['go-live@2026-11-04T11:00:00.000Z', '2026-11-09@2026-11-09T07:00:00.000Z'],
    ],
  ])('%s', (_, record, now, expected) => {
    expect(occasions(record, now)).toEqual(expected);
  });
});
