import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Cast, castOf, startTestStack, type TestStack } from '../support/test-stack';

let stack: TestStack;
let tokens: Cast;
type Who = keyof Cast;

const MONDAY = '2026-11-02T09:00:00+01:00';

beforeAll(async () => {
  stack = await startTestStack({ clockStart: MONDAY });
  tokens = await castOf(stack);
  const contacts = (domain: string) => [
    { email: `it@${domain}`, receives: ['alerts'] },
    { email: `pm@${domain}`, receives: ['approvals'] },
  ];
  for (const [id, name, rate] of [
    ['ACME', 'Acme A/S', { hourly: '1250.00', currency: 'DKK' }],
    ['GLOBEX', 'Globex GmbH', { hourly: '99.99', currency: 'EUR' }],
  ] as const) {
    const saved = await stack.call('PUT', `/customers/${id}`, { token: tokens.admin, body: { name, contacts: contacts(`${id.toLowerCase()}.example`), consultancyRate: rate } });
    expect(saved.status).toBe(200);
  }
});
afterAll(() => stack.stop());

const at = (instant: string) => stack.at.set(instant);

async function propose(body: Record<string, unknown> = {}, who: Who = 'agent') {
  const reply = await stack.call('POST', '/consultancy', {
    token: tokens[who],
    body: { ...(who === 'acme' || who === 'globex' ? {} : { customerId: 'ACME' }), service: 'crm-flows', description: 'Route new leads to the right team', estimateHours: 4, ...body },
  });
  expect(reply.status, JSON.stringify(reply.body)).toBe(201);
  return reply.body.id as string;
}

const act = (who: Who, path: string, body?: unknown) => stack.call('POST', path, { token: tokens[who], ...(body !== undefined ? { body } : {}) });
const read = async (id: string) => (await stack.call('GET', `/consultancy/${id}`, { token: tokens.admin })).body;

async function approved(body: Record<string, unknown> = {}, customer: 'acme' | 'globex' = 'acme') {
  const id = await propose(customer === 'globex' ? { customerId: 'GLOBEX', ...body } : body);
  const reply = await act(customer, `/consultancy/${id}/approve`);
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  return id;
}

/** Today in Copenhagen, by the stack's clock. */
const today = () => DateTime.fromMillis(stack.clock.now(), { zone: 'Europe/Copenhagen' }).toISODate()!;

const logTime = (id: string, hours: number, date = today(), who: Who = 'agent', headers: Record<string, string> = {}) =>
  stack.call('POST', `/consultancy/${id}/time`, { token: tokens[who], body: { hours, date, note: `work of ${date}` }, headers });

async function outboxLines(): Promise<any[]> {
  await stack.runTimers();
  const text = await readFile(join(stack.dataDir, 'outbox.jsonl'), 'utf8').catch(() => '');
  return text
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
}

