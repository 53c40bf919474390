import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { ensureTable } from '../../bin/local/dynamodb-local';
import { createDocumentClient } from '../../functions/adapters/dynamodb/client';
import { DynamoTicketStore } from '../../functions/adapters/dynamodb/dynamo-ticket-store';
import { danishCalendar } from '../../functions/domain/calendar/danish-calendar';
import { VersionConflictError } from '../../functions/domain/errors';
import type { Actor } from '../../functions/domain/actor';
import { openTicket, type TicketEvent } from '../../functions/domain/tickets/ticket';

const db = createDocumentClient({ endpoint: inject('dynamoEndpoint') });
const table = `store${Date.now().toString(36)}`;
const store = new DynamoTicketStore(db, table);
const customer: Actor = { subject: 'u1', role: 'customer', customerId: 'ACME' };
const at = Date.parse('2026-06-10T09:00:00+02:00');
const ticket = (n: number) => openTicket(`ACME-${n}`, 'ACME', { title: 't', description: 'd', category: 'other', priority: 'high' }, customer, at + n, danishCalendar());
const opened = (id: string): TicketEvent => ({ ticketId: id, at, actor: customer, type: 'ticket.opened', changes: {} });

beforeAll(() => ensureTable(inject('dynamoEndpoint'), table));
afterAll(() => db.destroy());

describe('the DynamoDB ticket store, on DynamoDB Local', () => {
  it('hands out unique ticket numbers under concurrency', async () => {
    const numbers = await Promise.all(Array.from({ length: 50 }, () => store.nextTicketNumber('SEQ')));
    expect([...numbers].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
  });

  it('never creates the same ticket twice', async () => {
    await store.create(ticket(1), opened('ACME-1'));
    await expect(store.create(ticket(1), opened('ACME-1'))).rejects.toThrow();
    expect((await store.listEvents('ACME-1', 10)).items).toHaveLength(1);
  });

  it('writes an update only on the expected version, with its event', async () => {
    const t = ticket(2);
    await store.create(t, opened(t.id));
    const changed = { ...t, title: 'new', version: 2 };
    await store.update(changed, 1, { ...opened(t.id), type: 'ticket.updated' });
    await expect(store.update({ ...t, title: 'lost', version: 2 }, 1, { ...opened(t.id), type: 'ticket.updated' })).rejects.toThrow(VersionConflictError);
    expect((await store.get(t.id))?.title).toBe('new');
    expect((await store.listEvents(t.id, 10)).items.map((e) => e.type)).toEqual(['ticket.opened', 'ticket.updated']);
  });

  it('round-trips a ticket through its item mapper', async () => {
    const t = ticket(3);
    await store.create(t, opened(t.id));
    expect(await store.get(t.id)).toEqual(t);
  });

  it('pages a customer list by cursor, newest first', async () => {
    for (let n = 10; n < 15; n++) await store.create(ticket(n), opened(`ACME-${n}`));
    const first = await store.list({ customerId: 'ACME', limit: 2, now: at });
    const second = await store.list({ customerId: 'ACME', limit: 2, cursor: first.nextCursor!, now: at });
    expect(first.items.map((t) => t.id)).toEqual(['ACME-14', 'ACME-13']);
    expect(second.items.map((t) => t.id)).toEqual(['ACME-12', 'ACME-11']);
  });
});

describe('the service window store, on DynamoDB Local', () => {
  it('records a window with notices for more customers than one transaction holds', async () => {
    const { DynamoServiceWindowStore } = await import('../../functions/adapters/dynamodb/dynamo-service-window-store');
    const { DynamoAlertOutbox } = await import('../../functions/adapters/dynamodb/dynamo-alert-outbox');
    const { windowNotices, scheduleWindow } = await import('../../functions/domain/availability/service-windows');
    const customers = Array.from({ length: 150 }, (_, i) => ({ customerId: `C${i}X`, name: `Customer ${i}`, alertContacts: [`ops${i}@c.example`], updatedAt: at }));
    const window = scheduleWindow({ start: at + 86_400_000, end: at + 90_000_000, reason: 'patch' }, { subject: 'a', role: 'agent' }, at, 'SW-0000BEEF');
    await new DynamoServiceWindowStore(db, table).createWindow(window, windowNotices(window, customers, danishCalendar()));
    const queued = await new DynamoAlertOutbox(db, table).pending(1000, at + 1);
    expect(queued.filter((a) => a.message.windowId === 'SW-0000BEEF')).toHaveLength(151);
  });
});
