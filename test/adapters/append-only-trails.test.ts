import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ensureTable } from '../../bin/local/dynamodb-local';
import { createDocumentClient } from '#adapters/dynamodb/client';
import { DynamoCustomerStore } from '#adapters/dynamodb/dynamo-customer-store';
import { DynamoTicketStore } from '#adapters/dynamodb/dynamo-ticket-store';
import { keys } from '#adapters/dynamodb/table';
import type { Actor } from '#domain/actor';
import { danishCalendar } from '#domain/calendar/danish-calendar';
import type { CustomerEvent, CustomerProfile } from '#domain/customers/customer';
import { alertMessages } from '#domain/sla/alert-messages';
import { openTicket, type TicketEvent } from '#domain/tickets/ticket';

const db = createDocumentClient({ endpoint: inject('dynamoEndpoint') });
const table = `trail${Date.now().toString(36)}`;
const customers = new DynamoCustomerStore(db, table);
const at = Date.parse('2026-06-10T09:00:00+02:00');
const profile = (version: number): CustomerProfile => ({ customerId: 'ACME', name: `Acme v${version}`, contacts: [], updatedAt: at + version, version });
const saved = (version: number): CustomerEvent => ({ customerId: 'ACME', type: 'customer.saved', at: at + version, by: 'admin-1' });
const eventKey = (version: number) => keys.customerEvent('ACME', at + version, `v${String(version).padStart(10, '0')}`);

beforeAll(() => ensureTable(inject('dynamoEndpoint'), table));
afterAll(() => db.destroy());

describe('audit trails are append-only', () => {
  it('a customer change never overwrites an event already recorded under its key', async () => {
    expect(await customers.putCustomer(profile(1), 0, saved(1))).toBe('written');
    // An event already sits where version 2's would go (as if written by another writer).
    await db.send(new PutCommand({ TableName: table, Item: { ...eventKey(2), entity: 'customer-event', ...saved(2), by: 'first-writer' } }));
    await expect(customers.putCustomer(profile(2), 1, saved(2))).rejects.toThrow();
    const { Item } = await db.send(new GetCommand({ TableName: table, Key: eventKey(2) }));
    expect(Item?.by).toBe('first-writer');
    // The change and its event go together: the profile was not written either.
    expect((await customers.getCustomer('ACME'))?.version).toBe(1);
  });

  it('a hypercare conclusion is recorded once, even when its marker is gone', async () => {
    const concluded: CustomerEvent = { customerId: 'GLOBEX', type: 'hypercare.concluded', at, by: 'system' };
    expect(await customers.recordConclusion(concluded)).toBe(true);
    await db.send(new DeleteCommand({ TableName: table, Key: keys.conclusion('GLOBEX') }));
    await expect(customers.recordConclusion({ ...concluded, by: 'rewriter' })).rejects.toThrow();
    expect((await customers.listEvents('GLOBEX', 10)).items.map((e) => e.by)).toEqual(['system']);
  });

  it('every ticket event the store writes is conditional on its key being new, and none is updated or deleted', async () => {
    const sent: { name: string; input: Record<string, any> }[] = [];
    const recording = createDocumentClient({ endpoint: inject('dynamoEndpoint') });
    const send = recording.send.bind(recording) as (command: unknown) => Promise<unknown>;
    recording.send = ((command: { constructor: { name: string }; input: Record<string, any> }) => {
      sent.push({ name: command.constructor.name, input: command.input });
      return send(command);
    }) as typeof recording.send;
    const tickets = new DynamoTicketStore(recording, table);
    const customer: Actor = { subject: 'u1', role: 'customer', customerId: 'ACME' };
    const agent: Actor = { subject: 'a1', role: 'agent' };
    const calendar = danishCalendar();
    const ticket = openTicket('ACME-1', 'ACME', { title: 't', description: 'd', category: 'other', priority: 'high' }, customer, at, calendar);
    const event = (type: TicketEvent['type'], when: number, actor: Actor = agent): TicketEvent => ({ ticketId: ticket.id, at: when, actor, type, changes: {} });
    await tickets.create(ticket, event('ticket.opened', at, customer));
    await tickets.update({ ...ticket, title: 'new', version: 2 }, 1, event('ticket.updated', at + 1));
    const late = ticket.firstResponseDueAt + 1;
    await tickets.raiseAlert(
      { ...ticket, title: 'new', version: 2 },
      'breach',
      alertMessages(ticket, 'breach', late, calendar, { onCall: ['oncall@example.com'], customerContacts: [], hypercare: false }),
      event('sla.breached', late),
    );
    const comment = { ticketId: ticket.id, id: 'c1', body: 'b', visibility: 'public' as const, author: agent, createdAt: late + 1 };
    await tickets.addComment(comment, [event('comment.added', late + 1), event('ticket.first-response', late + 1)], { at: late + 1, dueAt: ticket.firstResponseDueAt });
    expect((await tickets.listEvents(ticket.id, 10)).items.map((e) => e.type)).toEqual(['ticket.opened', 'ticket.updated', 'sla.breached', 'comment.added', 'ticket.first-response']);

    const puts = sent.flatMap(({ input }) => [...(input.TransactItems ?? []).map((t: { Put?: unknown }) => t.Put), input.Item ? input : undefined]).filter(Boolean);
    const eventPuts = puts.filter((put: { Item: { SK?: string } }) => put.Item.SK?.startsWith('EVENT#'));
    expect(eventPuts).toHaveLength(5);
    for (const put of eventPuts) expect(put.ConditionExpression).toBe('attribute_not_exists(PK)');
    const touched = sent.flatMap(({ name, input }) => [
      ...(/Update|Delete/.test(name) ? [input.Key] : []),
      ...(input.TransactItems ?? []).flatMap((t: { Update?: { Key: unknown }; Delete?: { Key: unknown } }) => [t.Update?.Key, t.Delete?.Key]).filter(Boolean),
    ]);
    expect(touched.filter((key: { SK?: string }) => key?.SK?.startsWith('EVENT#'))).toEqual([]);
    recording.destroy();
  });
});
