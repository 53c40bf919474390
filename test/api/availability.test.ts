import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../bin/local/dynamodb-local';
import { type Cast, castOf, startTestStack, type TestStack } from '../support/test-stack';

let stack: TestStack;
let flaky: Server;
let flakyStatus = 200;
let tokens: Cast;

beforeAll(async () => {
  // A second service the provider measures, whose answer the tests control.
  flaky = createServer((_, response) => {
    response.writeHead(flakyStatus);
    response.end();
  });
  await new Promise<void>((ready) => flaky.listen(0, '127.0.0.1', ready));
  const { port } = flaky.address() as { port: number };
  stack = await startTestStack({
    clockStart: '2026-06-10T08:00:00+02:00',
    probeTargets: [
      { name: 'crm', url: `http://127.0.0.1:${port}/`, expectedStatus: 200, timeoutMs: 2_000 },
      { name: 'gone', url: `http://127.0.0.1:${await freePort()}/`, expectedStatus: 200, timeoutMs: 2_000 }, // nothing listens
    ],
  });
  tokens = await castOf(stack);
  await stack.call('PUT', '/customers/ACME', { token: tokens.admin, body: { name: 'Acme', contacts: [{ email: 'it@acme.example', receives: ['alerts', 'notices'] }] } });
  await stack.call('PUT', '/customers/GLOBEX', {
    token: tokens.admin,
    body: {
      name: 'Globex',
      contacts: [
        { email: 'ops@globex.example', receives: ['notices'] },
        { email: 'cto@globex.example', receives: ['reports'] },
      ],
    },
  });
});
afterAll(async () => {
  await stack.stop();
  await new Promise((done) => flaky.close(done));
});

const samples = async (target: string) => {
  const { text, headers, status } = await stack.call('GET', `/availability/samples?month=2026-06&target=${target}`, { token: tokens.finance });
  expect(status).toBe(200);
  expect(headers.get('content-type')).toBe('application/jsonl');
  return text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
};
const at = (iso: string) => stack.at.set(iso);

describe('the probe and the availability figure', () => {
  it('writes one sample per target per 5-minute slot', async () => {
    await stack.runProbe();
    await stack.runProbe(); // same slot: nothing added
    at('2026-06-10T08:05:30+02:00');
    flakyStatus = 503;
    await stack.runProbe();
    flakyStatus = 200;
    expect(await samples('api')).toEqual([
      { target: 'api', at: '2026-06-10T06:00:00.000Z', ok: true, latencyMs: expect.any(Number), status: 200 },
      { target: 'api', at: '2026-06-10T06:05:30.000Z', ok: true, latencyMs: expect.any(Number), status: 200 },
    ]);
    expect((await samples('crm')).map((s) => [s.ok, s.status])).toEqual([
      [true, 200],
      [false, 503],
    ]);
    const gone = await samples('gone');
    expect(gone).toHaveLength(2);
    expect(gone.every((s) => s.ok === false && typeof s.error === 'string')).toBe(true);
  });

  it('counts the month to date for every role', async () => {
    at('2026-06-10T08:10:00+02:00');
    for (const who of ['acme', 'globex', 'agent', 'finance'] as const) {
      const { status, body } = await stack.call('GET', '/availability?month=2026-06&target=crm', { token: tokens[who] });
      expect(status, who).toBe(200);
      // June 1–9 had 6 business days before the probe ran (5 June closed): 576 missing slots, then 1 up and 1 down.
      expect(body).toMatchObject({ target: 'crm', eligibleSlots: 6 * 96 + 2, upSlots: 1, downSlots: 1, missingSlots: 6 * 96, targetMet: false });
      expect(body.incidents).toEqual([{ start: '2026-06-10T08:05:00.000+02:00', end: '2026-06-10T08:10:00.000+02:00', minutes: 5 }]);
    }
  });
});

