import { DeleteCommand, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ensureTable } from '../../bin/local/dynamodb-local';
import { createDocumentClient } from '#adapters/dynamodb/client';
import { DynamoCustomerStore } from '#adapters/dynamodb/dynamo-customer-store';
import { DynamoPersonStore } from '#adapters/dynamodb/dynamo-person-store';
import { DynamoPersonalData } from '#adapters/dynamodb/dynamo-personal-data';
import { ERASED_FROM, keys, toAlertItem, toWindowItem } from '#adapters/dynamodb/table';
import { refusalOccasion } from '#domain/inbound/inbound-message';
import type { AlertMessage } from '#domain/notifications/alerts';
import { inboundRefusal } from '#domain/notifications/inbound-refusal';
import type { Actor } from '#domain/actor';
import { PersonalDataService } from '#domain/people/personal-data';

/* What was done with a person's data is recorded under them, on DynamoDB Local: who asked, when and why, and nothing of the person. */

const db = createDocumentClient({ endpoint: inject('dynamoEndpoint') });
const table = `privacy${Date.now().toString(36)}`;
const people = new DynamoPersonStore(db, table);
let now = Date.parse('2026-12-02T10:00:00+01:00');
const customers = new DynamoCustomerStore(db, table);
const service = new PersonalDataService({ people, customers, personalData: new DynamoPersonalData(db, table), now: () => now });
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

describe('the messages kept for an erased person alone', () => {
  it("are withdrawn where a report may count them (a window's notice, their customer's digest), never deleted; a refusal of their email, whose key holds the address, goes; the only deletes fall under ERASED_FROM", async () => {
    const DORA = { subject: 'dora-sub', name: 'Dora Dahl', email: 'dora@initech.example', role: 'customer' as const, customerId: 'INITECH' };
    await people.remember({ ...DORA, issuedAt: now, updatedAt: now });
    const letter = { hypercare: false, subject: 'For Dora Dahl', body: 'Dear Dora Dahl', recipients: [DORA.email] };
    const notice: AlertMessage = { ...letter, id: 'SW-1:service-window:email:INITECH', channel: 'email', kind: 'service-window', about: { type: 'service-window', id: 'SW-1' }, customerId: 'INITECH' };
    const digest: AlertMessage = { ...letter, id: 'INITECH:digest:email', channel: 'email', kind: 'hypercare-digest', about: { type: 'customer', id: 'INITECH' }, customerId: 'INITECH' };
    const [refusal] = inboundRefusal({ to: 'Dora@Initech.example', occasionId: refusalOccasion('Dora@Initech.example', now, 'Europe/Copenhagen') }, 'unknown-sender', undefined);
    const window = { id: 'SW-1', start: now + 86_400_000, end: now + 90_000_000, reason: 'Upgrade', createdAt: now, createdBy: 'agent-1', noticeMinutes: 1440, retroactive: false };
    for (const Item of [toWindowItem(window as never), toAlertItem(notice, now), toAlertItem(digest, now), toAlertItem(refusal!, now)]) await db.send(new PutCommand({ TableName: table, Item }));

    // The erasure's own client: every DeleteItem it sends is noted.
    const erasing = createDocumentClient({ endpoint: inject('dynamoEndpoint') });
    const deleted: string[] = [];
    const send = erasing.send.bind(erasing);
    erasing.send = ((command: object) => {
      if (command instanceof DeleteCommand) deleted.push(String(command.input.Key?.PK));
      return send(command as never);
    }) as typeof erasing.send;
    const erasure = new PersonalDataService({ people, customers: new DynamoCustomerStore(erasing, table), personalData: new DynamoPersonalData(erasing, table), now: () => now });
    expect(await erasure.erase(admin, DORA.subject, { reason: 'Erasure request' })).toMatchObject({ erased: true, messages: 3 });
    erasing.destroy();

    for (const message of [notice, digest]) {
      const { Item } = await db.send(new GetCommand({ TableName: table, Key: keys.alert(message), ConsistentRead: true }));
      // Kept, off the outbox (never sent), for nobody, naming nobody.
      expect(Item, message.kind).toMatchObject({ status: 'withdrawn', message: { recipients: [], subject: 'For Former user', body: 'Dear Former user' } });
      expect(Item!.GSI2PK, message.kind).toBeUndefined();
    }
    expect((await db.send(new GetCommand({ TableName: table, Key: keys.alert(refusal!) }))).Item).toBeUndefined();
    expect(deleted).toEqual(['INBOUND#refusals']);
    // What the function's role allows (the infra tests pin the template to ERASED_FROM).
    for (const PK of deleted)
      expect(
        ERASED_FROM.some((pattern) => (pattern.endsWith('*') ? PK.startsWith(pattern.slice(0, -1)) : PK === pattern)),
        PK,
      ).toBe(true);
  });
});