describe('consultancy: prior approval, time against it, and what finance bills', () => {
  it("done when: ACME's proposal takes no time until ACME approves it; the agent cannot approve, GLOBEX cannot see it; 3 logged hours reach finance at the right amount", async () => {
    at('2026-11-03T10:00:00+01:00');
    const id = await propose({ description: 'Lead routing for the Nordic sales team', estimateHours: 6 });
    const proposed = await read(id);
    expect(proposed).toMatchObject({ id, customerId: 'ACME', service: 'crm-flows', status: 'proposed', estimateHours: 6, approval: null, approvedHours: 0, billable: null });

    const early = await logTime(id, 1, '2026-11-03');
    expect(early.status).toBe(409);
    expect(early.headers.get('content-type')).toBe('application/problem+json');
    expect(early.body.detail).toMatch(/has not approved this consultancy yet/);

    expect((await act('agent', `/consultancy/${id}/approve`)).status).toBe(403);
    expect((await act('admin', `/consultancy/${id}/approve`)).status).toBe(403);
    expect((await stack.call('GET', `/consultancy/${id}`, { token: tokens.globex })).status).toBe(404);
    expect((await act('globex', `/consultancy/${id}/approve`)).status).toBe(404);
    expect((await read(id)).status).toBe('proposed');

    const approval = await act('acme', `/consultancy/${id}/approve`);
    expect(approval.status).toBe(200);
    expect(approval.body).toMatchObject({ status: 'approved', approvedHours: 6, approval: { by: 'local-customer-acme', hours: 6, rate: { hourly: '1250.00', currency: 'DKK' } } });

    expect((await logTime(id, 2, '2026-11-03')).status).toBe(201);
    expect((await logTime(id, 1, '2026-11-03')).status).toBe(201);
    const month = await stack.call('GET', '/consultancy?month=2026-11', { token: tokens.finance });
    expect(month.status).toBe(200);
    expect(month.body.totals).toEqual([{ customerId: 'ACME', service: 'crm-flows', billableHours: 3, rate: '1250.00', currency: 'DKK', amount: '3750.00' }]);
    const mine = month.body.entries.filter((e: any) => e.requestId === id);
    expect(mine.map((e: any) => [e.hours, e.date, e.rate])).toEqual([
      [2, '2026-11-03', { hourly: '1250.00', currency: 'DKK' }],
      [1, '2026-11-03', { hourly: '1250.00', currency: 'DKK' }],
    ]);
    expect((await read(id)).billable).toEqual({ amount: '3750.00', currency: 'DKK' });

    const emails = (await outboxLines()).filter((l) => l.kind === 'consultancy-approval' && l.id === `${id}:consultancy-approval:email`);
    expect(emails).toHaveLength(1);
    expect(emails[0]).toMatchObject({ channel: 'email', customerId: 'ACME', recipients: ['pm@acme.example'] });
    expect(emails[0].body.split('\n').slice(0, 2)).toEqual([
      `Approve or reject consultancy ${id} in the console: no work is done or billed before you approve.`,
      `Open consultancy: ${stack.url}/#/consultancy`,
    ]);
    expect(emails[0].body).toContain('Rate: 1,250.00 DKK an hour, the rate now agreed');
    expect(emails[0].body).not.toMatch(/POST|\/consultancy\/CR-/);
  });

  it('records who did what in the audit trail, for the provider and the customer, never for another customer', async () => {
    const id = await approved({ estimateHours: 2 });
    expect((await logTime(id, 1)).status).toBe(201);
    expect((await act('agent', `/consultancy/${id}/increase`, { hours: 1.5, reason: 'Two more flows found' })).status).toBe(201);
    expect((await act('acme', `/consultancy/${id}/increase/1/approve`)).status).toBe(200);
    expect((await act('agent', `/consultancy/${id}/complete`)).status).toBe(200);
    for (const who of ['acme', 'agent', 'finance'] as const) {
      const events = await stack.call('GET', `/consultancy/${id}/events`, { token: tokens[who] });
      expect(events.status).toBe(200);
      expect(events.body.items.map((e: any) => [e.type, e.by])).toEqual([
        ['consultancy.proposed', 'local-agent'],
        ['consultancy.approved', 'local-customer-acme'],
        ['consultancy.time-logged', 'local-agent'],
        ['consultancy.increase-requested', 'local-agent'],
        ['consultancy.increase-approved', 'local-customer-acme'],
        ['consultancy.completed', 'local-agent'],
      ]);
      // The rate as every amount reads in the API: major units, not øre.
      expect(events.body.items.find((e: any) => e.type === 'consultancy.approved').details).toEqual({ hours: 2, hourly: '1250.00', currency: 'DKK' });
    }
    expect((await stack.call('GET', `/consultancy/${id}/events`, { token: tokens.globex })).status).toBe(404);
    expect(await read(id)).toMatchObject({ status: 'completed', approvedHours: 3.5, loggedHours: 1, remainingHours: 2.5 });
  });
});

