import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ensureTable } from '../../bin/local/dynamodb-local';
import { createDocumentClient } from '#adapters/dynamodb/client';
import { DynamoCustomerStore } from '#adapters/dynamodb/dynamo-customer-store';
import { DynamoPersonStore } from '#adapters/dynamodb/dynamo-person-store';

const db = createDocumentClient({ endpoint: inject('dynamoEndpoint') });
const table = `customers${Date.now().toString(36)}`;
const customers = new DynamoCustomerStore(db, table);
const people = new DynamoPersonStore(db, table);
const at = Date.parse('2026-06-10T09:00:00+02:00');

beforeAll(() => ensureTable(inject('dynamoEndpoint'), table));
afterAll(() => db.destroy());

describe('a customer with the people a ticket tells, in one read', () => {
  it('reads the profile as just saved and the records there are; an unknown subject or customer reads as none', async () => {
    const profile = { customerId: 'ACME', name: 'Acme', contacts: [{ email: 'ops@acme.example', receives: ['tickets' as const] }], updatedAt: at, version: 1 };
    expect(await customers.putCustomer(profile, 0)).toBe('written');
    await people.remember({ subject: 'u1', email: 'ann@acme.example', name: 'Ann', role: 'customer', customerId: 'ACME', issuedAt: at, updatedAt: at });
    await people.remember({ subject: 'a1', email: 'bo@desk.example', role: 'agent', issuedAt: at, updatedAt: at });
    // Saved again a moment before the read: the read is consistent, as the profile's own read was.
    expect(await customers.putCustomer({ ...profile, contacts: [], version: 2 }, 1)).toBe('written');

    const read = await customers.customerAndPeople('ACME', ['u1', 'a1', 'u1', 'nobody']);
    expect(read.profile).toEqual({ ...profile, contacts: [], version: 2 });
    expect(Object.fromEntries([...read.people].map(([subject, person]) => [subject, person.email]))).toEqual({ u1: 'ann@acme.example', a1: 'bo@desk.example' });

    expect(await customers.customerAndPeople('GLOBEX', [])).toEqual({ profile: undefined, people: new Map() });
  });
});
