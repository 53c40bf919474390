import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aTicket, startTestStack, type TestStack } from '../support/test-stack';

/*
 * The breach demo of the README's five-minute tour, step by step, on a running
 * clock as `SLA_DESK_CLOCK=2026-06-04T15:30:00+02:00 npm start` gives it.
 */

/** The demo's steps as README.md shows them: the ones this test runs. */
const README_STEPS = [
  'DATA_DIR=.demo SLA_DESK_CLOCK=2026-06-04T15:30:00+02:00 npm start',
  '"priority":"highest"',
  'jump 2026-06-08T08:29:00+02:00',
  'jump 2026-06-08T08:31:00+02:00',
  'cat .demo/outbox.jsonl',
] as const;

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({ clockStart: '2026-06-04T15:30:00+02:00', clockRunning: true });
});
afterAll(() => stack.stop());

describe('the README breach demo is true as written', () => {
  it('README.md shows the steps run here', async () => {
    const readme = await readFile(join(__dirname, '../../README.md'), 'utf8');
    for (const step of README_STEPS) expect(readme, step).toContain(step);
  });

  it('a Highest ticket opened Thursday 15:30 is running at Monday 08:29 and breached at 08:31, with its two alert lines', async () => {
    const customer = await stack.token('customer', 'ACME');
    const admin = await stack.token('admin');
    const ticket = (await stack.call('POST', '/tickets', { token: customer, body: aTicket({ priority: 'highest' }) })).body;
    // The clock ran on for the seconds it took: due at 08:30 and those seconds.
    expect(ticket.firstResponseDueAt).toMatch(/^2026-06-08T08:30:\d\d\.\d{3}\+02:00$/);
    const state = async () => (await stack.call('GET', `/tickets/${ticket.id}`, { token: customer })).body.sla.state;

    expect((await stack.call('POST', '/_dev/clock', { token: admin, body: { now: '2026-06-08T08:29:00+02:00' } })).status).toBe(200);
    expect(await state()).toBe('running');
    expect((await stack.call('POST', '/_dev/clock', { token: admin, body: { now: '2026-06-08T08:31:00+02:00' } })).status).toBe(200);
    expect(await state()).toBe('breached');
    await stack.runTimers();
    const lines = (await readFile(join(stack.dataDir, 'outbox.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { kind: string; channel: string; ticketId: string });
    expect(
      lines
        .filter((l) => l.ticketId === ticket.id)
        .map((l) => `${l.kind}/${l.channel}`)
        .sort(),
    ).toEqual(['breach/email', 'breach/sns', 'warning/email', 'warning/sns']);
  });
});
