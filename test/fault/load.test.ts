import autocannon from 'autocannon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerSession, SESSION_CUSTOMER } from '../support/customer-session';
import { startTestStack, type TestStack } from '../support/test-stack';

/* The bench's load (`npm run bench -- --only load`: 50 clients for 60 s), short enough for CI. */

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({ clockStart: '2026-11-30T09:00:00+01:00' });
});
afterAll(() => stack.stop());

describe('under load', () => {
  it('10 clients for 5 s of create, read, comment, list and read comments: no error, and every ticket acknowledged is there, whole', async () => {
    const token = await stack.token('customer', SESSION_CUSTOMER);
    const opened = new Set<string>();
    const result = await autocannon({ url: stack.url, connections: 10, duration: 5, timeout: 30, requests: customerSession(token, (id) => opened.add(id)) });
    expect({ non2xx: result.non2xx, errors: result.errors, timeouts: result.timeouts }).toEqual({ non2xx: 0, errors: 0, timeouts: 0 });
    expect(result.requests.total).toBeGreaterThan(50);
    expect(opened.size).toBeGreaterThan(10);

    // The customer's tickets, each with its deadline and its one opening event.
    const agent = await stack.token('agent');
    const listed: { id: string; firstResponseDueAt?: string }[] = [];
    let cursor: string | null = null;
    do {
      const page: { status: number; body: { items: { id: string; firstResponseDueAt?: string }[]; nextCursor: string | null } } = await stack.call(
        'GET',
        `/tickets?customerId=${SESSION_CUSTOMER}&limit=100${cursor ? `&cursor=${cursor}` : ''}`,
        { token: agent },
      );
      expect(page.status).toBe(200);
      listed.push(...page.body.items);
      cursor = page.body.nextCursor;
    } while (cursor);
    // Every acknowledged ticket is there; beyond them only those in flight when the clients stopped (at most one each).
    const ids = new Set(listed.map((t) => t.id));
    expect([...opened].filter((id) => !ids.has(id))).toEqual([]);
    expect(ids.size - opened.size).toBeLessThanOrEqual(10);
    for (const ticket of listed) expect(ticket.firstResponseDueAt, ticket.id).toBeTruthy();
    const sample = [...opened].slice(0, 5);
    for (const id of sample) {
      const events = await stack.call('GET', `/tickets/${id}/events`, { token: agent });
      expect(
        events.body.items.filter((e: { type: string }) => e.type === 'ticket.opened'),
        id,
      ).toHaveLength(1);
    }
  }, 60_000);
});
