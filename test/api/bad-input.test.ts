import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aTicket, startTestStack, type TestStack } from '../support/test-stack';

let stack: TestStack;
let customer: string;
let agent: string;
let ticketId: string;

beforeAll(async () => {
  stack = await startTestStack({ clockStart: '2026-06-10T09:00:00+02:00' });
  customer = await stack.token('customer', 'ACME');
  agent = await stack.token('agent');
  ticketId = (await stack.call('POST', '/tickets', { token: customer, body: aTicket() })).body.id;
});
afterAll(() => stack.stop());

/** Everything the API stores that a bad request could touch. */
async function snapshot() {
  const list = await stack.call('GET', '/tickets?limit=100', { token: agent });
  const events = await stack.call('GET', `/tickets/${ticketId}/events?limit=100`, { token: agent });
  const comments = await stack.call('GET', `/tickets/${ticketId}/comments?limit=100`, { token: agent });
  return JSON.stringify([list.body, events.body, comments.body]);
}

const big = 'x'.repeat(256 * 1024 + 1);

describe('bad input gets a clear 4xx problem and changes nothing', () => {
  it.each<[string, string, string, { raw?: string; body?: unknown; headers?: Record<string, string> }, number, string]>([
    ['malformed JSON', 'POST', '/tickets', { raw: '{"title": ' }, 400, 'malformed-json'],
    ['a body over 256 KB', 'POST', '/tickets', { raw: JSON.stringify(aTicket({ description: big })) }, 413, 'body-too-large'],
    ['not JSON at all', 'POST', '/tickets', { raw: 'title=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } }, 415, 'unsupported-media-type'],
    ['a JSON array', 'POST', '/tickets', { body: [aTicket()] }, 400, 'validation-error'],
    ['an unknown field', 'POST', '/tickets', { body: aTicket({ severity: 'bad' }) }, 400, 'validation-error'],
    ['a server-owned id', 'POST', '/tickets', { body: aTicket({ id: 'ACME-1' }) }, 400, 'validation-error'],
    ['a server-owned customerId', 'POST', '/tickets', { body: aTicket({ customerId: 'GLOBEX' }) }, 400, 'validation-error'],
    ['a server-owned status', 'POST', '/tickets', { body: aTicket({ status: 'closed' }) }, 400, 'validation-error'],
    ['a server-owned deadline', 'POST', '/tickets', { body: aTicket({ firstResponseDueAt: '2030-01-01T00:00:00Z' }) }, 400, 'validation-error'],
    ['a server-owned timestamp', 'POST', '/tickets', { body: aTicket({ openedAt: '2020-01-01T00:00:00Z' }) }, 400, 'validation-error'],
    ['a wrong-typed title', 'POST', '/tickets', { body: aTicket({ title: 42 }) }, 400, 'validation-error'],
    ['an empty title', 'POST', '/tickets', { body: aTicket({ title: '   ' }) }, 400, 'validation-error'],
    ['an unknown priority', 'POST', '/tickets', { body: aTicket({ priority: 'urgent' }) }, 400, 'validation-error'],
    ['an unknown category', 'POST', '/tickets', { body: aTicket({ category: 'billing' }) }, 400, 'validation-error'],
    ['both priority and impact', 'POST', '/tickets', { body: aTicket({ impact: 'inquiry' }) }, 400, 'validation-error'],
    ['neither priority nor impact', 'POST', '/tickets', { body: aTicket({ priority: undefined }) }, 400, 'validation-error'],
    ['a bad Idempotency-Key', 'POST', '/tickets', { body: aTicket(), headers: { 'idempotency-key': 'spaces are not allowed' } }, 400, 'invalid-idempotency-key'],
    ['a comment with no visibility', 'POST', '/tickets/{id}/comments', { body: { body: 'hi' } }, 400, 'validation-error'],
    ['a comment with an author', 'POST', '/tickets/{id}/comments', { body: { body: 'hi', visibility: 'public', author: 'ceo' } }, 400, 'validation-error'],
    ['a null body', 'POST', '/tickets/{id}/comments', { raw: 'null' }, 400, 'validation-error'],
  ])('%s', async (_, method, path, request, status, type) => {
    const before = await snapshot();
    const reply = await stack.call(method, path.replace('{id}', ticketId), { token: customer, ...request });
    expect(reply.status).toBe(status);
    expect(reply.headers.get('content-type')).toBe('application/problem+json');
    expect(reply.body).toMatchObject({ type: `/problems/${type}`, status, title: expect.any(String), detail: expect.any(String) });
    expect(reply.text).not.toMatch(/at .*\.ts:\d+|Error:/);
    expect(await snapshot()).toBe(before);
  });

  it.each<[string, string, Record<string, unknown> | string, Record<string, string>?]>([
    ['an empty change', 'PATCH', {}],
    ['a server-owned version', 'PATCH', { version: 9 }],
    ['a server-owned customerId', 'PATCH', { customerId: 'GLOBEX' }],
    ['a deadline', 'PATCH', { firstResponseDueAt: '2030-01-01T00:00:00Z' }],
    ['an unknown status', 'PATCH', { status: 'archived' }],
    ['a malformed If-Match', 'PATCH', { title: 'x' }, { 'if-match': 'yesterday' }],
  ])('agent PATCH with %s', async (_, method, body, headers = {}) => {
    const before = await snapshot();
    const reply = await stack.call(method, `/tickets/${ticketId}`, { token: agent, body, headers });
    expect(reply.status).toBe(400);
    expect(reply.headers.get('content-type')).toBe('application/problem+json');
    expect(await snapshot()).toBe(before);
  });

  it.each([
    '/tickets?limit=0',
    '/tickets?limit=1000',
    '/tickets?limit=abc',
    '/tickets?status=archived',
    '/tickets?priority=urgent',
    '/tickets?sort=asc',
    '/tickets?cursor=not-base64-json',
    `/tickets?cursor=${Buffer.from('[1,2]').toString('base64url')}`,
  ])('GET %s → 400', async (path) => {
    const reply = await stack.call('GET', path, { token: customer });
    expect(reply.status).toBe(400);
    expect(reply.headers.get('content-type')).toBe('application/problem+json');
  });

  it('an unknown path is a 404 problem', async () => {
    const reply = await stack.call('GET', '/nowhere', { token: customer });
    expect(reply.status).toBe(404);
    expect(reply.headers.get('content-type')).toBe('application/problem+json');
  });

  it.each([
    ['DELETE', '/tickets', 'POST, GET'],
    ['PUT', '/tickets/ACME-1', 'GET, PATCH'],
    ['POST', '/health', 'GET'],
    ['PATCH', '/customers/ACME', 'PUT, GET'],
  ])('%s %s: the path exists with other methods → 405 with Allow: %s', async (method, path, allow) => {
    const reply = await stack.call(method, path, { token: customer, ...(method === 'GET' || method === 'DELETE' ? {} : { body: {} }) });
    expect(reply.status).toBe(405);
    expect(reply.headers.get('allow')).toBe(allow);
    expect(reply.body).toMatchObject({ type: '/problems/method-not-allowed', status: 405 });
  });

  it('says what was wrong, field by field, in words', async () => {
    const { status, body } = await stack.call('POST', '/tickets', { token: customer, body: { title: 'x', description: 'y', category: 'other', priority: 'P9', severity: 'x' } });
    expect(status).toBe(400);
    expect(body.errors).toEqual(
      expect.arrayContaining([
        { path: 'body.priority', message: expect.stringMatching(/expected one of .*"highest"/) },
        { path: 'body', message: 'Unrecognized key: "severity"' },
      ]),
    );
  });
});
