import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ensureTable } from '../../bin/local/dynamodb-local';
import { createDocumentClient } from '../../functions/adapters/dynamodb/client';
import { DynamoCustomerStore } from '../../functions/adapters/dynamodb/dynamo-customer-store';
import { INDEX, keys, toCustomerItem } from '../../functions/adapters/dynamodb/table';
import type { CustomerProfile } from '../../functions/domain/customers/customer';

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
/** A profile as written before the mark existed (and, with `without`, before other attributes did). */
const unmarked = (p: CustomerProfile, without: readonly string[] = []) => {
  const item = Object.fromEntries(Object.entries(toCustomerItem(p)).filter(([name]) => !name.startsWith(INDEX.running) && !without.includes(name)));
  return db.send(new PutCommand({ TableName: table, Item: item }));
};

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

  it('the weekly repair files profiles with a go-live saved before the mark existed, and nothing settled, filed or without a go-live', async () => {
    expect(await customers.settle({ customerId: 'ACME', version: 5 }, at)).toBe(true);
    await unmarked(profile('OLD', 7));
    // Before versions, a profile had none.
    await unmarked(profile('OLDER', 1), ['version']);
    await unmarked(profile('PLAIN', 1, false));
    expect(await customers.putCustomer(profile('NEW', 1), 0)).toBe('written');
    expect((await customers.watchUnwatched()).sort()).toEqual(['OLD', 'OLDER']);
    expect(await watched()).toEqual(['NEW', 'OLD', 'OLDER']);
    expect(await customers.watchUnwatched()).toEqual([]);
    // Filed exactly as stored otherwise.
    const { [`${INDEX.running}PK`]: pk, [`${INDEX.running}SK`]: sk, ...rest } = await stored('OLD');
    expect([pk, sk]).toEqual([keys.watchedCustomers, 'OLD']);
    expect(rest).toEqual(Object.fromEntries(Object.entries(toCustomerItem(profile('OLD', 7))).filter(([name]) => !name.startsWith(INDEX.running))));
    expect((await stored('OLDER')).version).toBeUndefined();
  });
});
