import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli';
import { aTicket, type Cast, castOf, startTestStack, type TestStack } from '../support/test-stack';

let stack: TestStack;
let tokens: Cast;

const jump = (instant: string) => stack.at.jump(instant);

beforeAll(async () => {
  // The monthly schedule on, as `npm start` runs it.
  stack = await startTestStack({ clockStart: '2026-11-02T09:00:00+01:00', monthlyReports: true });
  tokens = await castOf(stack);
  for (const [id, name] of [
    ['ACME', 'Acme A/S'],
    ['GLOBEX', 'Globex GmbH'],
  ] as const) {
    const body = { name, contacts: [{ email: `finance@${id.toLowerCase()}.example`, receives: ['reports', 'approvals'] }], consultancyRate: { hourly: '1250', currency: 'DKK' } };
    expect((await stack.call('PUT', `/customers/${id}`, { token: tokens.admin, body })).status).toBe(200);
  }
  // November: ACME answered in time, GLOBEX's Highest missed; 2 h of approved consultancy for ACME; two probe runs.
  const acme = (await stack.call('POST', '/tickets', { token: tokens.acme, body: aTicket({ priority: 'high' }) })).body.id as string;
  const globex = (await stack.call('POST', '/tickets', { token: tokens.globex, body: aTicket({ priority: 'highest' }) })).body.id as string;
  await stack.runProbe();
  await jump('2026-11-02T10:00:00+01:00');
  expect((await stack.call('POST', `/tickets/${acme}/comments`, { token: tokens.agent, body: { body: 'On it', visibility: 'public' } })).status).toBe(201);
  await stack.runProbe();
  const cr = (await stack.call('POST', '/consultancy', { token: tokens.agent, body: { customerId: 'ACME', service: 'crm-flows', description: 'Flows', estimateHours: 4 } })).body.id as string;
  expect((await stack.call('POST', `/consultancy/${cr}/approve`, { token: tokens.acme })).status).toBe(200);
  expect((await stack.call('POST', `/consultancy/${cr}/time`, { token: tokens.agent, body: { hours: 2, date: '2026-11-02', note: 'Design' } })).status).toBe(201);
  expect(globex).toMatch(/^GLOBEX-/);
});
afterAll(() => stack.stop());

const file = (name: string, who: keyof Cast = 'finance', query = '') => stack.call('GET', `/reports/2026-11/${name}${query}`, { token: tokens[who] });