describe('who may do what: every route, every role, and foreign ids', () => {
  const ROLES: Who[] = ['acme', 'globex', 'agent', 'admin', 'finance'];
  /** On an approved ACME request with one proposed increase; `ok` is any success, the rest exact. */
  const MATRIX: [route: string, method: 'GET' | 'POST', suffix: string, body: unknown, expected: Record<Who, number | 'ok'>][] = [
    ['get', 'GET', '', undefined, { acme: 'ok', globex: 404, agent: 'ok', admin: 'ok', finance: 'ok' }],
    ['events', 'GET', '/events', undefined, { acme: 'ok', globex: 404, agent: 'ok', admin: 'ok', finance: 'ok' }],
    ['approve', 'POST', '/approve', undefined, { acme: 'ok', globex: 404, agent: 403, admin: 403, finance: 403 }],
    ['reject', 'POST', '/reject', {}, { acme: 'ok', globex: 404, agent: 403, admin: 403, finance: 403 }],
    ['cancel', 'POST', '/cancel', {}, { acme: 'ok', globex: 404, agent: 'ok', admin: 'ok', finance: 403 }],
    ['complete', 'POST', '/complete', undefined, { acme: 403, globex: 403, agent: 'ok', admin: 'ok', finance: 403 }],
    ['time', 'POST', '/time', { hours: 0.25, date: '2026-11-04', note: 'x' }, { acme: 403, globex: 403, agent: 'ok', admin: 'ok', finance: 403 }],
    ['increase', 'POST', '/increase', { hours: 1, reason: 'more' }, { acme: 403, globex: 403, agent: 'ok', admin: 'ok', finance: 403 }],
    ['approve increase', 'POST', '/increase/1/approve', undefined, { acme: 'ok', globex: 404, agent: 403, admin: 403, finance: 403 }],
    ['reject increase', 'POST', '/increase/1/reject', undefined, { acme: 'ok', globex: 404, agent: 403, admin: 403, finance: 403 }],
  ];

  it.each(MATRIX)('%s', async (_, method, suffix, body, expected) => {
    at('2026-11-04T10:00:00+01:00');
    for (const who of ROLES) {
      // A fresh request for each caller: approve, reject and cancel take a proposed one, the rest an approved one.
      const id = ['/approve', '/reject', '/cancel'].includes(suffix) ? await propose() : await approved();
      if (suffix.startsWith('/increase/')) expect((await act('agent', `/consultancy/${id}/increase`, { hours: 1, reason: 'more' })).status).toBe(201);
      const before = await read(id);
      const reply = await stack.call(method, `/consultancy/${id}${suffix}`, { token: tokens[who], ...(body !== undefined ? { body } : {}) });
      const want = expected[who];
      if (want === 'ok') expect(reply.status, `${who}: ${JSON.stringify(reply.body)}`).toBeLessThan(300);
      else {
        expect([who, reply.status]).toEqual([who, want]);
        expect(reply.headers.get('content-type')).toBe('application/problem+json');
        expect((await read(id)).version, `${who} changed nothing`).toBe(before.version);
      }
    }
  });

  it('an unknown or malformed id is 404 for everyone who may ask; listing and the month are scoped by role', async () => {
    for (const id of ['CR-00000000', 'cr-1', 'ACME-1']) {
      for (const who of ['acme', 'agent', 'finance'] as const) expect((await stack.call('GET', `/consultancy/${id}`, { token: tokens[who] })).status).toBe(404);
      expect((await act('acme', `/consultancy/${id}/approve`)).status).toBe(404);
      expect((await act('agent', `/consultancy/${id}/time`, { hours: 1, date: '2026-11-04', note: 'x' })).status).toBe(404);
    }
    const globexOwn = await propose({}, 'globex');
    const listed = async (who: Who, query = '') => {
      const reply = await stack.call('GET', `/consultancy${query}`, { token: tokens[who] });
      expect(reply.status).toBe(200);
      return reply.body.items.map((r: any) => r.customerId as string);
    };
    expect(new Set(await listed('acme'))).toEqual(new Set(['ACME']));
    expect(await listed('globex')).toEqual(['GLOBEX']);
    expect(await listed('finance', '?customerId=GLOBEX')).toEqual(['GLOBEX']);
    expect((await listed('finance', '?limit=5')).length).toBe(5);
    expect(new Set(await listed('agent', '?customerId=GLOBEX'))).toEqual(new Set(['GLOBEX']));
    expect((await stack.call('GET', '/consultancy?customerId=ACME', { token: tokens.globex })).status).toBe(403);
    const proposedOnly = await stack.call('GET', '/consultancy?status=proposed&customerId=GLOBEX', { token: tokens.admin });
    expect(proposedOnly.body.items.map((r: any) => [r.id, r.status])).toEqual([[globexOwn, 'proposed']]);
    expect((await stack.call('GET', '/consultancy?month=2026-11', { token: tokens.agent })).status).toBe(403);
    expect((await stack.call('GET', '/consultancy?month=2026-11&customerId=ACME', { token: tokens.globex })).status).toBe(403);
  });
});

