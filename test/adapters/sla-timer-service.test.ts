import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ensureTable } from '../../bin/local/dynamodb-local';
import { createDocumentClient } from '#adapters/dynamodb/client';
import { DynamoCustomerStore } from '#adapters/dynamodb/dynamo-customer-store';
import { DynamoPersonStore } from '#adapters/dynamodb/dynamo-person-store';
import { DynamoTicketStore } from '#adapters/dynamodb/dynamo-ticket-store';
import { DynamoIdempotencyStore } from '#adapters/dynamodb/dynamo-idempotency-store';
import { LocalTimerScheduler } from '#adapters/scheduler/local-timer-scheduler';
import type { Actor } from '#domain/actor';
import { danishCalendar } from '#domain/calendar/danish-calendar';
import { parseInstant } from '#domain/instant';
import { SlaTimerService } from '#domain/sla/sla-timer-service';
import type { Ticket } from '#domain/tickets/ticket';
import { TicketService } from '#domain/tickets/ticket-service';
import type { TicketStore } from '#domain/tickets/ticket-store';
import { ConcurrentWriteError, ServiceUnavailableError } from '#domain/errors';
import { problemResponse } from '#handlers/http/problem';

/*
 * The SLA timer service on DynamoDB Local, with faults injected into the real
 * store: one ticket that cannot be read, or a breach write that fails once.
 */

const db = createDocumentClient({ endpoint: inject('dynamoEndpoint') });
const table = `slasvc${Date.now().toString(36)}`;
const calendar = danishCalendar();
const real = new DynamoTicketStore(db, table);
const scheduler = new LocalTimerScheduler(db, table);
const idempotency = new DynamoIdempotencyStore(db, table);
let now = parseInstant('2026-11-24T09:00:00+01:00');
const broken = new Set<string>();
let failNextBreach = false;

/** The real store, except that reads of `broken` tickets and the next breach write fail. */
const store: TicketStore = Object.assign(Object.create(real) as TicketStore, {
  get: async (id: string) => {
    if (broken.has(id)) throw new Error(`throttled reading ${id}`);
    return real.get(id);
  },
  raiseAlert: async (...args: Parameters<TicketStore['raiseAlert']>) => {
    if (failNextBreach && args[1] === 'breach') {
      failNextBreach = false;
      throw new Error('DynamoDB unavailable');
    }
    return real.raiseAlert(...args);
  },
});
const sweepFailures: string[] = [];
const timerFailures: unknown[] = [];
const sla = new SlaTimerService({
  store,
  customers: new DynamoCustomerStore(db, table),
  scheduler,
  calendar,
  now: () => now,
  onCall: ['oncall@provider.example'],
  onSweepFailure: (ticketId) => sweepFailures.push(ticketId),
});
/** The ticket service on this table, with the timers given. */
const ticketsWith = (timers: SlaTimerService) =>
  new TicketService({
    inHypercare: () => false,
    store,
    idempotency,
    customers: new DynamoCustomerStore(db, table),
    people: new DynamoPersonStore(db, table),
    calendar,
    now: () => now,
    timers,
    onTimerFailure: (error) => timerFailures.push(error),
  });
const tickets = ticketsWith(sla);
const customer: Actor = { subject: 'u', role: 'customer', customerId: 'ACME' };
const agent: Actor = { subject: 'a', role: 'agent' };
const open = async (priority: 'highest' | 'high' | 'medium' = 'highest') => (await tickets.create(customer, { title: 't', description: 'd', category: 'other', priority })).view;

beforeAll(() => ensureTable(inject('dynamoEndpoint'), table));
afterAll(() => db.destroy());

describe('the sweep keeps going past a ticket it cannot check', () => {
  it('records the other overdue breaches, reports the failing one, and tries it again next time', async () => {
    now = parseInstant('2026-11-24T09:00:00+01:00');
    const bad = await open();
    now += 60_000;
    const good = await open();
    broken.add(bad.id);
    now = parseInstant('2026-11-24T11:00:00+01:00');
    const first = await sla.sweep();
    expect(first.failed).toEqual([bad.id]);
    expect(first.recorded).toEqual([good.id]);
    expect(sweepFailures).toEqual([bad.id]);
    expect((await real.get(good.id))!.breachedAt).toBe(now);

    broken.delete(bad.id);
    const second = await sla.sweep();
    expect(second).toMatchObject({ recorded: [bad.id], failed: [] });
  });
});

