import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ensureTable } from '../../bin/local/dynamodb-local';
import { createDocumentClient } from '#adapters/dynamodb/client';
import { DynamoConsultancyStore } from '#adapters/dynamodb/dynamo-consultancy-store';
import { approve, cancel, type ConsultancyRequest, loggedQuarters, logTime, propose } from '#domain/consultancy/consultancy';
import type { ConsultancyEventType } from '#domain/consultancy/consultancy-store';
import { rateOf } from '#domain/consultancy/money';
import { parseMonth } from '#domain/month';

const db = createDocumentClient({ endpoint: inject('dynamoEndpoint') });
const table = `consultancy${Date.now().toString(36)}`;
const store = new DynamoConsultancyStore(db, table);
const at = Date.parse('2026-11-04T10:00:00+01:00');
const event = (request: ConsultancyRequest, type: ConsultancyEventType, by: string) => ({ requestId: request.id, type, at, by });

beforeAll(() => ensureTable(inject('dynamoEndpoint'), table));
afterAll(() => db.destroy());

const approvedRequest = async (id: string, hours: number) => {
  const request = propose({ id, customerId: 'ACME', service: 'crm-flows', description: 'Lead routing', estimateHours: hours, proposed: { at, by: 'agent-1' } });
  expect(await store.create(request, event(request, 'consultancy.proposed', 'agent-1'))).toBe(true);
  const approved = approve(request, 'customer', { at, by: 'pm@acme' }, rateOf('1250', 'DKK'));
  expect(await store.save(approved, request.version, event(approved, 'consultancy.approved', 'pm@acme'))).toBe('written');
  return approved;
};

/** Read, apply the rule, write on the version read; a lost race decides again on what won. */
async function logOnce(id: string, n: number): Promise<'logged' | 'refused'> {
  for (;;) {
    const current = (await store.get(id))!;
    let next: ConsultancyRequest;
    try {
      next = logTime(current, 'provider', { id: `E${n}`, hours: 1, date: '2026-11-04', note: '' }, { at, by: 'agent-1' }, 'Europe/Copenhagen');
    } catch {
      return 'refused';
    }
    if ((await store.save(next, current.version, event(next, 'consultancy.time-logged', 'agent-1'))) === 'written') return 'logged';
  }
}

describe('the DynamoDB consultancy store, on DynamoDB Local', () => {
  it('never creates the same request twice, and keeps each change with its audit event', async () => {
    const request = await approvedRequest('C-1', 4);
    expect(await store.create(request, event(request, 'consultancy.proposed', 'agent-1'))).toBe(false);
    expect(await store.get('C-1')).toMatchObject({ status: 'approved', version: 2, approval: { quarters: 16, rate: { hourly: 125000, currency: 'DKK' } } });
    expect((await store.listEvents('C-1', 10)).items.map((e) => [e.type, e.by])).toEqual([
      ['consultancy.proposed', 'agent-1'],
      ['consultancy.approved', 'pm@acme'],
    ]);
  });

  it('writes a change only on the version it was made from: a stale one changes nothing', async () => {
    const request = await approvedRequest('C-2', 4);
    const cancelled = cancel(request, 'provider', { at, by: 'agent-1' });
    expect(await store.save(cancelled, request.version - 1, event(cancelled, 'consultancy.cancelled', 'agent-1'))).toBe('conflict');
    expect((await store.get('C-2'))!.status).toBe('approved');
    expect((await store.listEvents('C-2', 10)).items).toHaveLength(2);
  });

  it('20 concurrent hours against 4 approved: exactly 4 are logged, never more', async () => {
    await approvedRequest('C-3', 4);
    const outcomes = await Promise.all(Array.from({ length: 20 }, (_, n) => logOnce('C-3', n)));
    expect(outcomes.filter((o) => o === 'logged')).toHaveLength(4);
    const stored = (await store.get('C-3'))!;
    expect(loggedQuarters(stored)).toBe(16);
    expect((await store.listEvents('C-3', 50)).items.filter((e) => e.type === 'consultancy.time-logged')).toHaveLength(4);
  });

  it("files each entry under the month of its day, in the same write, and reads one customer's slice without another's whose id it prefixes", async () => {
    const log = async (id: string, customerId: string, date: string, hours: number) => {
      const request = propose({ id, customerId, service: 'data-restore', description: 'Restore', estimateHours: 8, proposed: { at, by: 'agent-1' } });
      expect(await store.create(request, event(request, 'consultancy.proposed', 'agent-1'))).toBe(true);
      const approved = approve(request, 'customer', { at, by: 'pm' }, rateOf('1000', 'DKK'));
      expect(await store.save(approved, 1, event(approved, 'consultancy.approved', 'pm'))).toBe('written');
      const logged = logTime(approved, 'provider', { id: 'T1', hours, date, note: '' }, { at: Date.parse('2026-12-01T09:00:00+01:00'), by: 'agent-1' }, 'Europe/Copenhagen');
      expect(await store.save(logged, 2, event(logged, 'consultancy.time-logged', 'agent-1'), { entry: logged.entries[0] })).toBe('written');
    };
    await log('M-1', 'ACME', '2026-11-30', 1);
    await log('M-2', 'ACME2', '2026-11-30', 2);
    await log('M-3', 'ACME', '2026-12-01', 3);
    const november = await store.entriesInMonth(parseMonth('2026-11'));
    expect(november.filter((e) => e.requestId.startsWith('M-')).map((e) => [e.requestId, e.customerId, e.quarters, e.rate])).toEqual(
      expect.arrayContaining([
        ['M-1', 'ACME', 4, { hourly: 100000, currency: 'DKK' }],
        ['M-2', 'ACME2', 8, { hourly: 100000, currency: 'DKK' }],
      ]),
    );
    expect((await store.entriesInMonth(parseMonth('2026-11'), 'ACME')).map((e) => e.requestId)).toEqual(['M-1']);
    expect((await store.entriesInMonth(parseMonth('2026-12'), 'ACME')).map((e) => e.requestId)).toEqual(['M-3']);
    // A stale save writes neither the request nor its entry.
    const current = (await store.get('M-3'))!;
    const again = logTime(current, 'provider', { id: 'T2', hours: 1, date: '2026-12-01', note: '' }, { at: Date.parse('2026-12-01T09:00:00+01:00'), by: 'agent-1' }, 'Europe/Copenhagen');
    expect(await store.save(again, current.version - 1, event(again, 'consultancy.time-logged', 'agent-1'), { entry: again.entries[1] })).toBe('conflict');
    expect((await store.entriesInMonth(parseMonth('2026-12'), 'ACME')).map((e) => e.id)).toEqual(['T1']);
    expect((await store.list({ customerId: 'ACME2', limit: 10 })).items.map((r) => r.id)).toEqual(['M-2']);
    expect((await store.list({ customerId: 'ACME', status: 'approved', limit: 10 })).items.map((r) => r.id).sort()).toEqual(['C-1', 'C-2', 'C-3', 'M-1', 'M-3']);
    expect((await store.list({ customerId: 'ACME', status: 'cancelled', limit: 10 })).items).toEqual([]);
    expect((await store.list({ status: 'approved', limit: 10 })).items.map((r) => r.id)).toContain('M-2');
  });
});
