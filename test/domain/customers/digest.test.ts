import { describe, expect, it } from 'vitest';
import { digestOccasions, digestWeekCounts } from '../../../functions/domain/customers/digest';
import type { HypercareRecord } from '../../../functions/domain/customers/hypercare';
import { parseInstant } from '../../../functions/domain/instant';
import type { Ticket } from '../../../functions/domain/tickets/ticket';

const ZONE = 'Europe/Copenhagen';
const at = parseInstant;

function ticket(id: string, openedAt: number, facts: Partial<Pick<Ticket, 'status' | 'firstRespondedAt' | 'updatedAt'>> = {}): Ticket {
  return {
    id,
    customerId: 'ACME',
    title: 'x',
    description: 'x',
    category: 'other',
    priority: 'high',
    status: 'open',
    openedAt,
    openedBy: 'u',
    firstResponseDueAt: openedAt + 4 * 3_600_000,
    updatedAt: openedAt,
    version: 1,
    ...facts,
  };
}

describe("the hypercare digest's week", () => {
  // Go-live Monday 2 November 2026 08:00 CET: the Monday digests of the 9th and 16th follow.
  const record: HypercareRecord = { goLiveAt: at('2026-11-02T08:00:00+01:00'), weeks: 4, extensions: [] };
  const occasions = digestOccasions(record, at('2026-11-16T08:00:00+01:00'), ZONE);
  const [previous, next] = occasions.slice(-2).map((o) => o.at) as [number, number];

  it('a ticket opened exactly at the previous digest counts in the next digest, and not in the previous one', () => {
    expect(occasions.map((o) => o.id)).toEqual(['go-live', '2026-11-09', '2026-11-16']);
    const onTheBoundary = ticket('ACME-1', previous);
    expect(digestWeekCounts([onTheBoundary], next).opened).toBe(1);
    expect(digestWeekCounts([onTheBoundary], previous).opened).toBe(0);
  });

  it('a first response and a resolution exactly at the previous digest count in the next one too', () => {
    const answered = ticket('ACME-2', previous - 3_600_000, { firstRespondedAt: previous });
    const resolved = ticket('ACME-3', previous - 3_600_000, { status: 'resolved', firstRespondedAt: previous - 60_000, updatedAt: previous });
    expect(digestWeekCounts([answered, resolved], next)).toEqual({ opened: 0, answered: 1, resolved: 1 });
    expect(digestWeekCounts([answered, resolved], previous)).toEqual({ opened: 2, answered: 1, resolved: 0 });
  });
});
