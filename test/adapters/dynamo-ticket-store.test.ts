import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { ensureTable } from '../../bin/local/dynamodb-local';
import { createDocumentClient } from '#adapters/dynamodb/client';
import { DynamoAlertOutbox } from '#adapters/dynamodb/dynamo-alert-outbox';
import { DynamoCustomerStore } from '#adapters/dynamodb/dynamo-customer-store';
import { DynamoIdempotencyStore } from '#adapters/dynamodb/dynamo-idempotency-store';
import { DynamoServiceWindowStore } from '#adapters/dynamodb/dynamo-service-window-store';
import { ServiceWindowService } from '#domain/availability/service-window-service';
import { scheduleWindow, windowNotices } from '#domain/availability/service-windows';
import { DynamoTicketStore } from '#adapters/dynamodb/dynamo-ticket-store';
import { danishCalendar } from '#domain/calendar/danish-calendar';
import { VersionConflictError } from '#domain/errors';
import type { Actor } from '#domain/actor';
import { openedEvent, openTicket, type TicketEvent } from '#domain/tickets/ticket';
import { parseMonth } from '#domain/month';
import type { MonthKind } from '#adapters/dynamodb/table';

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
    const customers = Array.from({ length: 150 }, (_, i) => ({
      customerId: `C${i}X`,
      name: `Customer ${i}`,
      contacts: [{ email: `ops${i}@c.example`, receives: ['notices' as const] }],
      updatedAt: at,
      version: 1,
    }));
    const window = scheduleWindow({ start: at + 86_400_000, end: at + 90_000_000, reason: 'patch' }, { subject: 'a', role: 'agent' }, at, 'SW-0000BEEF');
    await new DynamoServiceWindowStore(db, table).createWindow(window, windowNotices(window, customers, danishCalendar()));
    const queued = await new DynamoAlertOutbox(db, table).pending(1000, at + 1);
    expect(queued.filter((a) => a.message.about.id === 'SW-0000BEEF')).toHaveLength(151);
  });

  it('notices an interrupted announcement left unwritten are completed by the relay, each once; nothing is lost', async () => {
    const customers = new DynamoCustomerStore(db, table);
    for (let i = 0; i < 120; i++)
      await customers.putCustomer({ customerId: `F${i}X`, name: `Customer ${i}`, contacts: [{ email: `ops${i}@f.example`, receives: ['notices'] }], updatedAt: at, version: 1 }, 0);
    const all = await customers.allCustomers();
    const windows = new DynamoServiceWindowStore(db, table);
    // The process dies after the first transaction: the follow-up writes never happen.
    const dying = Object.assign(Object.create(windows) as typeof windows, {
      completeFanOut: async () => {
        throw new Error('killed');
      },
    });
    const window = scheduleWindow({ start: at + 86_400_000, end: at + 90_000_000, reason: 'patch' }, { subject: 'a', role: 'agent' }, at, 'SW-0000FA11');
    const notices = windowNotices(window, all, danishCalendar());
    await expect(dying.createWindow(window, notices)).rejects.toThrow('killed');
    const queued = async () => (await new DynamoAlertOutbox(db, table).pending(10_000, at + 3_600_000)).filter((a) => a.message.about.id === window.id).length;
    expect(await queued()).toBeLessThan(notices.length);
    expect((await windows.pendingFanOuts(10)).map((p) => [p.window.id, p.fanOut])).toContainEqual([window.id, 'announced']);

    const service = new ServiceWindowService({ windows, customers, idempotency: new DynamoIdempotencyStore(db, table), calendar: danishCalendar(), now: () => at + 60_000, probeTargets: [] });
    expect(await service.completeFanOuts()).toBeGreaterThanOrEqual(1);
    expect(await queued()).toBe(notices.length);
    expect((await windows.pendingFanOuts(10)).map((p) => p.window.id)).not.toContain(window.id);
    await service.completeFanOuts();
    expect(await queued()).toBe(notices.length);
  });

  it('a window cancelled while its announcement is still being written: the rest are never announced, everyone told hears of the cancellation', async () => {
    const customers = new DynamoCustomerStore(db, table);
    const windows = new DynamoServiceWindowStore(db, table);
    const dying = Object.assign(Object.create(windows) as typeof windows, { completeFanOut: async () => Promise.reject(new Error('killed')) });
    const window = scheduleWindow({ start: at + 86_400_000, end: at + 90_000_000, reason: 'patch' }, { subject: 'a', role: 'agent' }, at, 'SW-0000CA9C');
    const notices = windowNotices(window, await customers.allCustomers(), danishCalendar());
    expect(notices.length).toBeGreaterThan(100);
    await expect(dying.createWindow(window, notices)).rejects.toThrow('killed');

    const service = new ServiceWindowService({ windows, customers, idempotency: new DynamoIdempotencyStore(db, table), calendar: danishCalendar(), now: () => at + 60_000, probeTargets: [] });
    await service.cancel({ subject: 'a', role: 'agent' }, window.id);
    // The relay comes round, perhaps still seeing the announcement pending.
    await windows.completeFanOut(window, 'announced', notices, at + 61_000);
    await service.completeFanOuts();
    const sent = (await new DynamoAlertOutbox(db, table).pending(10_000, at + 3_600_000)).map((a) => a.message).filter((m) => m.about.id === window.id);
    const announced = sent
      .filter((m) => m.kind === 'service-window' && m.channel === 'email')
      .map((m) => m.customerId)
      .sort();
    const cancelled = sent
      .filter((m) => m.kind === 'service-window-cancelled' && m.channel === 'email')
      .map((m) => m.customerId)
      .sort();
    expect(announced.length).toBeLessThan(notices.length - 1);
    expect(cancelled).toEqual(announced);
    expect(
      sent
        .filter((m) => m.channel === 'sns')
        .map((m) => m.kind)
        .sort(),
    ).toEqual(['service-window', 'service-window-cancelled']);
  });
});

