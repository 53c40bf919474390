import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Cast, castOf, startTestStack, type TestStack } from '../support/test-stack';

let stack: TestStack;
let tokens: Cast;

beforeAll(async () => {
  stack = await startTestStack({ clockStart: '2026-06-10T09:00:00+02:00' });
  tokens = await castOf(stack);
  await stack.call('PUT', '/customers/ACME', {
    token: tokens.admin,
    body: { name: 'Acme A/S', contacts: [{ email: 'it@acme.example', name: 'IT', receives: ['alerts', 'notices'] }], goLiveAt: '2026-06-01T08:00:00+02:00', hypercareWeeks: 4 },
  });
});
afterAll(() => stack.stop());

describe('customer profiles', () => {
  it('admins set them; the provider and the customer itself read them', async () => {
    for (const who of ['acme', 'agent', 'admin', 'finance'] as const) {
      const { status, body } = await stack.call('GET', '/customers/ACME', { token: tokens[who] });
      expect(status, who).toBe(200);
      expect(body).toEqual({
        customerId: 'ACME',
        name: 'Acme A/S',
        contacts: [{ email: 'it@acme.example', name: 'IT', receives: ['alerts', 'notices'] }],
        goLiveAt: '2026-06-01T08:00:00.000+02:00',
        hypercareWeeks: 4,
        consultancyRate: null,
        hypercare: { status: 'active', plannedEndAt: '2026-06-29T08:00:00.000+02:00', overdue: false },
        updatedAt: '2026-06-10T09:00:00.000+02:00',
        version: 1,
      });
    }
  });

  it("another customer's profile is 404, and only admins may write", async () => {
    expect((await stack.call('GET', '/customers/ACME', { token: tokens.globex })).status).toBe(404);
    const unknown = await stack.call('GET', '/customers/NOBODY', { token: tokens.agent });
    expect([unknown.status, unknown.body.detail]).toEqual([404, "customer NOBODY has no record: no contacts are known, so its alerts go to the provider's on-call only"]);
    for (const who of ['acme', 'agent', 'finance'] as const) {
      expect((await stack.call('PUT', '/customers/ACME', { token: tokens[who], body: { name: 'Hijacked' } })).status, who).toBe(403);
    }
    expect((await stack.call('GET', '/customers/ACME', { token: tokens.admin })).body.name).toBe('Acme A/S');
  });

  it.each([
    [{ name: 'x', contacts: [{ email: 'not-an-email', receives: ['alerts'] }] }],
    [{ name: 'x', contacts: [{ email: 'a@b.example', receives: [] }] }],
    [{ name: 'x', contacts: [{ email: 'a@b.example', receives: ['gossip'] }] }],
    [{ name: 'x', alertContacts: ['a@b.example'] }],
    [{ name: 'x', hypercareWeeks: 4 }],
    [{ name: 'x', goLiveAt: '2026-11-02', hypercareWeeks: 4 }],
    [{ name: '' }],
    [{ name: 'x', customerId: 'GLOBEX' }],
    [{ name: 'x', goLiveAt: 'soon' }],
  ])('refuses %j', async (body) => {
    const { status, headers } = await stack.call('PUT', '/customers/ACME', { token: tokens.admin, body });
    expect(status).toBe(400);
    expect(headers.get('content-type')).toBe('application/problem+json');
    expect((await stack.call('GET', '/customers/ACME', { token: tokens.admin })).body.name).toBe('Acme A/S');
  });

  it('carry an hourly consultancy rate in an ISO 4217 currency, kept in minor units; a bad one is a 400 that changes nothing', async () => {
    const put = (consultancyRate: object) => stack.call('PUT', '/customers/INITECH', { token: tokens.admin, body: { name: 'Initech', consultancyRate } });
    expect((await put({ hourly: '1250', currency: 'DKK' })).body.consultancyRate).toEqual({ hourly: '1250.00', currency: 'DKK' });
    expect((await put({ hourly: 45.125, currency: 'KWD' })).body.consultancyRate).toEqual({ hourly: '45.125', currency: 'KWD' });
    for (const bad of [
      { hourly: '12.345', currency: 'DKK' },
      { hourly: '100', currency: 'DKX' },
      { hourly: '-5', currency: 'EUR' },
      { hourly: '100.5', currency: 'JPY' },
    ]) {
      const { status, headers, body } = await put(bad);
      expect([status, headers.get('content-type')], JSON.stringify(bad)).toEqual([400, 'application/problem+json']);
      expect(body.detail).toMatch(/not a currency code|decimals/);
    }
    expect((await stack.call('GET', '/customers/INITECH', { token: tokens.admin })).body).toMatchObject({ version: 2, consultancyRate: { hourly: '45.125', currency: 'KWD' } });
  });

  it('are versioned: If-Match with the ETag is honoured, a stale one is 409 and changes nothing, concurrent edits have one winner', async () => {
    const put = (body: object, ifMatch?: string) => stack.call('PUT', '/customers/GLOBEX', { token: tokens.admin, body, ...(ifMatch ? { headers: { 'if-match': ifMatch } } : {}) });
    const created = await put({ name: 'Globex', contacts: [{ email: 'ops@globex.example', receives: ['alerts'] }] });
    expect([created.status, created.body.version, created.headers.get('etag')]).toEqual([200, 1, '"1"']);
    const edited = await put({ name: 'Globex Corp' }, '"1"');
    expect([edited.status, edited.body.version]).toEqual([200, 2]);
    const stale = await put({ name: 'Stale' }, '"1"');
    expect([stale.status, stale.body.type, stale.body.detail]).toEqual([409, '/problems/version-conflict', 'the customer changed since version 1; read it again and retry']);
    expect((await stack.call('GET', '/customers/GLOBEX', { token: tokens.admin })).body).toMatchObject({ name: 'Globex Corp', version: 2 });
    expect((await put({ name: 'x' }, 'three')).status).toBe(400);
    // `If-Match: *` edits whatever version stands, and never creates a record.
    expect((await put({ name: 'Globex Corp' }, '*')).body.version).toBe(3);
    const absent = await stack.call('PUT', '/customers/HOOLI', { token: tokens.admin, body: { name: 'Hooli', contacts: [] }, headers: { 'if-match': '*' } });
    expect([absent.status, absent.body.type]).toEqual([409, '/problems/conflict']);
    expect((await stack.call('GET', '/customers/HOOLI', { token: tokens.admin })).status).toBe(404);

    const racing = await Promise.all(Array.from({ length: 6 }, (_, i) => put({ name: `Racer ${i}` }, '"3"')));
    expect(racing.filter((r) => r.status === 200)).toHaveLength(1);
    expect(racing.filter((r) => r.status === 409)).toHaveLength(5);
    expect((await stack.call('GET', '/customers/GLOBEX', { token: tokens.admin })).body.version).toBe(4);
  });
});
