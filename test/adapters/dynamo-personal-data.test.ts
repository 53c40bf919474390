import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ensureTable } from '../../bin/local/dynamodb-local';
import { createDocumentClient } from '#adapters/dynamodb/client';
import { DynamoCustomerStore } from '#adapters/dynamodb/dynamo-customer-store';
import { DynamoPersonStore } from '#adapters/dynamodb/dynamo-person-store';
import { DynamoPersonalData } from '#adapters/dynamodb/dynamo-personal-data';
import { keys } from '#adapters/dynamodb/table';
import type { Actor } from '#domain/actor';
import { PersonalDataService } from '#domain/people/personal-data';

/* What was done with a person's data is recorded under them, on DynamoDB Local: who asked, when and why, and nothing of the person. */

const db = createDocumentClient({ endpoint: inject('dynamoEndpoint') });
const table = `privacy${Date.now().toString(36)}`;
const people = new DynamoPersonStore(db, table);
let now = Date.parse('2026-12-02T10:00:00+01:00');
const service = new PersonalDataService({ people, customers: new DynamoCustomerStore(db, table), personalData: new DynamoPersonalData(db, table), now: () => now });
const admin: Actor = { subject: 'admin-1', role: 'admin' };
const BORIS = { subject: 'boris-sub', name: 'Boris Berg', email: 'boris@acme.example', role: 'customer' as const, customerId: 'ACME' };

/** The person partition's event items, in order. */
async function recordsOf(subject: string) {
  const { Items = [] } = await db.send(
    new QueryCommand({
      TableName: table,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :event)',
      ExpressionAttributeValues: { ':pk': keys.person(subject).PK, ':event': 'EVENT#' },
      ConsistentRead: true,
    }),
  );
  return Items;
}

beforeAll(async () => {
  await ensureTable(inject('dynamoEndpoint'), table);
  await people.remember({ ...BORIS, issuedAt: now, updatedAt: now });
});
afterAll(() => db.destroy());

describe("the record of what was done with a person's data", () => {
  it('an export is recorded as person.exported: who asked, when and why', async () => {
    await service.export(admin, BORIS.subject, 'Access request of 2 December');
    expect(await recordsOf(BORIS.subject)).toEqual([
      expect.objectContaining({ entity: 'person-event', subject: BORIS.subject, type: 'person.exported', at: now, by: 'admin-1', reason: 'Access request of 2 December' }),
    ]);
  });

  it('an erasure is recorded once as person.erased, in the write that empties the record; neither record holds their name or address', async () => {
    now += 60_000;
    expect(await service.erase(admin, BORIS.subject, { reason: 'Erasure request of 2 December' })).toMatchObject({ erased: true });
    now += 60_000;
    expect(await service.erase(admin, BORIS.subject, { reason: 'Asked twice' })).toMatchObject({ erased: false });
    const records = await recordsOf(BORIS.subject);
    expect(records.map((r) => [r.type, r.by, r.reason])).toEqual([
      ['person.exported', 'admin-1', 'Access request of 2 December'],
      ['person.erased', 'admin-1', 'Erasure request of 2 December'],
    ]);
    expect(records[1]!.at).toBe((await people.people([BORIS.subject])).get(BORIS.subject)!.erasedAt);
    expect(JSON.stringify(records)).not.toMatch(/Boris|boris@/);
    expect((await people.people([BORIS.subject])).get(BORIS.subject)).toEqual(expect.not.objectContaining({ name: expect.anything(), email: expect.anything() }));
  });
});
