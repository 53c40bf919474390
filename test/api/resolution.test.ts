import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aTicket, type Cast, castOf, startTestStack, type TestStack } from '../support/test-stack';

/* Resolution through the local stack: measured in business time, waits on the customer left out, the last resolution counting (docs/tickets.md). */

let stack: TestStack;
let tokens: Cast;
beforeAll(async () => {
  stack = await startTestStack({ clockStart: '2026-12-23T09:00:00+01:00' });
  tokens = await castOf(stack);
});
afterAll(() => stack.stop());

const set = (instant: string) => stack.at.set(instant);
const move = async (id: string, status: string) => {
  const reply = await stack.call('PATCH', `/tickets/${id}`, { token: tokens.agent, body: { status } });
  expect(reply.status, reply.text).toBe(200);
  return reply.body;
};
const read = async (id: string, token = tokens.agent) => (await stack.call('GET', `/tickets/${id}`, { token })).body;

describe('resolution', () => {
  it('leaves out the wait on the customer across Christmas, against minutes worked by hand, and a reopen clears it', async () => {
    // Highest, opened Wed 23 Dec 2026 09:00: its 1-day target (480) runs out at 16:00 that day (420) and Mon 28 Dec 09:00
    // (24–27 December are closed: Christmas Eve, Christmas Day, Boxing Day, Sunday).
    set('2026-12-23T09:00:00+01:00');
    const created = await stack.call('POST', '/tickets', { token: tokens.acme, body: aTicket({ priority: 'highest' }) });
    expect(created.status, created.text).toBe(201);
    const id = created.body.id as string;
    expect(created.body.resolution).toEqual({ resolvedAt: null, businessMinutes: null, targetMinutes: null, resolveBy: null, withinTarget: null });
    expect((await read(id)).resolution).toEqual({ resolvedAt: null, businessMinutes: null, targetMinutes: 480, resolveBy: '2026-12-28T09:00:00.000+01:00', withinTarget: null });

    // Waiting on the customer from Wed 15:00 to Mon 28 Dec 10:00: 60 + 120 business minutes left out.
    set('2026-12-23T15:00:00+01:00');
    await move(id, 'waiting_on_customer');
    set('2026-12-28T10:00:00+01:00');
    expect((await move(id, 'in_progress')).resolution.resolveBy).toBe('2026-12-28T12:00:00.000+01:00');
    // Resolved Mon 11:00: Wed 09:00–16:00 (420) and Mon 08:00–11:00 (180), less the 180 waited: 420, within 480.
    set('2026-12-28T11:00:00+01:00');
    const resolved = await move(id, 'resolved');
    expect(resolved.resolution).toEqual({ resolvedAt: '2026-12-28T11:00:00.000+01:00', businessMinutes: 420, targetMinutes: 480, resolveBy: '2026-12-28T12:00:00.000+01:00', withinTarget: true });
    // The customer reads when and how long, not the desk's target.
    expect((await read(id, tokens.acme)).resolution).toEqual({ resolvedAt: '2026-12-28T11:00:00.000+01:00', businessMinutes: 420, targetMinutes: null, resolveBy: null, withinTarget: null });

    // Reopened at 11:30: no resolution any more; resolved again at 13:00, the last resolution counts: 420 + 120 = 540, over.
    set('2026-12-28T11:30:00+01:00');
    expect((await move(id, 'in_progress')).resolution).toMatchObject({ resolvedAt: null, businessMinutes: null, withinTarget: null });
    set('2026-12-28T13:00:00+01:00');
    expect((await move(id, 'resolved')).resolution).toMatchObject({ resolvedAt: '2026-12-28T13:00:00.000+01:00', businessMinutes: 540, withinTarget: false });
    // Closing keeps the resolution it had.
    set('2026-12-29T09:00:00+01:00');
    expect((await move(id, 'closed')).resolution).toMatchObject({ resolvedAt: '2026-12-28T13:00:00.000+01:00', businessMinutes: 540 });
    const trail = (await stack.call('GET', `/tickets/${id}/events`, { token: tokens.agent })).body.items as { changes: { resolvedAt?: unknown } }[];
    expect(trail.flatMap((e) => (e.changes.resolvedAt ? [e.changes.resolvedAt] : []))).toEqual([
      { to: '2026-12-28T11:00:00.000+01:00' },
      { from: '2026-12-28T11:00:00.000+01:00', to: null },
      { to: '2026-12-28T13:00:00.000+01:00' },
    ]);
  });
});
