import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentClient } from '#adapters/dynamodb/client';
import { DynamoTicketStore } from '#adapters/dynamodb/dynamo-ticket-store';
import { INDEX, keys } from '#adapters/dynamodb/table';
import { LocalTimerScheduler } from '#adapters/scheduler/local-timer-scheduler';
import type { SlaTimer } from '#domain/sla/sla-timers';
import { parseMonth } from '#domain/month';
import { aTicket, startTestStack, type TestStack } from '../support/test-stack';

/*
 * The sweep is the safety net under the timers: a timer that failed, or a
 * schedule that was lost, must still end in the breach, exactly once. Locally
 * it runs with the relay, once per minute of the stack's clock and whenever
 * runTimers() or a clock jump asks for everything due now.
 */

let stack: TestStack;
let db: ReturnType<typeof createDocumentClient>;
let tokens: { customer: string; agent: string; admin: string };

beforeAll(async () => {
  stack = await startTestStack({ clockStart: '2026-09-01T08:00:00+02:00' });
  db = createDocumentClient({ endpoint: stack.dynamoEndpoint });
  tokens = { customer: await stack.token('customer', 'ACME'), agent: await stack.token('agent'), admin: await stack.token('admin') };
});
afterAll(async () => {
  db.destroy();
  await stack.stop();
});

const MINUTE = 60_000;
const open = async (priority = 'highest') => (await stack.call('POST', '/tickets', { token: tokens.customer, body: aTicket({ priority }) })).body;
const at = (instant: number) => stack.call('POST', '/_dev/clock', { token: tokens.admin, body: { now: new Date(instant).toISOString() } });

/** Every timer of a ticket that the local scheduler holds. */
async function timersOf(ticketId: string): Promise<SlaTimer[]> {
  const { Items = [] } = await db.send(
    new QueryCommand({ TableName: stack.tableName, IndexName: INDEX.lists, KeyConditionExpression: `${INDEX.lists}PK = :timers`, ExpressionAttributeValues: { ':timers': keys.timers } }),
  );
  return Items.map((item) => item.timer as SlaTimer).filter((timer) => timer.ticketId === ticketId);
}

/** Loses a ticket's schedules, as a deleted or never-created schedule would on AWS. */
async function loseTimers(ticketId: string): Promise<void> {
  const timers = await timersOf(ticketId);
  expect(timers.map((t) => t.kind).sort()).toEqual(['breach', 'warning']);
  await new LocalTimerScheduler(db, stack.tableName).cancel(timers);
  expect(await timersOf(ticketId)).toEqual([]);
}

async function breachLines(ticketId: string): Promise<string[]> {
  const text = await readFile(join(stack.dataDir, 'outbox.jsonl'), 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { ticketId: string; kind: string; channel: string })
    .filter((l) => l.ticketId === ticketId && l.kind === 'breach')
    .map((l) => l.channel)
    .sort();
}

const running = (dueBy: number) => new DynamoTicketStore(db, stack.tableName).overdue(dueBy, 100).then((tickets) => tickets.map((t) => t.id));

