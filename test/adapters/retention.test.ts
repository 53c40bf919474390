import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ensureTable } from '../../bin/local/dynamodb-local';
import { createDocumentClient } from '#adapters/dynamodb/client';
import { DynamoAlertOutbox } from '#adapters/dynamodb/dynamo-alert-outbox';
import { DynamoAttachmentStore } from '#adapters/dynamodb/dynamo-attachment-store';
import { DynamoCustomerStore } from '#adapters/dynamodb/dynamo-customer-store';
import { DynamoIdempotencyStore } from '#adapters/dynamodb/dynamo-idempotency-store';
import { DynamoPersonStore } from '#adapters/dynamodb/dynamo-person-store';
import { DynamoTicketStore } from '#adapters/dynamodb/dynamo-ticket-store';
import { keys, TTL_ATTRIBUTE } from '#adapters/dynamodb/table';
import { LocalTimerScheduler } from '#adapters/scheduler/local-timer-scheduler';
import type { Actor } from '#domain/actor';
import { danishCalendar } from '#domain/calendar/danish-calendar';
import type { AlertMessage } from '#domain/notifications/alerts';
import { attachmentExpiry, closedTicketExpiry, DEFAULT_RETENTION, deliveredExpiry, parseRetention } from '#domain/retention';
import { SlaTimerService } from '#domain/sla/sla-timer-service';
import { pendingAttachment } from '#domain/tickets/attachments';
import { TicketService } from '#domain/tickets/ticket-service';
import { storedTicket } from '../support/stored-ticket';

const db = createDocumentClient({ endpoint: inject('dynamoEndpoint') });
const table = `retain${Date.now().toString(36)}`;
const calendar = danishCalendar();
let now = Date.parse('2026-06-10T09:00:00+02:00');
const store = new DynamoTicketStore(db, table, calendar.timeZone);
const customers = new DynamoCustomerStore(db, table);
const attachments = new DynamoAttachmentStore(db, table);
const outbox = new DynamoAlertOutbox(db, table);
const tickets = new TicketService({
  store,
  customers,
  idempotency: new DynamoIdempotencyStore(db, table),
  people: new DynamoPersonStore(db, table),
  calendar,
  now: () => now,
  inHypercare: () => false,
  timers: new SlaTimerService({ store, customers, scheduler: new LocalTimerScheduler(db, table), calendar, now: () => now, onCall: [] }),
  onTimerFailure: (error) => {
    throw error;
  },
});
const customer: Actor = { subject: 'u1', role: 'customer', customerId: 'ACME' };
const agent: Actor = { subject: 'a1', role: 'agent' };