describe('monthly reports', () => {
  it("done when: once the clock passes 1 December 06:00, November's report exists in all six files without any call", async () => {
    await jump('2026-12-01T05:59:00+01:00');
    expect((await stack.call('GET', '/reports/2026-11', { token: tokens.finance })).status).toBe(404);
    await jump('2026-12-01T06:00:00+01:00');
    const versions = await stack.call('GET', '/reports/2026-11', { token: tokens.finance });
    expect(versions.status).toBe(200);
    expect(versions.body).toEqual({
      month: '2026-11',
      versions: [{ month: '2026-11', version: 1, createdAt: '2026-12-01T06:00:00.000+01:00', by: 'schedule', byName: 'sla-desk', reason: 'the monthly schedule' }],
      files: ['report.json', 'availability.csv', 'sla.csv', 'resolution.csv', 'consultancy.csv', 'report.html'],
    });
    for (const [name, type] of [
      ['report.json', 'application/json'],
      ['availability.csv', 'text/csv'],
      ['sla.csv', 'text/csv'],
      ['resolution.csv', 'text/csv'],
      ['consultancy.csv', 'text/csv'],
      ['report.html', 'text/html'],
    ]) {
      const reply = await file(name!);
      expect([name, reply.status]).toEqual([name, 200]);
      expect(reply.headers.get('content-type')).toMatch(new RegExp(`^${type}`));
    }
    // The page names the approver as their record does, when it is read; the version's files keep only the id.
    for (const who of ['finance', 'acme'] as const) {
      const approvals = (await file('report.html', who)).text.match(/The approvals behind it.*?<\/table>/s)![0];
      expect([who, approvals]).toEqual([who, expect.stringContaining('<td>Alice at ACME</td>')]);
      expect(approvals).not.toContain('local-');
    }
    const stored = join(stack.dataDir, 'reports', '2026-11', 'v1');
    expect((await readdir(stored)).sort()).toEqual(['availability.csv', 'consultancy.csv', 'report.json', 'sla.csv']);
    for (const name of await readdir(stored)) expect([name, await readFile(join(stored, name), 'utf8')]).not.toEqual([name, expect.stringMatching(/Alice|alice@/)]);
    expect((await file('report.json')).body.consultancy.approvals[0].approvedBy).toBe('local-customer-acme');
    const report = (await file('report.json')).body;
    expect(report).toMatchObject({ month: '2026-11', version: 1, customerId: null, inputs: { tickets: 2, timeEntries: 1, customers: 2 } });
    expect(report.sla.total).toMatchObject({ opened: 2, met: 1, breached: 1, running: 0, percentMet: 50 });
    expect(report.sla.breaches.map((b: any) => [b.customerId, b.priority])).toEqual([['GLOBEX', 'highest']]);
    expect(report.consultancy.totals).toEqual([{ customerId: 'ACME', service: 'crm-flows', billableHours: 2, rate: '1250.00', currency: 'DKK', amount: '2500.00' }]);
    expect(parse((await file('consultancy.csv')).text, { columns: true })).toEqual([
      { customerId: 'ACME', service: 'crm-flows', billableHours: '2', rate: '1250.00', currency: 'DKK', amount: '2500.00', serviceName: 'Advanced configuration of CRM flows' },
    ]);

    await stack.runTimers();
    const lines = (await readFile(join(stack.dataDir, 'outbox.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
      .filter((l) => l.kind === 'report-ready' && l.report === '2026-11-v1');
    expect(lines.map((l) => [l.channel, l.recipients ?? null]).sort()).toEqual([
      ['email', ['finance@acme.example']],
      ['email', ['finance@globex.example']],
      ['email', ['finance@sla-desk.local']],
      ['sns', null],
    ]);
  });

  it('generating again adds version 2 and keeps version 1 byte for byte; the year lists its months', async () => {
    const before = (await file('report.json', 'finance', '?version=1')).text;
    const again = await stack.call('POST', '/reports/2026-11', { token: tokens.finance, body: { reason: 'A late first response was corrected' } });
    expect([again.status, again.body]).toEqual([202, { month: '2026-11', status: 'accepted', versions: '/reports/2026-11' }]);
    const versions = (await stack.call('GET', '/reports/2026-11', { token: tokens.admin })).body.versions;
    expect(versions.map((v: any) => [v.version, v.by, v.reason])).toEqual([
      [1, 'schedule', 'the monthly schedule'],
      [2, 'local-finance', 'A late first response was corrected'],
    ]);
    expect((await file('report.json', 'finance', '?version=1')).text).toBe(before);
    expect((await file('report.json')).body.version).toBe(2);
    expect((await file('report.json', 'finance', '?version=9')).status).toBe(404);
    const year = await stack.call('GET', '/reports?year=2026', { token: tokens.finance });
    // October's came when the stack started: the schedule catches up a month it missed.
    expect(year.body.months.map((m: any) => [m.month, m.version])).toEqual([
      ['2026-10', 1],
      ['2026-11', 2],
    ]);
  });

  it('a customer reads its own slice at the same URLs; the all-customer CSVs are 403, and agents read none', async () => {
    const acme = await file('report.json', 'acme');
    expect(acme.status).toBe(200);
    expect(acme.body.customerId).toBe('ACME');
    expect(acme.body.sla.total).toMatchObject({ opened: 1, met: 1, breached: 0 });
    expect(acme.text).not.toContain('GLOBEX');
    const page = await file('report.html', 'globex');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Monthly report, November 2026: customer GLOBEX');
    expect(page.text).not.toContain('ACME');
    expect(page.headers.get('content-security-policy')).toBe("default-src 'none'; style-src 'unsafe-inline'; img-src data:");
    expect((await file('availability.csv', 'acme')).status).toBe(200);
    for (const name of ['sla.csv', 'resolution.csv', 'consultancy.csv']) expect((await file(name, 'acme')).status).toBe(403);
    expect((await stack.call('GET', '/reports/2026-11', { token: tokens.acme })).body.files).toEqual(['report.json', 'availability.csv', 'report.html']);
    for (const path of ['/reports/2026-11', '/reports/2026-11/report.json', '/reports?year=2026']) expect((await stack.call('GET', path, { token: tokens.agent })).status).toBe(403);
  });

  it('only finance and admins generate, only a month that has ended, and a bad month or file names no report', async () => {
    for (const who of ['acme', 'agent'] as const) expect((await stack.call('POST', '/reports/2026-11', { token: tokens[who] })).status).toBe(403);
    const early = await stack.call('POST', '/reports/2026-12', { token: tokens.admin });
    expect([early.status, early.body.detail]).toEqual([409, "2026-12 has not ended yet: a month's report is made once it is over"]);
    expect((await stack.call('POST', '/reports/2026-13', { token: tokens.admin })).status).toBe(404);
    expect((await file('secrets.txt')).status).toBe(404);
    expect((await stack.call('GET', '/reports/2025-01', { token: tokens.finance })).status).toBe(404);
    expect((await stack.call('GET', '/reports?year=nope', { token: tokens.finance })).status).toBe(400);
    expect((await stack.call('GET', '/reports/2026-11', { token: tokens.admin })).body.versions).toHaveLength(2);
  });

  it("the availability figures equal what the CLI recomputes from the month's samples export", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sla-desk-report-'));
    const samples = await stack.call('GET', '/availability/samples?month=2026-11&target=api', { token: tokens.finance });
    const windows = await stack.call('GET', '/service-windows?month=2026-11', { token: tokens.finance });
    await writeFile(join(dir, 'samples.jsonl'), samples.text);
    await writeFile(join(dir, 'windows.json'), windows.text);
    const cli = await runCli(['availability', '--month', '2026-11', '--samples', join(dir, 'samples.jsonl'), '--windows', join(dir, 'windows.json'), '--as-of', '2026-12-01T00:00:00+01:00']);
    expect(cli.code, cli.stderr).toBe(0);
    const recomputed = JSON.parse(cli.stdout.trim().split('\n').at(-1)!);
    const [api] = (await file('report.json')).body.availability.targets;
    for (const key of ['eligibleSlots', 'upSlots', 'downSlots', 'missingSlots', 'excludedSlots', 'availabilityPercent', 'targetMet']) expect([key, api[key]]).toEqual([key, recomputed[key]]);
    expect(api.upSlots).toBe(2);
  });
});

describe('where files can be linked to (S3)', () => {
  it("the provider is sent to the stored file's link, while a customer's slice is still cut and served by the API", async () => {
    const { ReportService } = await import('#domain/reports/report-service');
    const deps = stack.dependencies;
    const links: string[] = [];
    const linked = new ReportService({
      ...deps,
      reportFiles: {
        put: deps.reportFiles.put.bind(deps.reportFiles),
        get: deps.reportFiles.get.bind(deps.reportFiles),
        link: async (month, version, file) => {
          links.push(`${month}/v${version}/${file}`);
          return 'https://signed.example/x';
        },
      },
    });
    const month = '2026-11' as Parameters<typeof linked.file>[1];
    expect(await linked.file({ subject: 'f', role: 'finance' }, month, 'sla.csv')).toEqual({ link: 'https://signed.example/x', version: 2 });
    const slice = await linked.file({ subject: 'c', role: 'customer', customerId: 'ACME' }, month, 'report.json', 1);
    expect('body' in slice && JSON.parse(slice.body).customerId).toBe('ACME');
    // The page names people, so it is rendered when read, never linked to a stored file.
    const page = await linked.file({ subject: 'f', role: 'finance' }, month, 'report.html');
    expect('body' in page && page.body).toContain('Monthly report, November 2026: all customers');
    expect(links).toEqual(['2026-11/v2/sla.csv']);
  });
});
