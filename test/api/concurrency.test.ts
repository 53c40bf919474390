import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aTicket, startTestStack, type TestStack } from '../support/test-stack';

let stack: TestStack;
let customer: string;
let agent: string;

beforeAll(async () => {
  stack = await startTestStack({ clockStart: '2026-06-10T09:00:00+02:00' });
  customer = await stack.token('customer', 'ACME');
  agent = await stack.token('agent');
});
afterAll(() => stack.stop());

describe('concurrency', () => {
  it('20 concurrent POSTs with one Idempotency-Key make one ticket and all answer the same', async () => {
    const replies = await Promise.all(
      Array.from({ length: 20 }, () => stack.call('POST', '/tickets', { token: customer, body: aTicket({ title: 'Once only' }), headers: { 'idempotency-key': 'retry-1' } })),
    );
    expect(replies.map((r) => r.status)).toEqual(Array(20).fill(201));
    expect(new Set(replies.map((r) => r.text)).size).toBe(1);
    const list = await stack.call('GET', '/tickets?limit=100', { token: customer });
    expect(list.body.items.filter((t: { title: string }) => t.title === 'Once only')).toHaveLength(1);
    expect(replies.filter((r) => r.headers.get('idempotent-replayed') === 'true')).toHaveLength(19);
  });

  it('the same key with a different body is refused and writes nothing', async () => {
    const first = await stack.call('POST', '/tickets', { token: customer, body: aTicket({ title: 'A' }), headers: { 'idempotency-key': 'retry-2' } });
    const again = await stack.call('POST', '/tickets', { token: customer, body: aTicket({ title: 'B' }), headers: { 'idempotency-key': 'retry-2' } });
    expect(first.status).toBe(201);
    expect(again.status).toBe(422);
    expect(again.body.type).toBe('/problems/idempotency-key-reused');
    const list = await stack.call('GET', '/tickets?limit=100', { token: customer });
    expect(list.body.items.some((t: { title: string }) => t.title === 'B')).toBe(false);
  });

  it('keys are per customer', async () => {
    const other = await stack.token('customer', 'GLOBEX');
    const a = await stack.call('POST', '/tickets', { token: customer, body: aTicket(), headers: { 'idempotency-key': 'shared' } });
    const b = await stack.call('POST', '/tickets', { token: other, body: aTicket(), headers: { 'idempotency-key': 'shared' } });
    expect(a.body.customerId).toBe('ACME');
    expect(b.body.customerId).toBe('GLOBEX');
  });

  it('ticket numbers stay unique under concurrent creation', async () => {
    const replies = await Promise.all(Array.from({ length: 30 }, () => stack.call('POST', '/tickets', { token: customer, body: aTicket() })));
    const ids = replies.map((r) => r.body.id);
    expect(replies.every((r) => r.status === 201)).toBe(true);
    expect(new Set(ids).size).toBe(30);
  });

  it('concurrent PATCHes of one version: exactly one wins, the rest get 409, nothing is overwritten', async () => {
    const { body: ticket } = await stack.call('POST', '/tickets', { token: customer, body: aTicket() });
    const titles = Array.from({ length: 10 }, (_, i) => `Title ${i}`);
    const replies = await Promise.all(titles.map((title) => stack.call('PATCH', `/tickets/${ticket.id}`, { token: agent, body: { title }, headers: { 'if-match': '"1"' } })));
    const winners = replies.filter((r) => r.status === 200);
    expect(winners).toHaveLength(1);
    expect(replies.filter((r) => r.status === 409)).toHaveLength(9);
    const now = await stack.call('GET', `/tickets/${ticket.id}`, { token: agent });
    expect(now.body.title).toBe(winners[0]!.body.title);
    expect(now.body.version).toBe(2);
    const events = await stack.call('GET', `/tickets/${ticket.id}/events`, { token: agent });
    expect(events.body.items.filter((e: { type: string }) => e.type === 'ticket.updated')).toHaveLength(1);
  });

  it('concurrent PATCHes without If-Match are still never silently lost', async () => {
    const { body: ticket } = await stack.call('POST', '/tickets', { token: customer, body: aTicket() });
    const replies = await Promise.all(Array.from({ length: 8 }, (_, i) => stack.call('PATCH', `/tickets/${ticket.id}`, { token: agent, body: { title: `T${i}` } })));
    const won = replies.filter((r) => r.status === 200).length;
    expect(won + replies.filter((r) => r.status === 409).length).toBe(8);
    const now = await stack.call('GET', `/tickets/${ticket.id}`, { token: agent });
    expect(now.body.version).toBe(1 + won);
  });

  it('a PATCH that changes nothing writes nothing; If-Match * matches any version', async () => {
    const { body: ticket } = await stack.call('POST', '/tickets', { token: customer, body: aTicket() });
    const same = await stack.call('PATCH', `/tickets/${ticket.id}`, { token: agent, body: { priority: ticket.priority, status: 'open' } });
    expect(same.status).toBe(200);
    expect(same.body.version).toBe(1);
    expect((await stack.call('GET', `/tickets/${ticket.id}/events`, { token: agent })).body.items).toHaveLength(1);
    expect((await stack.call('PATCH', `/tickets/${ticket.id}`, { token: agent, body: { title: 'any' }, headers: { 'if-match': '*' } })).status).toBe(200);
    expect((await stack.call('PATCH', `/tickets/${ticket.id}`, { token: agent, body: { title: 'x' }, headers: { 'if-match': '"2' } })).status).toBe(400);
  });

  it('a stale If-Match is 409', async () => {
    const { body: ticket } = await stack.call('POST', '/tickets', { token: customer, body: aTicket() });
    await stack.call('PATCH', `/tickets/${ticket.id}`, { token: agent, body: { title: 'new' } });
    const stale = await stack.call('PATCH', `/tickets/${ticket.id}`, { token: agent, body: { title: 'newer' }, headers: { 'if-match': '"1"' } });
    expect(stale.status).toBe(409);
    expect(stale.body.type).toBe('/problems/version-conflict');
  });

  it('retried comments with one Idempotency-Key add one comment, and replay it', async () => {
    const { body: ticket } = await stack.call('POST', '/tickets', { token: customer, body: aTicket() });
    const replies = await Promise.all(
      Array.from({ length: 10 }, () => stack.call('POST', `/tickets/${ticket.id}/comments`, { token: agent, body: { body: 'On it', visibility: 'public' }, headers: { 'idempotency-key': 'c-1' } })),
    );
    expect(replies.map((r) => r.status)).toEqual(Array(10).fill(201));
    expect(new Set(replies.map((r) => r.text)).size).toBe(1);
    expect(replies[0]!.body.firstResponse).toBe(true);
    const comments = await stack.call('GET', `/tickets/${ticket.id}/comments`, { token: agent });
    expect(comments.body.items).toHaveLength(1);
    const other = await stack.call('POST', `/tickets/${ticket.id}/comments`, { token: agent, body: { body: 'Else', visibility: 'public' }, headers: { 'idempotency-key': 'c-1' } });
    expect(other.status).toBe(422);
  });

  it('concurrent first responses record exactly one', async () => {
    const { body: ticket } = await stack.call('POST', '/tickets', { token: customer, body: aTicket() });
    const replies = await Promise.all(Array.from({ length: 6 }, (_, i) => stack.call('POST', `/tickets/${ticket.id}/comments`, { token: agent, body: { body: `answer ${i}`, visibility: 'public' } })));
    expect(replies.every((r) => r.status === 201)).toBe(true);
    expect(replies.filter((r) => r.body.firstResponse)).toHaveLength(1);
    const events = await stack.call('GET', `/tickets/${ticket.id}/events?limit=100`, { token: agent });
    expect(events.body.items.filter((e: { type: string }) => e.type === 'ticket.first-response')).toHaveLength(1);
    expect(events.body.items.filter((e: { type: string }) => e.type === 'comment.added')).toHaveLength(6);
  });
});