describe('the lifecycle holds under every order and any concurrency', () => {
  const transitions: [string, Who, string, 'proposed' | 'approved' | 'completed' | 'cancelled' | 'rejected', RegExp][] = [
    ['approve twice', 'acme', '/approve', 'approved', /this request was approved; it cannot be approved again/],
    ['reject approved work', 'acme', '/reject', 'approved', /this request was approved; it can no longer be rejected/],
    ['approve rejected work', 'acme', '/approve', 'rejected', /this request was rejected; it can no longer be approved/],
    ['complete before approval', 'agent', '/complete', 'proposed', /this request is waiting for approval; it cannot be completed before it is approved/],
    ['complete twice', 'agent', '/complete', 'completed', /this request was completed; it cannot be completed again/],
    ['cancel completed work', 'agent', '/cancel', 'completed', /this request was completed; it can no longer be cancelled/],
    ['the customer cancels approved work', 'acme', '/cancel', 'approved', /this request was approved; it can no longer be cancelled/],
    ['approve cancelled work', 'acme', '/approve', 'cancelled', /this request was cancelled; it can no longer be approved/],
    ['log time on completed work', 'agent', '/time', 'completed', /this request was completed: it takes no more time/],
    ['log time on cancelled work', 'agent', '/time', 'cancelled', /this request was cancelled: it takes no more time/],
    ['ask for more hours before approval', 'agent', '/increase', 'proposed', /more hours are asked for on approved work/],
    ['decide an increase never asked for', 'acme', '/increase/1/approve', 'approved', /has no increase 1/],
  ];

  async function inState(state: (typeof transitions)[number][3]): Promise<string> {
    if (state === 'proposed') return propose();
    if (state === 'rejected') {
      const id = await propose();
      expect((await act('acme', `/consultancy/${id}/reject`, { reason: 'Not this quarter' })).status).toBe(200);
      return id;
    }
    const id = await approved();
    if (state === 'completed') expect((await act('agent', `/consultancy/${id}/complete`)).status).toBe(200);
    if (state === 'cancelled') expect((await act('agent', `/consultancy/${id}/cancel`, { reason: 'Customer postponed' })).status).toBe(200);
    return id;
  }

  it.each(transitions)('refuses to %s: 409, with why, and nothing changes', async (_, who, suffix, state, why) => {
    at('2026-11-05T10:00:00+01:00');
    const id = await inState(state);
    const before = await read(id);
    const body = suffix === '/time' ? { hours: 1, date: '2026-11-05', note: 'x' } : suffix === '/increase' ? { hours: 1, reason: 'more' } : undefined;
    const reply = await act(who, `/consultancy/${id}${suffix}`, body);
    expect(reply.status).toBe(409);
    expect(reply.headers.get('content-type')).toBe('application/problem+json');
    expect(reply.body.detail).toMatch(why);
    expect(await read(id)).toEqual(before);
  });

  it('20 concurrent entries against 4 approved hours never log more than 4', async () => {
    at('2026-11-06T10:00:00+01:00');
    const id = await approved({ estimateHours: 4 });
    const replies = await Promise.all(Array.from({ length: 20 }, () => logTime(id, 0.5)));
    const statuses = replies.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(8);
    expect(statuses.filter((s) => s !== 201).every((s) => s === 409)).toBe(true);
    const request = await read(id);
    expect([request.loggedHours, request.entries.length, request.remainingHours]).toEqual([4, 8, 0]);
    const logged = (await stack.call('GET', `/consultancy/${id}/events?limit=100`, { token: tokens.admin })).body.items.filter((e: any) => e.type === 'consultancy.time-logged');
    expect(logged).toHaveLength(8);
    const month = await stack.call('GET', '/consultancy?month=2026-11', { token: tokens.finance });
    expect(month.body.entries.filter((e: any) => e.requestId === id).reduce((sum: number, e: any) => sum + e.hours, 0)).toBe(4);
  });

  it("concurrent approve and cancel by two of the customer's users: exactly one wins, and the request says which", async () => {
    const colleague = await stack.token('customer', 'ACME');
    for (let round = 0; round < 5; round++) {
      const id = await propose();
      const [approval, cancellation] = await Promise.all([act('acme', `/consultancy/${id}/approve`), stack.call('POST', `/consultancy/${id}/cancel`, { token: colleague })]);
      expect([approval.status, cancellation.status].sort()).toEqual([200, 409]);
      expect((await read(id)).status).toBe(approval.status === 200 ? 'approved' : 'cancelled');
    }
  });

  it("an increase counts only once the customer approves it; the customer's approvers are asked by email", async () => {
    at('2026-11-09T10:00:00+01:00');
    const id = await approved({ estimateHours: 1 });
    expect((await logTime(id, 1)).status).toBe(201);
    const over = await logTime(id, 0.25);
    expect([over.status, over.body.detail]).toEqual([409, `0.25 h would exceed the approved hours: 0 h are left; ask the customer to approve more hours for this request first`]);
    expect((await act('agent', `/consultancy/${id}/increase`, { hours: 2, reason: 'A second sandbox' })).status).toBe(201);
    expect((await logTime(id, 0.25)).status).toBe(409);
    expect((await act('acme', `/consultancy/${id}/increase/1/reject`, { reason: 'Not needed' })).status).toBe(200);
    expect((await logTime(id, 0.25)).status).toBe(409);
    expect((await act('agent', `/consultancy/${id}/increase`, { hours: 2, reason: 'A second sandbox, smaller' })).status).toBe(201);
    expect((await act('acme', `/consultancy/${id}/increase/2/approve`)).status).toBe(200);
    expect((await logTime(id, 2)).status).toBe(201);
    expect(await read(id)).toMatchObject({
      approvedHours: 3,
      loggedHours: 3,
      increases: [
        { n: 1, status: 'rejected', decided: { reason: 'Not needed' } },
        { n: 2, status: 'approved' },
      ],
    });
    const asked = (await outboxLines()).filter((l) => l.kind === 'consultancy-approval' && l.id.startsWith(`${id}:increase-`));
    expect(asked.map((l) => l.id).sort()).toEqual([`${id}:increase-1:consultancy-approval:email`, `${id}:increase-2:consultancy-approval:email`]);
    expect(asked[0].recipients).toEqual(['pm@acme.example']);
  });
});

