import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ensureTable } from '../../../bin/local/dynamodb-local';
import { createDocumentClient } from '#adapters/dynamodb/client';
import { keys } from '#adapters/dynamodb/table';
import { DynamoInboundClaims } from '#adapters/inbound/dynamo-inbound-claims';

/* Each received message's claim, on DynamoDB Local: taken once, settled once, and taken over only after its lease. */

const db = createDocumentClient({ endpoint: inject('dynamoEndpoint') });
const table = `inbound${Date.now().toString(36)}`;
const claims = new DynamoInboundClaims(db, table);
const at = Date.parse('2026-12-02T10:15:00+01:00');
const LEASE = 600_000;

beforeAll(() => ensureTable(inject('dynamoEndpoint'), table));
afterAll(() => db.destroy());

describe('inbound message claims', () => {
  it('one of many concurrent deliveries takes the claim; the rest find it busy', async () => {
    const results = await Promise.all(Array.from({ length: 12 }, () => claims.claim('k-concurrent', at, LEASE)));
    expect(results.filter((r) => r.claim === 'taken')).toHaveLength(1);
    expect(results.filter((r) => r.claim === 'busy')).toHaveLength(11);
  });

  it('a settled message answers what it came to, even after the lease, and is kept 30 days', async () => {
    expect(await claims.claim('k-done', at, LEASE)).toEqual({ claim: 'taken' });
    await claims.settle('k-done', { action: 'comment', ticketId: 'ACME-12', commentId: 'c1' }, at + 1000);
    const done = { claim: 'done', outcome: { action: 'comment', ticketId: 'ACME-12', commentId: 'c1' } };
    expect(await claims.claim('k-done', at + 2000, LEASE)).toEqual(done);
    expect(await claims.claim('k-done', at + 2 * LEASE, LEASE)).toEqual(done);
    const { Item } = await db.send(new GetCommand({ TableName: table, Key: keys.inboundMessage('k-done'), ConsistentRead: true }));
    expect(Item).toMatchObject({ PK: 'INBOUND#k-done', SK: 'MESSAGE', state: 'done', expiresAt: Math.floor(at / 1000) + 30 * 86_400 });
  });

  it('a claim whose run died is taken over once its lease has run out, not before', async () => {
    expect(await claims.claim('k-crashed', at, LEASE)).toEqual({ claim: 'taken' });
    expect(await claims.claim('k-crashed', at + LEASE, LEASE)).toEqual({ claim: 'busy' });
    expect(await claims.claim('k-crashed', at + LEASE + 1, LEASE)).toEqual({ claim: 'taken' });
  });

  it('a released claim is taken again at once; releasing a settled one changes nothing', async () => {
    expect(await claims.claim('k-failed', at, LEASE)).toEqual({ claim: 'taken' });
    await claims.release('k-failed');
    expect(await claims.claim('k-failed', at + 1000, LEASE)).toEqual({ claim: 'taken' });
    await claims.settle('k-failed', { action: 'refuse', reason: 'unknown-sender' }, at + 2000);
    await claims.release('k-failed');
    expect(await claims.claim('k-failed', at + 3000, LEASE)).toEqual({ claim: 'done', outcome: { action: 'refuse', reason: 'unknown-sender' } });
  });
});