describe('the sweep records breaches whose timers were lost', () => {
  it('a ticket whose timers were removed before its deadline still breaches, once per channel, within two sweep intervals', async () => {
    await at(Date.parse('2026-09-01T09:00:00+02:00'));
    const ticket = await open();
    const due = Date.parse(ticket.firstResponseDueAt);
    await loseTimers(ticket.id);

    // Within the timer's own minute the sweep leaves the deadline to the timer.
    await at(due + MINUTE - 1_000);
    await stack.runTimers();
    expect(await breachLines(ticket.id)).toEqual([]);

    await at(due + 2 * MINUTE);
    await stack.runTimers();
    expect(await breachLines(ticket.id)).toEqual(['email', 'sns']);
    const seen = (await stack.call('GET', `/tickets/${ticket.id}`, { token: tokens.customer })).body;
    expect(seen.sla.state).toBe('breached');
    // Recorded as the sweep saw it: after the deadline, by at most the two sweep intervals.
    expect(Date.parse(seen.breachedAt) - due).toBeGreaterThan(MINUTE);
    expect(Date.parse(seen.breachedAt) - due).toBeLessThanOrEqual(2 * MINUTE);

    // Later rounds, and a late timer firing, add nothing.
    await at(due + 10 * MINUTE);
    await stack.runTimers();
    await stack.runTimers();
    expect(await breachLines(ticket.id)).toEqual(['email', 'sns']);
    const events = (await stack.call('GET', `/tickets/${ticket.id}/events`, { token: tokens.agent })).body.items.map((e: { type: string }) => e.type);
    expect(events.filter((type: string) => type === 'sla.breached')).toHaveLength(1);
    expect(await running(due + 10 * MINUTE)).not.toContain(ticket.id);
    // Filed as September's breach in the months index.
    const breaches = await new DynamoTicketStore(db, stack.tableName).eventsInMonth('BREACHED', parseMonth('2026-09'), 100);
    expect(breaches.items.filter((e) => e.ticketId === ticket.id).map((e) => e.type)).toEqual(['sla.breached']);
  });

  it('a ticket answered in time is never swept', async () => {
    await at(Date.parse('2026-09-02T09:00:00+02:00'));
    const ticket = await open();
    const due = Date.parse(ticket.firstResponseDueAt);
    expect(await running(due)).toContain(ticket.id);
    await at(due - 5 * MINUTE);
    const reply = await stack.call('POST', `/tickets/${ticket.id}/comments`, { token: tokens.agent, body: { body: 'On it', visibility: 'public' } });
    expect(reply.body.firstResponse).toBe(true);
    expect(await running(due)).not.toContain(ticket.id);

    await at(due + 30 * MINUTE);
    await stack.runTimers();
    expect(await breachLines(ticket.id)).toEqual([]);
    expect((await stack.call('GET', `/tickets/${ticket.id}`, { token: tokens.customer })).body.sla.state).toBe('met');
  });

  it('a ticket closed before its deadline is never swept; one answered late without its breach is', async () => {
    await at(Date.parse('2026-09-03T09:00:00+02:00'));
    const closed = await open();
    const late = await open();
    const due = Date.parse(late.firstResponseDueAt);
    await stack.call('PATCH', `/tickets/${closed.id}`, { token: tokens.agent, body: { status: 'closed' } });
    expect(await running(due)).not.toContain(closed.id);
    await loseTimers(late.id);

    // Answered after the deadline, with the timer lost and no round run: the breach is still owed.
    stack.clock.set(due + 30_000);
    const store = new DynamoTicketStore(db, stack.tableName);
    const ticket = (await store.get(late.id))!;
    await store.addComment({ ticketId: late.id, id: 'c-late', body: 'Sorry', visibility: 'public', author: { subject: 'a', role: 'agent' }, createdAt: due + 30_000 }, [], {
      at: due + 30_000,
      dueAt: ticket.firstResponseDueAt,
    });
    expect(await running(due)).toContain(late.id);

    await at(due + 2 * MINUTE);
    await stack.runTimers();
    expect(await breachLines(closed.id)).toEqual([]);
    expect(await breachLines(late.id)).toEqual(['email', 'sns']);
    expect(await running(due + 2 * MINUTE)).not.toContain(late.id);
  });

  it('a priority change moves the ticket to its new place among the running ones', async () => {
    await at(Date.parse('2026-09-04T09:00:00+02:00'));
    const ticket = await open('lowest');
    const highest = Date.parse('2026-09-04T10:00:00+02:00');
    expect(await running(highest)).not.toContain(ticket.id);
    await stack.call('PATCH', `/tickets/${ticket.id}`, { token: tokens.agent, body: { priority: 'highest' } });
    expect(await running(highest)).toContain(ticket.id);
  });
});

describe('the running tickets index', () => {
  it('a stale entry (outcome already recorded) is swept off the index, raising nothing', async () => {
    await at(Date.parse('2026-09-07T09:00:00+02:00'));
    const ticket = await open();
    const due = Date.parse(ticket.firstResponseDueAt);
    const store = new DynamoTicketStore(db, stack.tableName);
    const item = (await db.send(new QueryCommand({ TableName: stack.tableName, KeyConditionExpression: 'PK = :pk AND SK = :sk', ExpressionAttributeValues: keysOf(ticket.id) }))).Items![0]!;
    // As if an earlier version had recorded the breach without leaving the index.
    await db.send(new PutCommand({ TableName: stack.tableName, Item: { ...item, breachedAt: due, version: (item.version as number) + 1 } }));
    await loseTimers(ticket.id);
    await at(due + 5 * MINUTE);
    await stack.runTimers();
    expect(await breachLines(ticket.id)).toEqual([]);
    expect(await store.overdue(due + 5 * MINUTE, 100).then((t) => t.map((x) => x.id))).not.toContain(ticket.id);
  });
});

const keysOf = (id: string) => ({ ':pk': keys.ticket(id).PK, ':sk': keys.ticket(id).SK });
