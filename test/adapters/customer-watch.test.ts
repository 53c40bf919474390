import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ensureTable } from '../../bin/local/dynamodb-local';
import { createDocumentClient } from '#adapters/dynamodb/client';
import { DynamoCustomerStore } from '#adapters/dynamodb/dynamo-customer-store';
import { keys } from '#adapters/dynamodb/table';
import type { CustomerProfile } from '#domain/customers/customer';

/* The customers the relay watches each minute: a mark written with the profile, taken off only on the version read. */

const db = createDocumentClient({ endpoint: inject('dynamoEndpoint') });
const table = `watch${Date.now().toString(36)}`;
const customers = new DynamoCustomerStore(db, table);
const at = Date.parse('2026-11-03T09:00:00+01:00');
const hypercare = { goLiveAt: Date.parse('2026-11-02T08:00:00+01:00'), weeks: 4, extensions: [] };
const profile = (customerId: string, version: number, withHypercare = true): CustomerProfile => ({
  customerId,
  name: customerId,
  contacts: [{ email: 'pm@example.com', receives: ['updates'] }],
  ...(withHypercare ? { hypercare } : {}),
  updatedAt: at,
  version,
});
const watched = async () => (await customers.watchedCustomers()).map((c) => c.customerId).sort();
const stored = async (customerId: string) => (await db.send(new GetCommand({ TableName: table, Key: keys.customer(customerId), ConsistentRead: true }))).Item!;

beforeAll(() => ensureTable(inject('dynamoEndpoint'), table));
afterAll(() => db.destroy());

describe('the watched customers', () => {
  it('every save of a profile with a go-live files it; one without is not filed', async () => {
    expect(await customers.putCustomer(profile('ACME', 1), 0)).toBe('written');
    expect(await customers.putCustomer(profile('GLOBEX', 1, false), 0)).toBe('written');
    expect(await watched()).toEqual(['ACME']);
    // The go-live cleared by a save: off the list in the same write.
    expect(await customers.putCustomer(profile('ACME', 2, false), 1)).toBe('written');
    expect(await watched()).toEqual([]);
    expect(await customers.putCustomer(profile('ACME', 3), 2)).toBe('written');
    expect(await watched()).toEqual(['ACME']);
    // What the relay keeps on the item is not part of the profile.
    expect(await customers.getCustomer('ACME')).toEqual(profile('ACME', 3));
  });

  it('how far digests are queued is noted on the version read only, and only forward', async () => {
    await customers.noteDigestsQueued({ customerId: 'ACME', version: 3 }, at);
    await customers.noteDigestsQueued({ customerId: 'ACME', version: 3 }, at - 1);
    await customers.noteDigestsQueued({ customerId: 'ACME', version: 2 }, at + 1);
    expect((await customers.watchedCustomers()).find((c) => c.customerId === 'ACME')?.digestsQueuedThrough).toBe(at);
    // A save starts over: every occasion is checked again.
    expect(await customers.putCustomer(profile('ACME', 4), 3)).toBe('written');
    expect((await customers.watchedCustomers()).find((c) => c.customerId === 'ACME')?.digestsQueuedThrough).toBe(0);
  });

  it('settling takes a customer off on the version read only; a later save files it again', async () => {
    expect(await customers.settle({ customerId: 'ACME', version: 3 }, at)).toBe(false);
    expect(await watched()).toEqual(['ACME']);
    expect(await customers.settle({ customerId: 'ACME', version: 4 }, at)).toBe(true);
    expect(await watched()).toEqual([]);
    expect(await customers.settle({ customerId: 'ACME', version: 4 }, at)).toBe(false);
    expect((await stored('ACME')).hypercareSettledAt).toBe(at);
    expect(await customers.putCustomer(profile('ACME', 5), 4)).toBe('written');
    expect(await watched()).toEqual(['ACME']);
    expect((await stored('ACME')).hypercareSettledAt).toBeUndefined();
  });
});