describe('the months index: what happened in a month, without a Scan', () => {
  const month = (text: string) => parseMonth(text);
  const filed = async (kind: MonthKind, m: string) => (await store.eventsInMonth(kind, month(m), 100)).items.map((e) => `${e.ticketId} ${e.type}`);
  const agent: Actor = { subject: 'a', role: 'agent' };

  it('files each ticket outcome under its kind and its month in Copenhagen time', async () => {
    // 23:59:59.999 on 30 June in Copenhagen is June; a millisecond later, 1 July, is July (22:00 UTC).
    const june = openTicket('MON-1', 'MON', { title: 't', description: 'd', category: 'other', priority: 'low' }, customer, Date.parse('2026-06-30T21:59:59.999Z'), danishCalendar());
    const july = openTicket('MON-2', 'MON', { title: 't', description: 'd', category: 'other', priority: 'low' }, customer, Date.parse('2026-06-30T22:00:00.000Z'), danishCalendar());
    await store.create(june, openedEvent(june, customer));
    await store.create(july, openedEvent(july, customer));
    expect(await filed('OPENED', '2026-06')).toContain('MON-1 ticket.opened');
    expect(await filed('OPENED', '2026-06')).not.toContain('MON-2 ticket.opened');
    expect(await filed('OPENED', '2026-07')).toContain('MON-2 ticket.opened');

    const respondedAt = Date.parse('2026-07-01T08:30:00+02:00');
    await store.addComment(
      { ticketId: 'MON-1', id: 'c1', body: 'On it', visibility: 'public', author: agent, createdAt: respondedAt },
      [{ ticketId: 'MON-1', at: respondedAt, actor: agent, type: 'ticket.first-response', changes: { firstRespondedAt: { to: respondedAt } } }],
      { at: respondedAt, dueAt: june.firstResponseDueAt },
    );
    const closedAt = Date.parse('2026-07-02T09:00:00+02:00');
    const current = (await store.get('MON-1'))!;
    await store.update({ ...current, status: 'closed', closedAt, version: current.version + 1 }, current.version, {
      ticketId: 'MON-1',
      at: closedAt,
      actor: agent,
      type: 'ticket.updated',
      changes: { status: { from: 'open', to: 'closed' } },
    });
    const retitled = (await store.get('MON-2'))!;
    await store.update({ ...retitled, title: 'x', version: retitled.version + 1 }, retitled.version, {
      ticketId: 'MON-2',
      at: closedAt,
      actor: agent,
      type: 'ticket.updated',
      changes: { title: { from: 't', to: 'x' } },
    });
    expect(await filed('RESPONDED', '2026-07')).toEqual(['MON-1 ticket.first-response']);
    expect(await filed('CLOSED', '2026-07')).toEqual(['MON-1 ticket.updated']);
    // A change that is not an outcome is not filed.
    expect((await filed('CLOSED', '2026-07')).filter((e) => e.startsWith('MON-2'))).toEqual([]);
  });

  it('files a breach under the month of the deadline it missed, even when recorded in the next', async () => {
    // Due Wednesday 30 September 2026 15:30; the breach recorded on 1 October (a timer lost over the month end).
    const opened = openTicket('MON-3', 'MON', { title: 't', description: 'd', category: 'other', priority: 'highest' }, customer, Date.parse('2026-09-30T14:30:00+02:00'), danishCalendar());
    await store.create(opened, openedEvent(opened, customer));
    const recordedAt = Date.parse('2026-10-01T08:10:00+02:00');
    await store.raiseAlert(opened, 'breach', [], {
      ticketId: 'MON-3',
      at: recordedAt,
      actor: { subject: 'sla-timer', role: 'system' },
      type: 'sla.breached',
      changes: { breachedAt: { to: recordedAt }, dueAt: { to: opened.firstResponseDueAt } },
    });
    expect(await filed('BREACHED', '2026-09')).toContain('MON-3 sla.breached');
    expect(await filed('BREACHED', '2026-10')).not.toContain('MON-3 sla.breached');
  });
});
