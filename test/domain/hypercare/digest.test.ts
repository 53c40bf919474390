import { storedTicket } from '../../support/stored-ticket';
import { describe, expect, it } from 'vitest';
import { digestOccasions, digestToSend, digestWeekCounts } from '#domain/hypercare/digest';
import type { HypercareRecord } from '#domain/hypercare/hypercare';
import { parseInstant } from '#domain/instant';
import type { Ticket } from '#domain/tickets/ticket';

const ZONE = 'Europe/Copenhagen';
const at = parseInstant;

const ticket = (id: string, openedAt: number, facts: Partial<Pick<Ticket, 'status' | 'firstRespondedAt' | 'updatedAt' | 'resolvedAt' | 'closedAt'>> = {}) => storedTicket(openedAt, { id, ...facts });

describe("the hypercare digest's week", () => {
  // Go-live Monday 2 November 2026 08:00 CET: the Monday digests of the 9th and 16th follow.
  const record: HypercareRecord = { goLiveAt: at('2026-11-02T08:00:00+01:00'), weeks: 4, extensions: [] };
  const occasions = digestOccasions(record, at('2026-11-16T08:00:00+01:00'), ZONE);
  const [previous, next] = occasions.slice(-2).map((o) => o.at) as [number, number];

  it('a ticket opened exactly at the previous digest counts in the next digest, and not in the previous one', () => {
    expect(occasions.map((o) => o.id)).toEqual(['go-live', '2026-11-09', '2026-11-16']);
    const onTheBoundary = ticket('ACME-1', previous);
    expect(digestWeekCounts([onTheBoundary], next, ZONE).opened).toBe(1);
    expect(digestWeekCounts([onTheBoundary], previous, ZONE).opened).toBe(0);
  });

  it('a first response and a resolution exactly at the previous digest count in the next one too', () => {
    const answered = ticket('ACME-2', previous - 3_600_000, { firstRespondedAt: previous });
    const resolved = ticket('ACME-3', previous - 3_600_000, { status: 'resolved', firstRespondedAt: previous - 60_000, resolvedAt: previous, updatedAt: previous });
    expect(digestWeekCounts([answered, resolved], next, ZONE)).toEqual({ opened: 0, answered: 1, resolved: 1 });
    expect(digestWeekCounts([answered, resolved], previous, ZONE)).toEqual({ opened: 2, answered: 1, resolved: 0 });
  });

  it('counts a resolution in the week it happened, not the week of a later change; a reopened ticket not at all; one closed unresolved by its closing', () => {
    const laterComment = ticket('ACME-4', previous - 7_200_000, { status: 'resolved', resolvedAt: previous - 3_600_000, updatedAt: previous + 60_000 });
    const reopened = ticket('ACME-5', previous + 60_000, { status: 'in_progress', updatedAt: previous + 120_000 });
    const closed = ticket('ACME-6', previous + 60_000, { status: 'closed', closedAt: previous + 120_000, updatedAt: previous + 120_000 });
    expect(digestWeekCounts([laterComment, reopened, closed], previous, ZONE).resolved).toBe(1);
    expect(digestWeekCounts([laterComment, reopened, closed], next, ZONE).resolved).toBe(1);
  });

  it('across the autumn change of the clocks, each ticket counts in exactly one week', () => {
    // Digests of Mon 19 Oct 2026 08:00 CEST and Mon 26 Oct 08:00 CET: 169 hours apart.
    const autumn = digestOccasions({ goLiveAt: at('2026-10-12T09:00:00+02:00'), weeks: 4, extensions: [] }, at('2026-10-26T08:00:00+01:00'), ZONE);
    const [before, after] = autumn.slice(-2).map((o) => o.at) as [number, number];
    expect(autumn.slice(-2).map((o) => o.id)).toEqual(['2026-10-19', '2026-10-26']);
    const justAfterTheDigest = ticket('ACME-4', at('2026-10-19T08:30:00+02:00'));
    expect([digestWeekCounts([justAfterTheDigest], before, ZONE).opened, digestWeekCounts([justAfterTheDigest], after, ZONE).opened]).toEqual([0, 1]);
  });

  it('across the spring change of the clocks, no ticket counts in two weeks', () => {
    // Digests of Mon 23 Mar 2026 08:00 CET and Mon 30 Mar 08:00 CEST: 167 hours apart.
    const spring = digestOccasions({ goLiveAt: at('2026-03-16T09:00:00+01:00'), weeks: 4, extensions: [] }, at('2026-03-30T08:00:00+02:00'), ZONE);
    const [before, after] = spring.slice(-2).map((o) => o.at) as [number, number];
    const justBeforeTheDigest = ticket('ACME-5', at('2026-03-23T07:30:00+01:00'));
    expect([digestWeekCounts([justBeforeTheDigest], before, ZONE).opened, digestWeekCounts([justBeforeTheDigest], after, ZONE).opened]).toEqual([1, 0]);
  });
});

describe('which digest goes out', () => {
  const record: HypercareRecord = { goLiveAt: at('2025-12-01T08:00:00+01:00'), weeks: 52, extensions: [] };

  it('a record saved with a go-live a year back gets one digest, the current week’s, never a backlog', () => {
    const now = at('2026-11-25T10:00:00+01:00');
    expect(digestOccasions(record, now, ZONE).length).toBeGreaterThan(50);
    expect(digestToSend(record, now, ZONE, 0)?.id).toBe('2026-11-23');
  });

  it('nothing more until the next Monday; then that Monday’s', () => {
    const queued = at('2026-11-23T08:00:00+01:00');
    expect(digestToSend(record, at('2026-11-29T23:59:00+01:00'), ZONE, queued)).toBeUndefined();
    expect(digestToSend(record, at('2026-11-30T08:00:00+01:00'), ZONE, queued)?.id).toBe('2026-11-30');
  });

  it('a go-live just passed gets its go-live digest', () => {
    const fresh: HypercareRecord = { goLiveAt: at('2026-11-25T09:00:00+01:00'), weeks: 4, extensions: [] };
    expect(digestToSend(fresh, at('2026-11-25T09:01:00+01:00'), ZONE, 0)?.id).toBe('go-live');
  });
});