describe('extraordinary service windows', () => {
  let announced: { id: string };

  it('an announced window notifies every customer, with the notice given', async () => {
    at('2026-06-10T09:00:00+02:00');
    const { status, body } = await stack.call('POST', '/service-windows', {
      token: tokens.agent,
      body: { start: '2026-06-17T12:00:00+02:00', end: '2026-06-17T14:30:00+02:00', reason: 'Critical security patch' },
    });
    expect(status).toBe(201);
    expect(body).toMatchObject({ retroactive: false, noticeMinutes: 7 * 1440 + 180, targets: null, start: '2026-06-17T12:00:00.000+02:00' });
    announced = body;
    await stack.runTimers(); // the outbox relay
    const lines = (await readFile(join(stack.dataDir, 'outbox.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
      .filter((l) => l.windowId === body.id);
    expect(lines.map((l) => `${l.channel}:${(l.recipients ?? []).join(',')}`).sort()).toEqual(['email:it@acme.example', 'email:ops@globex.example', 'sns:']);
    expect(lines[0].body).toContain('Notice given: 7 days 3 hours');
  });

  it('a retried announcement with one Idempotency-Key records one window and notifies once', async () => {
    const body = { start: '2026-06-24T12:00:00+02:00', end: '2026-06-24T13:00:00+02:00', reason: 'Database upgrade' };
    const replies = await Promise.all(Array.from({ length: 5 }, () => stack.call('POST', '/service-windows', { token: tokens.agent, body, headers: { 'idempotency-key': 'w-1' } })));
    expect(replies.map((r) => r.status)).toEqual(Array(5).fill(201));
    const ids = new Set(replies.map((r) => r.body.id));
    expect(ids.size).toBe(1);
    const [id] = [...ids];
    await stack.runTimers();
    const lines = (await readFile(join(stack.dataDir, 'outbox.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
      .filter((l) => l.windowId === id);
    expect(lines).toHaveLength(3); // two customers by email, one SNS
    expect((await stack.call('DELETE', `/service-windows/${id}`, { token: tokens.agent })).status).toBe(204);
  });

  it('a window entered after its start is retroactive, admin only, and flagged in the figure', async () => {
    const window = { start: '2026-06-10T08:00:00+02:00', end: '2026-06-10T08:10:00+02:00', reason: 'Emergency restart', targets: ['crm'] };
    expect((await stack.call('POST', '/service-windows', { token: tokens.agent, body: window })).status).toBe(403);
    const { status, body } = await stack.call('POST', '/service-windows', { token: tokens.admin, body: window });
    expect(status).toBe(201);
    expect(body).toMatchObject({ retroactive: true, noticeMinutes: 0 });
    const figure = (await stack.call('GET', '/availability?month=2026-06&target=crm', { token: tokens.acme })).body;
    expect(figure).toMatchObject({ excludedSlots: 2, upSlots: 0, downSlots: 0 });
    expect(figure.retroactiveWindows.map((w: { id: string }) => w.id)).toEqual([body.id]);
    const api = (await stack.call('GET', '/availability?month=2026-06&target=api', { token: tokens.acme })).body;
    expect(api.excludedSlots).toBe(0); // the window covered crm only
  });

  it('lists the windows of a month; cancels only those not started', async () => {
    const list = await stack.call('GET', '/service-windows?month=2026-06', { token: tokens.acme });
    expect(list.body.items.map((w: { id: string }) => w.id)).toContain(announced.id);
    expect((await stack.call('DELETE', `/service-windows/${announced.id}`, { token: tokens.acme })).status).toBe(403);
    expect((await stack.call('DELETE', `/service-windows/${announced.id}`, { token: tokens.agent })).status).toBe(204);
    expect((await stack.call('DELETE', `/service-windows/${announced.id}`, { token: tokens.agent })).status).toBe(404);
    const started = (await stack.call('GET', '/service-windows?month=2026-06', { token: tokens.agent })).body.items[0];
    expect(started.retroactive).toBe(true);
    expect((await stack.call('DELETE', `/service-windows/${started.id}`, { token: tokens.admin })).status).toBe(409);
    expect((await stack.call('GET', '/service-windows?month=2026-06', { token: tokens.agent })).body.items.map((w: { id: string }) => w.id)).toEqual([started.id]);
  });

  it('cancelling tells the customers the announcement reached, once, by email and SNS; a refused cancel tells no one', async () => {
    const outbox = async (id: string) =>
      (await readFile(join(stack.dataDir, 'outbox.jsonl'), 'utf8'))
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l))
        .filter((l) => l.windowId === id);
    const { body: window } = await stack.call('POST', '/service-windows', {
      token: tokens.agent,
      body: { start: '2026-06-25T12:00:00+02:00', end: '2026-06-25T13:00:00+02:00', reason: 'Database upgrade' },
    });
    await stack.runTimers();
    const announced = (await outbox(window.id))
      .filter((l) => l.kind === 'service-window' && l.channel === 'email')
      .map((l) => l.recipients)
      .sort();
    expect(announced).toEqual([['it@acme.example'], ['ops@globex.example']]);

    expect((await stack.call('DELETE', `/service-windows/${window.id}`, { token: tokens.agent })).status).toBe(204);
    expect((await stack.call('DELETE', `/service-windows/${window.id}`, { token: tokens.agent })).status).toBe(404);
    await stack.runTimers();
    const cancelled = (await outbox(window.id)).filter((l) => l.kind === 'service-window-cancelled');
    expect(
      cancelled
        .filter((l) => l.channel === 'email')
        .map((l) => l.recipients)
        .sort(),
    ).toEqual(announced);
    expect(cancelled.filter((l) => l.channel === 'sns')).toHaveLength(1);
    expect(cancelled[0].subject).toMatch(/^\[Service window cancelled\] 25 Jun 12:00 \(Copenhagen\): Database upgrade/);

    const started = (await stack.call('GET', '/service-windows?month=2026-06', { token: tokens.agent })).body.items.find((w: { retroactive: boolean }) => w.retroactive);
    expect((await stack.call('DELETE', `/service-windows/${started.id}`, { token: tokens.admin })).status).toBe(409);
    await stack.runTimers();
    expect((await outbox(started.id)).filter((l) => l.kind === 'service-window-cancelled')).toEqual([]);
  });

  it.each<[string, unknown, string]>([
    ['an end before the start', { start: '2026-06-20T12:00:00+02:00', end: '2026-06-20T11:00:00+02:00', reason: 'x' }, 'agent'],
    ['longer than 7 days', { start: '2026-06-20T12:00:00+02:00', end: '2026-06-28T12:00:00+02:00', reason: 'x' }, 'agent'],
    ['no offset', { start: '2026-06-20T12:00:00', end: '2026-06-20T13:00:00', reason: 'x' }, 'agent'],
    ['an unknown field', { start: '2026-06-20T12:00:00+02:00', end: '2026-06-20T13:00:00+02:00', reason: 'x', retroactive: false }, 'agent'],
  ])('refuses %s with 400', async (_, body, who) => {
    const reply = await stack.call('POST', '/service-windows', { token: tokens[who as 'agent'], body });
    expect(reply.status).toBe(400);
    expect(reply.headers.get('content-type')).toBe('application/problem+json');
  });

  it('customers and finance cannot announce windows', async () => {
    for (const who of ['acme', 'finance'] as const) {
      expect((await stack.call('POST', '/service-windows', { token: tokens[who], body: { start: '2026-06-20T12:00:00+02:00', end: '2026-06-20T13:00:00+02:00', reason: 'x' } })).status).toBe(403);
    }
  });

  it.each(['/availability', '/availability?month=2026-13', '/availability?month=2026-06&target=NOPE', '/service-windows', '/availability/samples?month=06-2026'])('GET %s → 400', async (path) => {
    expect((await stack.call('GET', path, { token: tokens.agent })).status).toBe(400);
  });
});

describe('targets nobody measures, and months with nothing measured yet', () => {
  it.each(['/availability?month=2026-06&target=nope', '/availability/samples?month=2026-06&target=nope'])('GET %s → 404 naming the measured targets', async (path) => {
    const { status, body } = await stack.call('GET', path, { token: tokens.agent });
    expect(status).toBe(404);
    expect(body.type).toBe('/problems/unknown-target');
    expect(body.detail).toMatch(/the measured targets are api, crm, gone$/);
  });

  it('a window for a target nobody measures is refused (400, naming the measured targets) and writes nothing', async () => {
    const before = (await stack.call('GET', '/service-windows?month=2026-07', { token: tokens.agent })).body.items;
    const { status, body } = await stack.call('POST', '/service-windows', {
      token: tokens.agent,
      body: { start: '2026-07-01T12:00:00+02:00', end: '2026-07-01T13:00:00+02:00', reason: 'x', targets: ['crm', 'nope'] },
    });
    expect(status).toBe(400);
    expect(body).toMatchObject({ type: '/problems/unknown-target' });
    expect(body.detail).toMatch(/named nope; the measured targets are api, crm, gone/);
    expect((await stack.call('GET', '/service-windows?month=2026-07', { token: tokens.agent })).body.items).toEqual(before);
  });

  it('a month with no ended slot says so, instead of 100% and the target met', async () => {
    const { status, body } = await stack.call('GET', '/availability?month=2026-08&target=api', { token: tokens.agent });
    expect(status).toBe(200);
    expect(body).toMatchObject({ eligibleSlots: 0, availabilityPercent: null, targetMet: null, note: 'no operating-hours slot of this month has ended yet' });
  });
});

describe('GET /availability and the CLI agree on the same data', () => {
  it('for the month to date', async () => {
    const dir = stack.dataDir;
    for (const target of ['api', 'crm', 'gone']) {
      const { text } = await stack.call('GET', `/availability/samples?month=2026-06&target=${target}`, { token: tokens.finance });
      await writeFile(join(dir, `samples-${target}.jsonl`), text);
    }
    await writeFile(join(dir, 'all-samples.jsonl'), (await Promise.all(['api', 'crm', 'gone'].map((t) => readFile(join(dir, `samples-${t}.jsonl`), 'utf8')))).join(''));
    // The export exactly as the API gives it: one window for every target (targets null), one for crm only.
    for (const body of [
      { start: '2026-06-11T10:00:00+02:00', end: '2026-06-11T11:00:00+02:00', reason: 'CRM upgrade', targets: ['crm'] },
      { start: '2026-06-12T10:00:00+02:00', end: '2026-06-12T10:30:00+02:00', reason: 'Security patch' },
    ]) {
      expect((await stack.call('POST', '/service-windows', { token: tokens.admin, body })).status).toBe(201);
    }
    const { text: windows, body } = await stack.call('GET', '/service-windows?month=2026-06', { token: tokens.finance });
    expect(body.items.map((w: { targets: unknown }) => w.targets)).toEqual(expect.arrayContaining([null, ['crm']]));
    await writeFile(join(dir, 'windows.json'), windows);
    const asOf = new Date(stack.clock.now()).toISOString();
    for (const target of ['api', 'crm', 'gone']) {
      const api = (await stack.call('GET', `/availability?month=2026-06&target=${target}`, { token: tokens.finance })).body;
      const { stdout } = await promisify(execFile)('node', [
        '--import',
        'tsx',
        'bin/sla-desk.ts',
        'availability',
        '--month',
        '2026-06',
        '--samples',
        join(dir, 'all-samples.jsonl'),
        '--windows',
        join(dir, 'windows.json'),
        '--target',
        target,
        '--as-of',
        asOf,
      ]);
      expect(JSON.parse(stdout.trim().split('\n').at(-1)!), target).toEqual(api);
    }
  });
});