describe('timer work after a committed change', () => {
  it('a late first response whose breach write fails is still acknowledged, and the sweep records the breach', async () => {
    now = parseInstant('2026-11-25T09:00:00+01:00');
    const ticket = await open();
    now = parseInstant('2026-11-25T10:30:00+01:00');
    failNextBreach = true;
    const reply = await tickets.comment(agent, ticket.id, { body: 'Sorry for the wait', visibility: 'public' });
    expect(reply.firstResponse).toBe(true);
    expect(timerFailures).toHaveLength(1);
    const after = (await real.get(ticket.id))!;
    expect(after.breachedAt).toBeUndefined();
    expect((await real.overdue(now, 100)).map((t: Ticket) => t.id)).toContain(ticket.id);

    now += 2 * 60_000;
    expect((await sla.sweep()).recorded).toEqual([ticket.id]);
  });

  it("a late disarm of an earlier state never deletes the schedules the ticket's deadline uses again", async () => {
    now = parseInstant('2026-11-26T09:00:00+01:00');
    const { id } = await open('high');
    const atHigh = (await real.get(id))!;
    now += 60_000;
    await tickets.update(agent, id, { priority: 'medium' });
    now += 60_000;
    await tickets.update(agent, id, { priority: 'high' });
    const due = async () => (await scheduler.due(parseInstant('2026-11-27T00:00:00+01:00'))).filter((t) => t.ticketId === id).map((t) => `${t.kind}@${t.dueAt}`);
    const armed = await due();
    expect(armed).toEqual(['warning@2026-11-26T11:00:00.000Z', 'breach@2026-11-26T12:00:00.000Z']);
    // The first change's clean-up, delayed until after the second change re-armed high.
    await sla.disarm(atHigh);
    expect(await due()).toEqual(armed);
  });
});

describe('arming that fails, and a replay that mends', () => {
  it('timers that cannot be set refuse the ticket (503) and write nothing; the retry with the same key creates it, once', async () => {
    now = parseInstant('2026-11-30T09:00:00+01:00');
    let down = true;
    const flaky = Object.assign(Object.create(scheduler) as LocalTimerScheduler, {
      schedule: async (timers: Parameters<LocalTimerScheduler['schedule']>[0]) => {
        if (down) throw new Error('Scheduler throttled');
        return scheduler.schedule(timers);
      },
    });
    const armed = new SlaTimerService({ store, customers: new DynamoCustomerStore(db, table), scheduler: flaky, calendar, now: () => now, onCall: ['oncall@provider.example'] });
    const desk = ticketsWith(armed);
    const body = { title: 'Sync stopped', description: 'd', category: 'other' as const, priority: 'high' as const };
    const before = (await real.list({ customerId: 'ACME', limit: 100, now })).items.length;

    const refused = desk.create(customer, body, 'retry-me');
    await expect(refused).rejects.toThrow(ServiceUnavailableError);
    expect(problemResponse(await refused.catch((e: unknown) => e)).response.statusCode).toBe(503);
    expect((await real.list({ customerId: 'ACME', limit: 100, now })).items.length).toBe(before);

    down = false;
    const { view, replayed } = await desk.create(customer, body, 'retry-me');
    expect(replayed).toBe(false);
    expect((await desk.create(customer, body, 'retry-me')).replayed).toBe(true);
    expect((await real.list({ customerId: 'ACME', limit: 100, now })).items.length).toBe(before + 1);
    expect((await scheduler.due(parseInstant('2026-12-31T00:00:00+01:00'))).filter((t) => t.ticketId === view.id).map((t) => t.kind)).toEqual(['warning', 'breach']);
  });

  it('a replay arms the timers again: a crash after the write leaves nothing unwatched', async () => {
    now = parseInstant('2026-12-01T09:00:00+01:00');
    const body = { title: 'Replay', description: 'd', category: 'other' as const, priority: 'medium' as const };
    const { view } = await tickets.create(customer, body, 'replay-arms');
    const armedTimers = async () => (await scheduler.due(parseInstant('2026-12-31T00:00:00+01:00'))).filter((t) => t.ticketId === view.id);
    // As if the process died after writing: the timers are gone.
    await scheduler.cancel(await armedTimers());
    expect(await armedTimers()).toEqual([]);
    expect((await tickets.create(customer, body, 'replay-arms')).replayed).toBe(true);
    expect((await armedTimers()).map((t) => t.kind)).toEqual(['warning', 'breach']);
  });
});

describe("a duplicated firing is refused by the ticket's own condition", () => {
  it('a second breach record for the same version is refused even with no alert to collide on', async () => {
    now = parseInstant('2026-12-02T09:00:00+01:00');
    const { id } = await open();
    const ticket = (await real.get(id))!;
    const event = { ticketId: id, at: now + 3_600_000, actor: { subject: 'sla-timer', role: 'system' as const }, type: 'sla.breached' as const, changes: {} };
    await real.raiseAlert(ticket, 'breach', [], event);
    // The same decision again (a duplicated firing that read the same version): nothing to collide on but the ticket.
    await expect(real.raiseAlert(ticket, 'breach', [], { ...event, at: event.at + 1 })).rejects.toThrow(ConcurrentWriteError);
    // Even decided from the new version, the breach is recorded once.
    await expect(real.raiseAlert((await real.get(id))!, 'breach', [], { ...event, at: event.at + 2 })).rejects.toThrow(ConcurrentWriteError);
    const events = (await real.listEvents(id, 100)).items.filter((e) => e.type === 'sla.breached');
    expect(events).toHaveLength(1);
    expect((await real.get(id))!.breachedAt).toBe(event.at);
  });
});
