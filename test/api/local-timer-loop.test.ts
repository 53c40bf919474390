import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalTimerScheduler } from '#adapters/scheduler/local-timer-scheduler';
import { aTicket, type Cast, castOf, startTestStack, type TestStack } from '../support/test-stack';

/*
 * The local stack's background loop, as Scheduler runs the deployment: the
 * timers each round, at their exact instant; the relay once per minute of the
 * stack's clock (its rate(1 minute)), and at once after a clock jump.
 */

let stack: TestStack;
let cast: Cast;
const counts = { rounds: 0, relays: 0 };

beforeAll(async () => {
  // Monday 8 June 2026, 09:00:10, frozen; the loop comes round every 20 ms of real time.
  stack = await startTestStack({ clockStart: '2026-06-08T09:00:10+02:00', timerIntervalMs: 20 });
  cast = await castOf(stack);
  // Each round asks the scheduler what is due; each relay run reads the watched customers once.
  const scheduler = stack.dependencies.scheduler as LocalTimerScheduler;
  const due = scheduler.due.bind(scheduler);
  scheduler.due = (...args) => {
    counts.rounds += 1;
    return due(...args);
  };
  const customers = stack.dependencies.customers;
  const watched = customers.watchedCustomers.bind(customers);
  customers.watchedCustomers = () => {
    counts.relays += 1;
    return watched();
  };
});
afterAll(() => stack?.stop());

const at = (iso: string) => stack.at.set(iso);
/** Waits for `rounds` more rounds of the background loop, or until `done` holds. */
async function rounds(rounds: number, done: () => boolean = () => false): Promise<void> {
  const until = counts.rounds + rounds;
  for (let waited = 0; counts.rounds < until && !done() && waited < 10_000; waited += 10) await new Promise((r) => setTimeout(r, 10));
}
const events = async (id: string) => (await stack.call('GET', `/tickets/${id}/events`, { token: cast.agent })).body.items.map((e: { type: string }) => e.type);

describe("the local stack's background loop", () => {
  it('runs the relay once per minute of the stack clock, whatever the number of rounds, and fires a timer at its instant within the minute', async () => {
    // The relay had its first round at start; more rounds in the same minute leave it be.
    await rounds(10);
    expect(counts.relays).toBe(0);
    // A Highest ticket opened at 09:00:50 is warned at 09:45:50.
    at('2026-06-08T09:00:50+02:00');
    const ticket = (await stack.call('POST', '/tickets', { token: cast.acme, body: aTicket({ priority: 'highest' }) })).body;
    await rounds(10);
    expect(counts.relays).toBe(0);

    // The next minute: one run, then no other.
    at('2026-06-08T09:01:00+02:00');
    await rounds(50, () => counts.relays > 0);
    await rounds(10);
    expect(counts.relays).toBe(1);

    // The warning's minute: the relay runs at 09:45:00, the timer at its own instant, with no relay run of its own.
    at('2026-06-08T09:45:00+02:00');
    await rounds(50, () => counts.relays > 1);
    expect(await events(ticket.id)).not.toContain('sla.warning');
    at('2026-06-08T09:45:50+02:00');
    await rounds(10);
    expect(await events(ticket.id)).toContain('sla.warning');
    expect(counts.relays).toBe(2);
  });

  it('runs the relay at once after a clock jump, also within the same minute, and with runTimers', async () => {
    const before = counts.relays;
    expect((await stack.call('POST', '/_dev/clock', { token: cast.admin, body: { now: '2026-06-08T09:45:59.500+02:00' } })).status).toBe(200);
    expect(counts.relays).toBe(before + 1);
    await stack.runTimers();
    expect(counts.relays).toBe(before + 2);
    await rounds(10);
    expect(counts.relays).toBe(before + 2);
  });
});