describe('input', () => {
  it.each<[string, Who, Record<string, unknown>]>([
    ['a customer naming a customer', 'acme', { customerId: 'GLOBEX' }],
    ['an agent naming none', 'agent', { customerId: undefined }],
    ['an unknown service', 'agent', { service: 'gardening' }],
    ['a blank description', 'agent', { service: 'other', description: '   ' }],
    ['an estimate off the quarter-hour', 'agent', { estimateHours: 1.1 }],
    ['a zero estimate', 'agent', { estimateHours: 0 }],
    ['a server-owned status', 'agent', { status: 'approved' }],
    ['a server-owned id', 'agent', { id: 'CR-00000001' }],
    ["another customer's ticket", 'agent', { ticketId: 'GLOBEX-1' }],
    ['a ticket that does not exist', 'acme', { ticketId: 'ACME-999' }],
  ])('a proposal with %s is a 400 that creates nothing', async (_, who, overrides) => {
    const before = (await stack.call('GET', '/consultancy?limit=100', { token: tokens.admin })).body.items.length;
    const body = { ...(who === 'agent' ? { customerId: 'ACME' } : {}), service: 'crm-flows', description: 'Work', estimateHours: 2, ...overrides };
    const reply = await stack.call('POST', '/consultancy', { token: tokens[who], body: JSON.parse(JSON.stringify(body)) });
    expect(reply.status, JSON.stringify(reply.body)).toBe(400);
    expect(reply.headers.get('content-type')).toBe('application/problem+json');
    expect((await stack.call('GET', '/consultancy?limit=100', { token: tokens.admin })).body.items.length).toBe(before);
  });

  it.each<[string, Record<string, unknown>, number]>([
    ['hours off the quarter-hour', { hours: 0.3 }, 400],
    ['more than a day in one entry', { hours: 24.25 }, 400],
    ['negative hours', { hours: -1 }, 400],
    ['a date that is no date', { date: '2026-02-30' }, 400],
    ['a date in another format', { date: '10/11/2026' }, 400],
    ['a day in the future', { date: '2026-11-11' }, 400],
    ['a day before the approval', { date: '2026-11-09' }, 409],
    ['no note', { note: undefined }, 400],
  ])('time with %s is refused and logs nothing', async (_, overrides, status) => {
    at('2026-11-10T10:00:00+01:00');
    const id = await approved({ estimateHours: 30 });
    const reply = await stack.call('POST', `/consultancy/${id}/time`, { token: tokens.agent, body: JSON.parse(JSON.stringify({ hours: 1, date: '2026-11-10', note: 'x', ...overrides })) });
    expect(reply.status, JSON.stringify(reply.body)).toBe(status);
    expect((await read(id)).entries).toEqual([]);
  });

  it('a ticket of that customer may be named; a request needs an agreed rate before approval', async () => {
    const ticket = await stack.call('POST', '/tickets', { token: tokens.acme, body: { title: 'Leads misrouted', description: 'x', category: 'synchronization', priority: 'low' } });
    expect(ticket.status).toBe(201);
    const id = await propose({ ticketId: ticket.body.id }, 'acme');
    expect((await read(id)).ticketId).toBe(ticket.body.id);
    expect((await stack.call('PUT', '/customers/INITECH', { token: tokens.admin, body: { name: 'Initech', contacts: [] } })).status).toBe(200);
    const initech = await stack.call('POST', '/consultancy', { token: await stack.token('customer', 'INITECH'), body: { service: 'other', description: 'Help', estimateHours: 1 } });
    const approval = await stack.call('POST', `/consultancy/${initech.body.id}/approve`, { token: await stack.token('customer', 'INITECH') });
    expect([approval.status, approval.body.detail]).toEqual([409, 'no consultancy rate is agreed for this customer yet; the provider sets one before work can be approved']);
  });

  it('a retried proposal or entry with the same Idempotency-Key is answered once', async () => {
    const body = { customerId: 'ACME', service: 'license-management', description: 'Licence true-up', estimateHours: 2 };
    const first = await stack.call('POST', '/consultancy', { token: tokens.agent, body, headers: { 'idempotency-key': 'prop-1' } });
    const again = await stack.call('POST', '/consultancy', { token: tokens.agent, body, headers: { 'idempotency-key': 'prop-1' } });
    expect([first.status, again.status, again.body.id, again.headers.get('idempotent-replayed')]).toEqual([201, 201, first.body.id, 'true']);
    expect((await act('acme', `/consultancy/${first.body.id}/approve`)).status).toBe(200);
    const entries = await Promise.all([1, 2, 3].map(() => logTime(first.body.id, 0.5, today(), 'agent', { 'idempotency-key': 'time-1' })));
    expect(entries.map((r) => r.status)).toEqual([201, 201, 201]);
    expect((await read(first.body.id)).loggedHours).toBe(0.5);
    const other = await logTime(first.body.id, 1, today(), 'agent', { 'idempotency-key': 'time-1' });
    expect(other.status).toBe(422);
    // Asking for more hours twice with one key asks once, and emails the approvers once.
    const ask = () => stack.call('POST', `/consultancy/${first.body.id}/increase`, { token: tokens.agent, body: { hours: 2, reason: 'A second region' }, headers: { 'idempotency-key': 'more-1' } });
    const asks = await Promise.all([ask(), ask(), ask()]);
    expect(asks.map((r) => r.status)).toEqual([201, 201, 201]);
    expect((await read(first.body.id)).increases).toHaveLength(1);
  });
});

