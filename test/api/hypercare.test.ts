import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Cast, castOf, startTestStack, type TestStack } from '../support/test-stack';

/* The contract's hypercare through the API, on the local stack's clock. */

let stack: TestStack;
let tokens: Cast;
beforeAll(async () => {
  stack = await startTestStack({ clockStart: '2026-11-02T09:00:00+01:00' });
  tokens = await castOf(stack);
  const body = { name: 'Acme A/S', contacts: [{ email: 'pm@acme.example', receives: ['updates'] }], goLiveAt: '2026-11-02T08:00:00+01:00', hypercareWeeks: 4 };
  expect((await stack.call('PUT', '/customers/ACME', { token: tokens.admin, body })).status).toBe(200);
  expect((await stack.call('PUT', '/customers/GLOBEX', { token: tokens.admin, body: { ...body, name: 'Globex' } })).status).toBe(200);
  // The relay's round right after the records are saved: go-live has passed, so the go-live digests go out.
  await stack.runTimers();
});
afterAll(() => stack.stop());

const hypercare = (who: keyof Cast, id = 'ACME') => stack.call('GET', `/customers/${id}/hypercare`, { token: tokens[who] });
const jump = (now: string) => stack.at.jump(now);

describe('hypercare', () => {
  it('a customer that went live at 08:00 is active at 09:00, with its planned end and no criterion met', async () => {
    const { status, body } = await hypercare('acme');
    expect(status).toBe(200);
    expect(body).toMatchObject({ customerId: 'ACME', status: 'active', goLiveAt: '2026-11-02T08:00:00.000+01:00', weeks: 4, plannedEndAt: '2026-11-30T08:00:00.000+01:00', overdue: false });
    expect(Object.values(body.criteria).map((c) => (c as { met: boolean }).met)).toEqual([false, false, false, false]);
  });

  it('the provider lists the customers a page at a time, each with its hypercare status; customers may not', async () => {
    const first = await stack.call('GET', '/customers?limit=1', { token: tokens.finance });
    const second = await stack.call('GET', `/customers?limit=1&cursor=${first.body.nextCursor}`, { token: tokens.finance });
    expect([...first.body.items, ...second.body.items].map((c: { customerId: string; hypercare: { status: string } }) => [c.customerId, c.hypercare.status])).toEqual([
      ['ACME', 'active'],
      ['GLOBEX', 'active'],
    ]);
    expect((await stack.call('GET', '/customers', { token: tokens.acme })).status).toBe(403);
  });

  it('with both sign-offs and the transition done early, it stays active until 2 weeks have passed, then concludes on the clock', async () => {
    expect((await stack.call('POST', '/customers/ACME/hypercare/signoff', { token: tokens.acme })).status).toBe(200);
    expect((await stack.call('POST', '/customers/ACME/hypercare/signoff', { token: tokens.agent })).status).toBe(200);
    const done = await stack.call('POST', '/customers/ACME/hypercare/transition', { token: tokens.admin, body: { note: 'Handed over to standard support' } });
    expect(done.body).toMatchObject({
      status: 'active',
      criteria: { customerSignoff: { met: true, by: 'local-customer-acme' }, providerSignoff: { met: true, by: 'local-agent' }, transition: { met: true, note: 'Handed over to standard support' } },
    });

    await jump('2026-11-16T07:59:00+01:00');
    expect((await hypercare('agent')).body.status).toBe('active');
    await jump('2026-11-16T08:00:00+01:00');
    const concluded = (await hypercare('acme')).body;
    expect(concluded).toMatchObject({ status: 'concluded', concludedAt: '2026-11-16T08:00:00.000+01:00', criteria: { operationalTwoWeeks: { met: true, at: '2026-11-16T08:00:00.000+01:00' } } });
    // The conclusion is recorded once in the customer's audit trail, at the moment it happened, however often the relay comes round.
    await stack.runTimers();
    await stack.runTimers();
    const trail = await stack.call('GET', '/customers/ACME/events', { token: tokens.acme });
    expect(trail.status).toBe(200);
    expect(trail.body.items.map((e: { type: string; at: string; by: string; details?: object }) => [e.type, e.at, e.by, e.details ?? null])).toEqual([
      ['customer.saved', '2026-11-02T09:00:00.000+01:00', 'local-admin', { version: 1 }],
      ['hypercare.signed-off', '2026-11-02T09:00:00.000+01:00', 'local-customer-acme', { party: 'customer' }],
      ['hypercare.signed-off', '2026-11-02T09:00:00.000+01:00', 'local-agent', { party: 'provider' }],
      ['hypercare.transitioned', '2026-11-02T09:00:00.000+01:00', 'local-admin', { note: 'Handed over to standard support' }],
      ['hypercare.concluded', '2026-11-16T08:00:00.000+01:00', 'system', null],
    ]);
    // Concluded, the sign-offs stand and it can no longer be extended.
    expect((await stack.call('DELETE', '/customers/ACME/hypercare/signoff', { token: tokens.acme })).status).toBe(409);
    expect((await stack.call('POST', '/customers/ACME/hypercare/extensions', { token: tokens.admin, body: { weeks: 2, reason: 'late' } })).status).toBe(409);
  });

  it('a sign-off can be withdrawn before the conclusion; an extension moves the planned end; past it, the period is overdue', async () => {
    expect((await stack.call('POST', '/customers/GLOBEX/hypercare/signoff', { token: tokens.globex })).body.criteria.customerSignoff.met).toBe(true);
    expect((await stack.call('DELETE', '/customers/GLOBEX/hypercare/signoff', { token: tokens.globex })).body.criteria.customerSignoff.met).toBe(false);
    const extended = await stack.call('POST', '/customers/GLOBEX/hypercare/extensions', { token: tokens.admin, body: { weeks: 2, reason: 'Sync still unstable' } });
    expect(extended.body).toMatchObject({ plannedEndAt: '2026-12-14T08:00:00.000+01:00', extensions: [{ weeks: 2, reason: 'Sync still unstable' }] });
    await jump('2026-12-14T08:00:00+01:00');
    expect((await hypercare('admin', 'GLOBEX')).body).toMatchObject({ status: 'active', overdue: true });
    // On-call hears of it once, however often the relay comes round.
    await stack.runTimers();
    await stack.runTimers();
    const lines = (await readFile(join(stack.dataDir, 'outbox.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
      .filter((l) => l.kind === 'hypercare-overdue');
    expect(lines.map((l) => [l.channel, l.customerId, l.recipients ?? null]).sort()).toEqual([
      ['email', 'GLOBEX', ['oncall@sla-desk.local']],
      ['sns', 'GLOBEX', null],
    ]);
    expect(lines.find((l) => l.channel === 'email').subject).toBe('[Hypercare overdue] Globex (GLOBEX): planned to end Mon 14 Dec 2026, 08:00, not concluded');
  });

  it.each<[string, string, string, object | undefined, Record<keyof Cast, number>]>([
    ['read', 'GET', '/hypercare', undefined, { acme: 200, globex: 404, agent: 200, admin: 200, finance: 200 }],
    ['audit trail', 'GET', '/events', undefined, { acme: 200, globex: 404, agent: 200, admin: 200, finance: 200 }],
    ['sign off', 'POST', '/hypercare/signoff', undefined, { acme: 200, globex: 404, agent: 200, admin: 200, finance: 403 }],
    ['withdraw', 'DELETE', '/hypercare/signoff', undefined, { acme: 409, globex: 404, agent: 409, admin: 409, finance: 403 }],
    ['extend', 'POST', '/hypercare/extensions', { weeks: 1, reason: 'x' }, { acme: 403, globex: 403, agent: 403, admin: 409, finance: 403 }],
    ['transition', 'POST', '/hypercare/transition', {}, { acme: 403, globex: 403, agent: 403, admin: 200, finance: 403 }],
  ])('%s: every role on ACME (concluded), another customer 404', async (_, method, path, body, expected) => {
    for (const who of Object.keys(expected) as (keyof Cast)[]) {
      const { status } = await stack.call(method, `/customers/ACME${path}`, { token: tokens[who], ...(body ? { body } : {}) });
      expect([who, status]).toEqual([who, expected[who]]);
    }
    expect((await stack.call(method, `/customers/NOBODY${path}`, { token: tokens.admin, ...(body ? { body } : {}) })).status).toBe(404);
  });

  it('digests: go-live, then each Monday at 08:00 until it concludes, to the updates contacts, each exactly once, across clock jumps', async () => {
    await stack.runTimers();
    await stack.runTimers();
    const digests = (await readFile(join(stack.dataDir, 'outbox.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
      .filter((l) => l.kind === 'hypercare-digest' && l.customerId === 'ACME');
    // The go-live digest went out at go-live; the two Mondays in the round after the jump (in either order).
    expect(digests[0].id).toBe('ACME:hypercare-digest:go-live');
    expect(
      digests
        .slice(1)
        .map((d) => d.id)
        .sort(),
    ).toEqual(['ACME:hypercare-digest:2026-11-09', 'ACME:hypercare-digest:2026-11-16']);
    expect(digests.every((d) => d.channel === 'email' && JSON.stringify(d.recipients) === JSON.stringify(['pm@acme.example']))).toBe(true);
    const week = digests.find((d) => d.id.endsWith('2026-11-09'))!;
    expect(week.subject).toBe('[Hypercare update] Acme A/S: week to Mon 9 Nov 2026');
    expect(week.body).toMatch(/Hypercare: Active/);
    expect(week.body).toMatch(/Met: The customer's sign-off/);
  });
});