/** Every item of a ticket's partition, by sort key, with its expiry (undefined: none). */
async function expiries(ticketId: string): Promise<Record<string, number | undefined>> {
  const { Items = [] } = await db.send(
    new QueryCommand({ TableName: table, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': keys.ticket(ticketId).PK }, ConsistentRead: true }),
  );
  return Object.fromEntries(Items.map((item) => [String(item.SK), item[TTL_ATTRIBUTE] as number | undefined]));
}

beforeAll(() => ensureTable(inject('dynamoEndpoint'), table));
afterAll(() => db.destroy());

describe('retention of a closed ticket, on DynamoDB Local', () => {
  it('closing gives the ticket its expiry in the same write and every item of its partition its own; a delivered message expires sooner; closing again writes the same', async () => {
    // A contact told of the ticket's life, so it queues messages in its partition.
    await customers.putCustomer({ customerId: 'ACME', name: 'Acme', contacts: [{ email: 'ops@acme.example', receives: ['tickets'] }], updatedAt: now, version: 1 }, 0);
    const { view } = await tickets.create(customer, { title: 'Printer', description: 'jammed', category: 'other', priority: 'high' });
    const id = view.id;
    now += 60_000;
    await tickets.comment(agent, id, { body: 'On it', visibility: 'public' });
    await tickets.comment(customer, id, { body: 'Thanks', visibility: 'public' });
    const kept = pendingAttachment(customer, { id, customerId: 'ACME' }, { filename: 'log.txt', contentType: 'text/plain', size: 10 }, 'a'.repeat(20), now);
    await attachments.add(kept, 0);
    await attachments.settle(kept, { status: 'available', checkedAt: now });
    // Still pending when the ticket closes: its own, earlier expiry stands.
    const pending = pendingAttachment(customer, { id, customerId: 'ACME' }, { filename: 'late.txt', contentType: 'text/plain', size: 10 }, 'b'.repeat(20), now);
    await attachments.add(pending, 1);
    const open = await expiries(id);
    expect(open[keys.ticket(id).SK]).toBeUndefined();

    now += 3_600_000;
    const closedAt = now;
    await tickets.update(agent, id, { status: 'closed' });
    const closed = await expiries(id);
    const ticketExpiry = closedTicketExpiry(DEFAULT_RETENTION, closedAt);
    expect(ticketExpiry).toBe(Date.parse('2031-06-10T10:01:00+02:00') / 1000);
    const expected = Object.fromEntries(
      Object.keys(closed).map((sk) => [
        sk,
        sk === keys.attachment(id, kept.id).SK ? attachmentExpiry(DEFAULT_RETENTION, closedAt) : sk === keys.attachment(id, pending.id).SK ? open[sk] : ticketExpiry,
      ]),
    );
    expect(closed).toEqual(expected);
    // What the partition holds: the ticket, its events, comments, attachments, their list's version and its messages.
    const kinds = new Set(Object.keys(closed).map((sk) => sk.split('#')[0]));
    expect([...kinds].sort()).toEqual(['ALERT', 'ATTACHMENT', 'COMMENT', 'EVENT', 'TICKET', 'UPLOADS']);

    // One of its messages is delivered: 90 days from delivery, sooner than the ticket's 5 years.
    const [message] = await outbox.pendingFor(id);
    const lease = (await outbox.claim(message!, now, 60_000))!;
    await outbox.markSent(message!, lease, now);
    const delivered = keys.alert(message!.message).SK;
    expect((await expiries(id))[delivered]).toBe(deliveredExpiry(DEFAULT_RETENTION, message!.message.kind, now));

    // The pass after the close stopped short of an event: a retried close sets it, and changes nothing else.
    const event = Object.keys(closed).find((sk) => sk.startsWith('EVENT#'))!;
    await db.send(new UpdateCommand({ TableName: table, Key: { PK: keys.ticket(id).PK, SK: event }, UpdateExpression: 'REMOVE #ttl', ExpressionAttributeNames: { '#ttl': TTL_ATTRIBUTE } }));
    const before = await expiries(id);
    expect(before[event]).toBeUndefined();
    now += 60_000;
    await tickets.update(agent, id, { status: 'closed' });
    expect(await expiries(id)).toEqual({ ...before, [event]: ticketExpiry });
    await tickets.update(agent, id, { status: 'closed' });
    expect(await expiries(id)).toEqual({ ...before, [event]: ticketExpiry });
  });

  it("an upload asked for before the close and checked after it expires with the closed ticket's attachments", async () => {
    const { view } = await tickets.create(customer, { title: 'Scanner', description: 'offline', category: 'other', priority: 'low' });
    const late = pendingAttachment(customer, { id: view.id, customerId: 'ACME' }, { filename: 'scan.log', contentType: 'text/plain', size: 10 }, 'c'.repeat(20), now);
    await attachments.add(late, 0);
    now += 60_000;
    const closedAt = now;
    await tickets.update(agent, view.id, { status: 'closed' });
    now += 60_000;
    expect(await attachments.settle(late, { status: 'available', checkedAt: now })).toBe(true);
    expect((await expiries(view.id))[keys.attachment(view.id, late.id).SK]).toBe(attachmentExpiry(DEFAULT_RETENTION, closedAt));
  });

  it("follows the stage's periods, and a breach recorded after the closing expires with the ticket", async () => {
    const retention = parseRetention('closedTickets=2y,attachments=30d');
    const own = new DynamoTicketStore(db, table, calendar.timeZone, retention);
    const openedAt = Date.parse('2026-06-10T09:00:00+02:00');
    const ticket = storedTicket(openedAt, { id: 'ACME-900' });
    await own.create(ticket, { ticketId: ticket.id, at: openedAt, actor: customer, type: 'ticket.opened', changes: {} });
    const file = pendingAttachment(customer, ticket, { filename: 'a.png', contentType: 'image/png', size: 10 }, 'c'.repeat(20), openedAt);
    await attachments.add(file, 0);
    await attachments.settle(file, { status: 'available', checkedAt: openedAt });
    // Closed unanswered after its deadline: the breach is recorded afterwards.
    const closedAt = ticket.firstResponseDueAt + 60_000;
    const closed = { ...ticket, status: 'closed' as const, closedAt, updatedAt: closedAt, version: 2 };
    await own.update(closed, 1, { ticketId: ticket.id, at: closedAt, actor: agent, type: 'ticket.updated', changes: { status: { from: 'open', to: 'closed' } } });
    const breach: AlertMessage = {
      id: 'ACME-900:breach:email',
      kind: 'breach',
      channel: 'email',
      about: { type: 'ticket', id: ticket.id },
      customerId: 'ACME',
      hypercare: false,
      recipients: ['oncall@provider.example'],
      subject: 's',
      body: 'b',
    };
    await own.raiseAlert(closed, 'breach', [breach], { ticketId: ticket.id, at: closedAt + 1, actor: agent, type: 'sla.breached', changes: {} });
    await own.expireClosed(closed);
    const items = await expiries(ticket.id);
    const twoYears = closedTicketExpiry(retention, closedAt);
    // 2026 to 2028, past 29 February 2028: 731 days.
    expect(twoYears).toBe(Math.ceil(closedAt / 1000) + 731 * 86_400);
    for (const [sk, expiry] of Object.entries(items)) expect([sk, expiry]).toEqual([sk, sk.startsWith('ATTACHMENT#') ? Math.ceil(closedAt / 1000) + 30 * 86_400 : twoYears]);
    expect(Object.keys(items).filter((sk) => sk.startsWith('ALERT#'))).toHaveLength(1);
  });
});