describe("finance's month", () => {
  it('bills each approval at its own rate, by the day the work was done, to the øre and the cent, and shows a customer only its own', async () => {
    // A stack of its own: the totals are hand-computed from exactly these entries.
    const own = await startTestStack({ clockStart: '2026-11-23T09:00:00+01:00' });
    try {
      const cast = await castOf(own);
      const put = (id: string, name: string, hourly: string, currency: string) =>
        own.call('PUT', `/customers/${id}`, { token: cast.admin, body: { name, contacts: [], consultancyRate: { hourly, currency } } });
      expect((await put('ACME', 'Acme A/S', '1250.50', 'DKK')).status).toBe(200);
      expect((await put('GLOBEX', 'Globex GmbH', '99.99', 'EUR')).status).toBe(200);
      const call = (token: string, path: string, body?: unknown) => own.call('POST', path, { token, ...(body !== undefined ? { body } : {}) });
      const open = async (customerId: string, service: string, approver: string) => {
        const id = (await call(cast.agent, '/consultancy', { customerId, service, description: 'Work', estimateHours: 10 })).body.id as string;
        expect((await call(approver, `/consultancy/${id}/approve`)).status).toBe(200);
        return id;
      };
      const log = async (id: string, hours: number, date: string) => expect((await call(cast.agent, `/consultancy/${id}/time`, { hours, date, note: 'n' })).status).toBe(201);

      const first = await open('ACME', 'crm-flows', cast.acme);
      await log(first, 1.25, '2026-11-23');
      own.clock.set(Date.parse('2026-11-25T15:00:00+01:00'));
      // The rate changes; work approved before it keeps the old one.
      expect((await put('ACME', 'Acme A/S', '1400', 'DKK')).status).toBe(200);
      await log(first, 0.5, '2026-11-24');
      const second = await open('ACME', 'crm-flows', cast.acme);
      await log(second, 0.75, '2026-11-25');
      const globex = await open('GLOBEX', 'license-management', cast.globex);
      await log(globex, 2.75, '2026-11-25');
      // Logged in December for the last day of November: November's.
      own.clock.set(Date.parse('2026-12-01T09:00:00+01:00'));
      await log(second, 0.25, '2026-11-30');
      await log(second, 1, '2026-12-01');

      const november = await own.call('GET', '/consultancy?month=2026-11', { token: cast.finance });
      expect(november.body.totals).toEqual([
        // 1.75 h × 1250.50 = 2188.375 → 2188.38 (half up, once for the line)
        { customerId: 'ACME', service: 'crm-flows', billableHours: 1.75, rate: '1250.50', currency: 'DKK', amount: '2188.38' },
        // 1 h × 1400.00
        { customerId: 'ACME', service: 'crm-flows', billableHours: 1, rate: '1400.00', currency: 'DKK', amount: '1400.00' },
        // 2.75 h × 99.99 = 274.9725 → 274.97
        { customerId: 'GLOBEX', service: 'license-management', billableHours: 2.75, rate: '99.99', currency: 'EUR', amount: '274.97' },
      ]);
      expect(november.body.entries.map((e: any) => [e.customerId, e.date, e.hours])).toEqual([
        ['ACME', '2026-11-23', 1.25],
        ['ACME', '2026-11-24', 0.5],
        ['ACME', '2026-11-25', 0.75],
        ['GLOBEX', '2026-11-25', 2.75],
        ['ACME', '2026-11-30', 0.25],
      ]);
      const december = await own.call('GET', '/consultancy?month=2026-12', { token: cast.admin });
      expect(december.body.totals).toEqual([{ customerId: 'ACME', service: 'crm-flows', billableHours: 1, rate: '1400.00', currency: 'DKK', amount: '1400.00' }]);

      const acme = await own.call('GET', '/consultancy?month=2026-11', { token: cast.acme });
      expect(acme.body.totals.map((t: any) => t.customerId)).toEqual(['ACME', 'ACME']);
      expect(acme.body.entries.every((e: any) => e.customerId === 'ACME')).toBe(true);
      const globexSlice = await own.call('GET', '/consultancy?month=2026-11&customerId=GLOBEX', { token: cast.finance });
      expect(globexSlice.body.totals).toEqual([november.body.totals[2]]);
      expect((await own.call('GET', '/consultancy?month=2026-10', { token: cast.finance })).body).toEqual({ month: '2026-10', entries: [], totals: [] });
      expect((await own.call('GET', '/consultancy?month=2026-13', { token: cast.finance })).status).toBe(400);
      expect((await own.call('GET', `/consultancy/${first}`, { token: cast.acme })).body.billable).toEqual({ amount: '2188.38', currency: 'DKK' });
    } finally {
      await own.stop();
    }
  });
});
