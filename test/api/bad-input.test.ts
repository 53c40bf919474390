import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiDocument } from '#handlers/http/openapi-document';
import { ROUTES, type RouteSpec } from '#handlers/http/routes';
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
});

/** What a person must never read in a problem: zod's or JSON Schema's words, a pattern, an API route. */
const JARGON: readonly [string, RegExp][] = [
  ['schema', /schema/i],
  ['expected', /expected/i],
  ['Invalid input', /invalid input/i],
  ["zod's size words", /too (small|big)|unrecognized key/i],
  ['ISO', /\bISO\b/],
  ['a regex', /\^\[|\$\/|\\[dswDSW]|\[[A-Za-z0-9]-[A-Za-z0-9]\]|\{\d+,\d*\}|\(\?:/],
  ['a method and a route', /\b(GET|POST|PUT|PATCH|DELETE) \//],
];

describe('validation problems speak in words about the field', () => {
  const DATE_TIME = 'Give the go-live as a date and time, for example 2026-12-10T18:00:00+01:00';
  it('an empty new ticket: one message per field, and a detail that sums them up', async () => {
    const { status, body } = await stack.call('POST', '/tickets', { token: customer, body: {} });
    expect(status).toBe(400);
    expect(body).toMatchObject({ type: '/problems/validation-error', title: 'Bad Request', status: 400 });
    expect(body.detail).toBe("Check the fields marked: Give the ticket a title. Write the ticket's description. Choose a category. Pick who is affected.");
    expect(body.errors).toEqual([
      { path: 'body.title', message: 'Give the ticket a title' },
      { path: 'body.description', message: "Write the ticket's description" },
      { path: 'body.category', message: 'Choose a category' },
      { path: 'body.impact', message: 'Pick who is affected' },
    ]);
  });

  it.each<[string, string, string, Record<string, unknown>, string, string]>([
    ['a blank title', 'POST', '/tickets', { ...aTicket(), title: '   ' }, 'body.title', 'Give the ticket a title'],
    ['an empty description', 'POST', '/tickets', { ...aTicket(), description: '' }, 'body.description', "Write the ticket's description"],
    ['a title too long', 'POST', '/tickets', { ...aTicket(), title: 'x'.repeat(201) }, 'body.title', 'Keep the title to 200 characters or fewer'],
    ['a title that is no text', 'POST', '/tickets', { ...aTicket(), title: 42 }, 'body.title', 'The title must be text'],
    ['an unknown priority', 'POST', '/tickets', { ...aTicket(), priority: 'urgent' }, 'body.priority', 'Choose one of: Highest, High, Medium, Low, Lowest'],
    [
      'an unknown category',
      'POST',
      '/tickets',
      { ...aTicket(), category: 'billing' },
      'body.category',
      'Choose one of: Configuration, Synchronization, Data validation, Business rules, Salesforce extension, Other',
    ],
    ['neither priority nor impact', 'POST', '/tickets', { ...aTicket(), priority: undefined }, 'body.impact', 'Pick who is affected'],
    ['both priority and impact', 'POST', '/tickets', { ...aTicket(), impact: 'inquiry' }, 'body', 'Give either the priority or who is affected, not both'],
    ['a server-owned id', 'POST', '/tickets', { ...aTicket(), id: 'ACME-1' }, 'body.id', 'id is set by sla-desk and cannot be sent'],
    ['a server-owned status', 'POST', '/tickets', { ...aTicket(), status: 'closed' }, 'body.status', 'The status is set by sla-desk and cannot be sent'],
    ['a server-owned customerId', 'POST', '/tickets', { ...aTicket(), customerId: 'GLOBEX' }, 'body.customerId', 'The customer is set by sla-desk and cannot be sent'],
    ['a deadline', 'POST', '/tickets', { ...aTicket(), firstResponseDueAt: '2030-01-01T00:00:00Z' }, 'body.firstResponseDueAt', 'The first-response deadline is set by sla-desk and cannot be sent'],
    ['a field nobody knows', 'POST', '/tickets', { ...aTicket(), severity: 'bad' }, 'body.severity', '"severity" is not something you can send here: leave it out'],
    ['a JSON array', 'POST', '/tickets', [aTicket()] as unknown as Record<string, unknown>, 'body', 'Send the fields as a JSON object'],
    ['a comment with no visibility', 'POST', '/tickets/{id}/comments', { body: 'hi' }, 'body.visibility', 'Choose who sees the reply'],
    ['an empty comment', 'POST', '/tickets/{id}/comments', { body: ' ', visibility: 'public' }, 'body.body', 'Write the reply'],
    ['an unknown status', 'PATCH', '/tickets/{id}', { status: 'archived' }, 'body.status', 'Choose one of: Open, In progress, Waiting on customer, Resolved, Closed'],
    ['an empty change', 'PATCH', '/tickets/{id}', {}, 'body', 'Change at least one of the title, category, priority, status or assignee'],
    ['a go-live without a time', 'PUT', '/customers/ACME', { name: 'Acme', goLiveAt: '2026-12-10 18:00' }, 'body.goLiveAt', DATE_TIME],
    ['hypercare weeks without a go-live', 'PUT', '/customers/ACME', { name: 'Acme', hypercareWeeks: 4 }, 'body.goLiveAt', 'Hypercare weeks count from the go-live: give the go-live too'],
    [
      'a contact without an address',
      'PUT',
      '/customers/ACME',
      { name: 'Acme', contacts: [{ email: 'ops@acme.example alerts notices', receives: ['alerts'] }] },
      'body.contacts.0.email',
      "Give each contact's email as an email address, for example ops@acme.example",
    ],
    [
      'a contact who receives nothing',
      'PUT',
      '/customers/ACME',
      { name: 'Acme', contacts: [{ email: 'ops@acme.example', receives: [] }] },
      'body.contacts.0.receives',
      'Choose at least one thing each contact receives',
    ],
    [
      'a currency in lower case',
      'PUT',
      '/customers/ACME',
      { name: 'Acme', consultancyRate: { hourly: '1250', currency: 'dkk' } },
      'body.consultancyRate.currency',
      'Give the currency as three capital letters, for example DKK',
    ],
    [
      'a lower-case customer',
      'POST',
      '/consultancy',
      { customerId: 'acme', service: 'crm-flows', description: 'Flows', estimateHours: 4 },
      'body.customerId',
      'Customer ids are upper case: 2 to 16 capital letters and digits, starting with a letter, such as ACME',
    ],
    [
      'an estimate of no hours',
      'POST',
      '/consultancy',
      { customerId: 'ACME', service: 'crm-flows', description: 'Flows', estimateHours: 0 },
      'body.estimateHours',
      'The estimate in hours must be more than 0',
    ],
    [
      'a service window that starts tomorrow',
      'POST',
      '/service-windows',
      { start: 'tomorrow', end: '2026-06-11T10:00:00+02:00', reason: 'Upgrade' },
      'body.start',
      'Give the start as a date and time, for example 2026-12-10T18:00:00+01:00',
    ],
  ])('%s', async (_, method, path, sent, field, message) => {
    const token = path.startsWith('/customers') ? await stack.token('admin') : method === 'POST' && path === '/tickets' ? customer : agent;
    const reply = await stack.call(method, path.replace('{id}', ticketId), { token, body: sent });
    expect([reply.status, reply.body.type]).toEqual([400, '/problems/validation-error']);
    expect(reply.body.errors).toContainEqual({ path: field, message });
    expect(reply.body.detail).toContain(message);
  });

  it.each<[string, string, string]>([
    ['/tickets?limit=1000', 'query.limit', 'The page size can be at most 100'],
    ['/tickets?limit=abc', 'query.limit', 'The page size must be a number'],
    ['/tickets?priority=urgent', 'query.priority', 'Choose one of: Highest, High, Medium, Low, Lowest'],
    ['/tickets?status=archived', 'query.status', 'Choose one or more of: Open, In progress, Waiting on customer, Resolved, Closed, separated by commas'],
    ['/tickets?customerId=acme', 'query.customerId', 'Customer ids are upper case: 2 to 16 capital letters and digits, starting with a letter, such as ACME'],
    ['/tickets?sort=due', 'query', 'Sorting by due time lists the running tickets only: ask for sla=running with it'],
    ['/availability?month=2026-13', 'query.month', 'Give the month as year and month, for example 2026-11'],
    ['/reports', 'query.year', 'Give the year, for example 2026'],
  ])('GET %s', async (path, field, message) => {
    const token = path.startsWith('/reports') ? await stack.token('finance') : agent;
    const reply = await stack.call('GET', path, { token });
    expect([reply.status, reply.body.type]).toEqual([400, '/problems/validation-error']);
    expect(reply.body.errors).toContainEqual({ path: field, message });
    expect(reply.body.detail).toBe(`${message}.`);
  });
});

/** Values a form or a program sends by mistake, for any field. */
const WRONG_VALUES: readonly unknown[] = [42, '', '   ', 'x'.repeat(25_000), null, true, [], {}, 'not-a-value', -1, 1.5, ['x'], { kty: 'EC' }];
const WRONG_QUERY_VALUES: readonly string[] = ['', 'x', '-1', '0', '1.5', '999999', 'a,b', 'acme', '2026-13', 'x'.repeat(3000)];

describe('no problem a person could read speaks in code', () => {
  const document = openApiDocument();
  const pathOf = (route: RouteSpec) =>
    route.path
      .replace(/^\/tickets\/\{id\}/, `/tickets/${ticketId}`)
      .replace('{id}', route.path.startsWith('/consultancy') ? 'CR-0000000A' : route.path.startsWith('/integrations') ? 'acme-crm' : 'ACME')
      .replace('{n}', '1')
      .replace('{month}', '2026-05')
      .replace('{file}', 'report.json');
  const operation = (route: RouteSpec) =>
    document.paths[route.path]![route.method.toLowerCase()] as {
      requestBody?: { content: { 'application/json': { schema: { properties?: Record<string, unknown> } } } };
      parameters?: { name: string; in: string }[];
    };
  const tokenFor = (route: RouteSpec) => (route.roles[0] === 'customer' ? stack.token('customer', 'ACME') : stack.token(route.roles[0]!));

  /** Every message and detail of a refusal, checked for jargon. */
  function plain(what: string, reply: { status: number; body: any }) {
    expect(reply.status, what).toBeLessThan(500);
    const texts: string[] = [reply.body.detail, ...(reply.body.errors ?? []).map((e: { message: string }) => e.message)];
    for (const text of texts) {
      expect(text, what).toMatch(/\w/);
      for (const [name, pattern] of JARGON) expect(text, `${what}: ${name} in "${text}"`).not.toMatch(pattern);
    }
    return texts.length;
  }

  const bodyRoutes = ROUTES.filter((r) => r.body && r.authenticated);
  it(`every body route (${bodyRoutes.length}), sent wrong values for each field, missing fields and unknown ones`, async () => {
    let read = 0;
    for (const route of bodyRoutes) {
      const token = await tokenFor(route);
      const fields = Object.keys(operation(route).requestBody?.content['application/json'].schema.properties ?? {});
      const bodies: unknown[] = [{}, null, [], 'text', { id: 'X', version: 1, severity: 'x' }, ...WRONG_VALUES.map((value) => Object.fromEntries(fields.map((f) => [f, value])))];
      for (const sent of bodies) {
        // An empty body is a whole request where every field is optional (an approval): only refusals are read.
        const reply = await stack.call(route.method, pathOf(route), { token, body: sent });
        if (reply.status >= 400) read += plain(`${route.method} ${route.path} ${JSON.stringify(sent).slice(0, 80)}`, reply);
      }
    }
    expect(read).toBeGreaterThan(bodyRoutes.length * 15);
  });

  const queryRoutes = ROUTES.filter((r) => r.query && r.authenticated);
  it(`every query route (${queryRoutes.length}), sent wrong values for each parameter and unknown ones`, async () => {
    let read = 0;
    for (const route of queryRoutes) {
      const token = await tokenFor(route);
      const names = (operation(route).parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
      const queries = [...names.flatMap((name) => WRONG_QUERY_VALUES.map((value) => `${name}=${encodeURIComponent(value)}`)), 'severity=x', 'id=1&version=2'];
      for (const query of queries) {
        const reply = await stack.call(route.method, `${pathOf(route)}?${query}`, { token });
        if (reply.status >= 400) read += plain(`${route.method} ${route.path}?${query.slice(0, 60)}`, reply);
      }
    }
    expect(read).toBeGreaterThan(queryRoutes.length * 5);
  });
});
