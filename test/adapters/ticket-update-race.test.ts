import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ensureTable } from '../../bin/local/dynamodb-local';
import { createDocumentClient } from '#adapters/dynamodb/client';
import { DynamoCustomerStore } from '#adapters/dynamodb/dynamo-customer-store';
import { DynamoIdempotencyStore } from '#adapters/dynamodb/dynamo-idempotency-store';
import { DynamoPersonStore } from '#adapters/dynamodb/dynamo-person-store';
import { DynamoTicketStore } from '#adapters/dynamodb/dynamo-ticket-store';
import { LocalTimerScheduler } from '#adapters/scheduler/local-timer-scheduler';
import type { Actor } from '#domain/actor';
import { danishCalendar } from '#domain/calendar/danish-calendar';
import { VersionConflictError } from '#domain/errors';
import { SlaTimerService } from '#domain/sla/sla-timer-service';
import type { Ticket } from '#domain/tickets/ticket';
import { TicketService } from '#domain/tickets/ticket-service';

/* A change to a ticket made while another write lands on it (the desk's timers, a colleague), on DynamoDB Local. */

const db = createDocumentClient({ endpoint: inject('dynamoEndpoint') });
const table = `race${Date.now().toString(36)}`;
const calendar = danishCalendar();
const now = Date.parse('2026-06-10T09:00:00+02:00');
const store = new DynamoTicketStore(db, table, calendar.timeZone);
const customers = new DynamoCustomerStore(db, table);
const customer: Actor = { subject: 'u1', role: 'customer', customerId: 'ACME' };
const agent: Actor = { subject: 'a1', role: 'agent' };

/** The real store, but just before the first write of a change another change (a colleague's title) lands on the same ticket. */
function raced(other: () => Promise<unknown>): DynamoTicketStore {
  let first = true;
  return Object.assign(Object.create(store) as DynamoTicketStore, {
    update: async (...args: Parameters<DynamoTicketStore['update']>) => {
      if (first) {
        first = false;
        await other();
      }
      return store.update(...args);
    },
  });
}

const service = (ticketStore: DynamoTicketStore) =>
  new TicketService({
    store: ticketStore,
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

beforeAll(async () => {
  await ensureTable(inject('dynamoEndpoint'), table);
  await customers.putCustomer({ customerId: 'ACME', name: 'Acme', contacts: [], updatedAt: now, version: 1 }, 0);
});
afterAll(() => db.destroy());

describe('a ticket changed while another write lands on it', () => {
  it('without If-Match, is read again and changed: both changes stand', async () => {
    const { view } = await service(store).create(customer, { title: 'Printer', description: 'jammed', category: 'other', priority: 'high' });
    const colleague = () => service(store).update(agent, view.id, { title: 'Printer on floor 2' });
    const changed = await service(raced(colleague)).update(agent, view.id, { status: 'in_progress' });
    expect([changed.status, changed.title]).toEqual(['in_progress', 'Printer on floor 2']);
    const stored = (await store.get(view.id)) as Ticket;
    expect(stored.version).toBe(view.version + 2);
  });

  it('with If-Match, the version the caller read is the one changed, or the change is refused', async () => {
    const { view } = await service(store).create(customer, { title: 'Scanner', description: 'offline', category: 'other', priority: 'low' });
    const colleague = () => service(store).update(agent, view.id, { title: 'Scanner in reception' });
    await expect(service(raced(colleague)).update(agent, view.id, { status: 'in_progress' }, view.version)).rejects.toBeInstanceOf(VersionConflictError);
    expect(((await store.get(view.id)) as Ticket).status).not.toBe('in_progress');
  });
});