describe('an erasure cut short and run again', () => {
  it('still knows every name and id of the person: the contact entry goes after the emails are scrubbed, the id asked for is emptied last', async () => {
    const ERIK = { subject: 'erik-sub', name: 'Erik E', email: 'erik@umbrella.example', role: 'customer' as const, customerId: 'UMBRELLA' };
    const PSEUDONYM = { subject: 'contact:erik', email: ERIK.email, role: 'customer' as const, customerId: 'UMBRELLA' };
    await customers.putCustomer({ customerId: 'UMBRELLA', name: 'Umbrella', contacts: [{ email: ERIK.email, name: 'Erik Contact', receives: ['notices'] }], updatedAt: now, version: 1 } as never, 0);
    for (const person of [ERIK, PSEUDONYM]) await people.remember({ ...person, issuedAt: now, updatedAt: now });
    const digest: AlertMessage = {
      id: 'UMBRELLA:digest:email',
      channel: 'email',
      kind: 'hypercare-digest',
      about: { type: 'customer', id: 'UMBRELLA' },
      customerId: 'UMBRELLA',
      hypercare: true,
      subject: 'Digest',
      body: 'Erik Contact and Erik E signed off.',
      recipients: [ERIK.email, 'pm@umbrella.example'],
    };
    await db.send(new PutCommand({ TableName: table, Item: toAlertItem(digest, now) }));

    // The first run fails at its first scrub of the emails (its second at emptying the record asked for).
    const store = new DynamoPersonalData(db, table);
    let scrubs = 0;
    const failing = Object.assign(Object.create(store) as DynamoPersonalData, {
      scrubMail: (...args: Parameters<DynamoPersonalData['scrubMail']>) => (scrubs++ === 0 ? Promise.reject(new Error('timed out')) : store.scrubMail(...args)),
    });
    const cutShort = new PersonalDataService({ people, customers, personalData: failing, now: () => now });
    await expect(cutShort.erase(admin, ERIK.subject, { reason: 'Erasure request' })).rejects.toThrow('timed out');
    let empties = 0;
    const failingLast = Object.assign(Object.create(store) as DynamoPersonalData, {
      empty: (erasure: Parameters<DynamoPersonalData['empty']>[0]) => (erasure.subject === ERIK.subject && empties++ === 0 ? Promise.reject(new Error('timed out')) : store.empty(erasure)),
    });
    await expect(new PersonalDataService({ people, customers, personalData: failingLast, now: () => now }).erase(admin, ERIK.subject, { reason: 'Erasure request' })).rejects.toThrow('timed out');

    expect(await service.erase(admin, ERIK.subject, { reason: 'Erasure request' })).toMatchObject({ erased: true });
    const records = await people.people([ERIK.subject, PSEUDONYM.subject]);
    expect([records.get(ERIK.subject)?.erasedAt, records.get(PSEUDONYM.subject)?.erasedAt]).toEqual([expect.any(Number), expect.any(Number)]);
    const { Item } = await db.send(new GetCommand({ TableName: table, Key: keys.alert(digest), ConsistentRead: true }));
    expect(Item!.message).toMatchObject({ body: 'Former user and Former user signed off.', recipients: ['pm@umbrella.example'] });
    expect((await customers.getCustomer('UMBRELLA'))!.contacts).toEqual([]);
  });
});
