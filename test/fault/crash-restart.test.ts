import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { inspect, newLedger, openTicketsUntilCrash, retryUnanswered } from '../support/crash-load';
import { isRunning, type StackProcess, startStackProcess } from '../support/stack-process';

/** Monday, a business day: highest-priority tickets opened now are warned at 09:45 and due at 10:00. */
const OPENING = Date.parse('2026-06-08T09:00:00+02:00');
const minutes = (n: number) => new Date(OPENING + n * 60_000).toISOString();

let stack: StackProcess | undefined;
let dataDir: string | undefined;
afterAll(async () => {
  // Also stops the engine a killed stack left, should the test end before the restart.
  await stack?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

async function eventTypes(url: string, token: string, id: string): Promise<string[]> {
  const response = await fetch(`${url}/tickets/${id}/events?limit=100`, { headers: { authorization: `Bearer ${token}` } });
  return ((await response.json()) as { items: { type: string }[] }).items.map((e) => e.type);
}

/** Waits until every ticket's audit trail has `type` (the timer loop handles 100 timers a round). */
async function untilEveryTicketHas(url: string, token: string, ids: readonly string[], type: string): Promise<string[]> {
  let lacking = [...ids];
  for (let round = 0; round < 120 && lacking.length; round++) {
    if (round) await new Promise((r) => setTimeout(r, 500));
    const found = await Promise.all(lacking.map(async (id) => ((await eventTypes(url, token, id)).includes(type) ? undefined : id)));
    lacking = found.filter((id): id is string => id !== undefined);
  }
  return lacking;
}

async function moveClock(url: string, token: string, now: string): Promise<void> {
  const response = await fetch(`${url}/_dev/clock`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ now }) });
  expect(response.status, await response.text()).toBe(200);
}

describe('the local stack killed with -9 under load, its DynamoDB Local left running', () => {
  it('keeps every acknowledged ticket, shows none half-written, stops the orphaned engine with SIGTERM, and fires the timers after the restart', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'sla-desk-crash-'));
    const ledger = newLedger();
    stack = await startStackProcess({ dataDir, clock: minutes(0) });
    const customer = await stack.token('customer', 'ACME');
    const agent = await stack.token('agent');
    const admin = await stack.token('admin');

    for (const cycle of [1, 2]) {
      const engine = await stack.engine();
      await openTicketsUntilCrash(stack, customer, ledger, { concurrency: 8, crashAfter: 30 });
      expect(isRunning(stack.pid)).toBe(false);
      // DynamoDB stands in for itself: the engine outlives the application.
      expect(isRunning(engine.pid)).toBe(true);

      // The restart finds the engine the killed stack left, stops it with SIGTERM, and starts its own on the same files.
      stack = await startStackProcess({ dataDir, clock: minutes(5 * cycle) });
      expect(stack.output()).toContain(`DynamoDB Local (pid ${engine.pid}) was left running by a stack that stopped without it; stopping it with SIGTERM`);
      expect(stack.output()).not.toContain('killing it');
      expect(isRunning(engine.pid)).toBe(false);
      expect((await stack.engine()).pid).not.toBe(engine.pid);

      // A client retries what got no answer, with the same key: it is made once, or replayed.
      await retryUnanswered(stack.url, customer, ledger);
      expect(ledger.refused).toEqual([]);
      const findings = await inspect(stack, agent, ledger);
      expect(findings.missing).toEqual([]);
      expect(findings.halfWritten).toEqual([]);
      expect(findings.strays).toEqual([]);
      expect(findings.listed).toBe(ledger.acknowledged.size);
      expect(new Set(ledger.acknowledged.values()).size).toBe(ledger.acknowledged.size);
    }
    expect(ledger.acknowledged.size).toBeGreaterThanOrEqual(60);
    // The kills landed mid-load: requests were in flight, unanswered, and were retried.
    expect(ledger.retried.length).toBeGreaterThan(0);

    // The timers armed before the crashes fire on the restarted stack: first every warning, then every breach.
    const ids = [...ledger.acknowledged.values()];
    await moveClock(stack.url, admin, minutes(55));
    expect(await untilEveryTicketHas(stack.url, agent, ids, 'sla.warning')).toEqual([]);
    await moveClock(stack.url, admin, minutes(75));
    expect(await untilEveryTicketHas(stack.url, agent, ids, 'sla.breached')).toEqual([]);
    expect((await inspect(stack, agent, ledger, { timersArmed: false })).halfWritten).toEqual([]);

    // Each ticket's alerts went out once on each channel (the outbox also has the month's report notice).
    const lines = (await readFile(join(dataDir, 'outbox.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { ticketId?: string; kind: string; channel: string })
      // A ticket's own emails (received, urgent) are not the SLA alerts this counts.
      .filter((l) => l.ticketId !== undefined && !l.kind.startsWith('ticket-'));
    const sent = new Map<string, number>();
    for (const l of lines) sent.set(`${l.ticketId} ${l.kind}/${l.channel}`, (sent.get(`${l.ticketId} ${l.kind}/${l.channel}`) ?? 0) + 1);
    const expected = ids.flatMap((id) => ['warning/email', 'warning/sns', 'breach/email', 'breach/sns'].map((k) => `${id} ${k}`));
    expect([...sent.keys()].sort()).toEqual(expected.sort());
    expect([...sent.values()].every((n) => n === 1)).toBe(true);

    // Stopped as Ctrl-C stops it, the engine goes too.
    const engine = await stack.engine();
    await stack.stop();
    expect(isRunning(engine.pid)).toBe(false);
    stack = undefined;
  }, 300_000);
});
