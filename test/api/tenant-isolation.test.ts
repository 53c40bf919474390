import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '#domain/actor';
import { aTicket, startTestStack, type TestStack } from '../support/test-stack';

let stack: TestStack;
let tokens: Record<string, string>;
let acmeTicket: string;
let globexTicket: string;

beforeAll(async () => {
  stack = await startTestStack({ clockStart: '2026-06-10T09:00:00+02:00' });
  const roles: [string, Exclude<Role, 'system'>, string?][] = [
    ['acme', 'customer', 'ACME'],
    ['globex', 'customer', 'GLOBEX'],
    ['agent', 'agent'],
    ['admin', 'admin'],
    ['finance', 'finance'],
  ];
  tokens = Object.fromEntries(await Promise.all(roles.map(async ([name, role, customer]) => [name, await stack.token(role, customer)])));
  acmeTicket = (await stack.call('POST', '/tickets', { token: tokens.acme, body: aTicket() })).body.id;
  globexTicket = (await stack.call('POST', '/tickets', { token: tokens.globex, body: aTicket() })).body.id;
});
afterAll(() => stack.stop());

type Case = [method: string, path: (id: string) => string, body?: unknown];
const routes: Case[] = [
  ['GET', (id) => `/tickets/${id}`],
  ['PATCH', (id) => `/tickets/${id}`, { title: 'Renamed' }],
  ['POST', (id) => `/tickets/${id}/comments`, { body: 'Hi', visibility: 'public' }],
  ['GET', (id) => `/tickets/${id}/comments`],
  ['GET', (id) => `/tickets/${id}/events`],
];

/** caller → expected status for a route on ACME's ticket. */
const matrix: Record<string, Record<string, number>> = {
  acme: { 'GET /tickets/{id}': 200, 'PATCH /tickets/{id}': 403, 'POST comments': 201, 'GET comments': 200, 'GET events': 200 },
  globex: { 'GET /tickets/{id}': 404, 'PATCH /tickets/{id}': 403, 'POST comments': 404, 'GET comments': 404, 'GET events': 404 },
  agent: { 'GET /tickets/{id}': 200, 'PATCH /tickets/{id}': 200, 'POST comments': 201, 'GET comments': 200, 'GET events': 200 },
  admin: { 'GET /tickets/{id}': 200, 'PATCH /tickets/{id}': 200, 'POST comments': 201, 'GET comments': 200, 'GET events': 200 },
  finance: { 'GET /tickets/{id}': 200, 'PATCH /tickets/{id}': 403, 'POST comments': 403, 'GET comments': 200, 'GET events': 200 },
};
const label = ([method, path]: Case) => (path('x').includes('comments') ? `${method} comments` : path('x').includes('events') ? `${method} events` : `${method} /tickets/{id}`);

describe('tenant isolation: every route, every role, foreign and unknown ids', () => {
  for (const caller of Object.keys(matrix)) {
    for (const route of routes) {
      it(`${caller}: ${label(route)} on ACME's ticket → ${matrix[caller]![label(route)]}`, async () => {
        const [method, path, body] = route;
        const { status, headers } = await stack.call(method, path(acmeTicket), { token: tokens[caller]!, ...(body ? { body } : {}) });
        expect(status).toBe(matrix[caller]![label(route)]);
        if (status >= 400) expect(headers.get('content-type')).toBe('application/problem+json');
      });
      // Where the role may use the route at all, a ticket the caller may not see is exactly what an unknown one is: 404.
      const hidden = matrix[caller]![label(route)] === 403 ? 403 : 404;
      it(`${caller}: ${label(route)} on unknown, malformed${caller === 'acme' ? " and GLOBEX's real" : ''} ids → ${hidden}`, async () => {
        const [method, path, body] = route;
        const ids = ['ACME-99999', 'GLOBEX-99999', 'not-a-ticket', '%2e%2e', ...(caller === 'acme' ? [globexTicket] : [])];
        for (const id of ids) {
          const { status, headers } = await stack.call(method, path(id), { token: tokens[caller]!, ...(body ? { body } : {}) });
          // `%2e%2e` is `..`: the path itself is gone before any route, as at the gateway; `GET /` is the console's page.
          const resolved = new URL(path(id), 'http://x').pathname;
          const isConsole = method === 'GET' && resolved === '/';
          expect([id, status], `${id}`).toEqual([id, isConsole ? 200 : id === '%2e%2e' ? 404 : hidden]);
          if (isConsole) expect(headers.get('content-type')).toMatch(/^text\/html/);
        }
      });
    }
  }

  it("lists only the caller's own tickets, and refuses a customer filter from customers", async () => {
    await stack.call('POST', '/tickets', { token: tokens.globex, body: aTicket() });
    const acme = await stack.call('GET', '/tickets', { token: tokens.acme });
    expect(acme.body.items.length).toBeGreaterThan(0);
    expect(acme.body.items.every((t: { customerId: string }) => t.customerId === 'ACME')).toBe(true);
    expect((await stack.call('GET', '/tickets?customerId=GLOBEX', { token: tokens.acme })).status).toBe(403);
    for (const provider of ['agent', 'admin', 'finance']) {
      const all = await stack.call('GET', '/tickets', { token: tokens[provider]! });
      expect(all.status, provider).toBe(200);
      expect(new Set(all.body.items.map((t: { customerId: string }) => t.customerId))).toEqual(new Set(['ACME', 'GLOBEX']));
    }
    const globexOnly = await stack.call('GET', '/tickets?customerId=GLOBEX', { token: tokens.finance });
    expect(globexOnly.body.items.every((t: { customerId: string }) => t.customerId === 'GLOBEX')).toBe(true);
  });

  it.each<[string, (id: string) => string, Record<string, string>]>([
    ['a partition-only ticket cursor', () => '/tickets', { GSI1PK: 'CUSTOMER#ACME' }],
    ['an agent cursor without its sort key', () => '/tickets', { GSI2PK: 'TICKETS' }],
    ['an events cursor outside the events', (id) => `/tickets/${id}/events`, { PK: 'TICKET#ACME-1', SK: 'ZZZ' }],
    ['a comments cursor with an event key', (id) => `/tickets/${id}/comments`, { PK: 'TICKET#ACME-1', SK: 'EVENT#2026' }],
  ])('refuses %s with 400, never 500', async (_, path, key) => {
    const cursor = Buffer.from(JSON.stringify(key)).toString('base64url');
    const caller = path('x').startsWith('/tickets/x') ? tokens.agent! : key.GSI2PK ? tokens.agent! : tokens.acme!;
    const { status, body } = await stack.call('GET', `${path(acmeTicket)}?cursor=${cursor}`, { token: caller });
    expect(status).toBe(400);
    expect(body.type).toBe('/problems/invalid-cursor');
  });

  it("refuses a cursor forged to reach another customer's partition", async () => {
    const forged = Buffer.from(JSON.stringify({ GSI1PK: 'CUSTOMER#ACME', GSI1SK: '9999', PK: 'TICKET#ACME-1', SK: 'TICKET' })).toString('base64url');
    const { status, body } = await stack.call('GET', `/tickets?cursor=${forged}`, { token: tokens.globex });
    expect(status).toBe(400);
    expect(body.type).toBe('/problems/invalid-cursor');
  });

  it('lets only customers open tickets', async () => {
    for (const caller of ['agent', 'admin', 'finance']) {
      expect((await stack.call('POST', '/tickets', { token: tokens[caller]!, body: aTicket() })).status).toBe(403);
    }
  });
});
