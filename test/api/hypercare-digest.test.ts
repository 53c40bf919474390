import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeTarget } from '../support/probe-target';
import { aTicket, type Cast, castOf, startTestStack, type TestStack } from '../support/test-stack';

/*
 * A seeded hypercare week, Monday 30 November to Monday 7 December 2026, and the
 * digest that reports it. The week crosses a month boundary, so its availability
 * and the month to date differ.
 */

let stack: TestStack;
let tokens: Cast;
let measured: Awaited<ReturnType<typeof probeTarget>>;

beforeAll(async () => {
  measured = await probeTarget('api');
  stack = await startTestStack({ clockStart: '2026-11-30T07:00:00+01:00', probeTargets: [measured.target] });
  tokens = await castOf(stack);
});
afterAll(async () => {
  await stack.stop();
  await measured.close();
});

const at = (iso: string) => stack.clock.set(Date.parse(iso));
const probe = async (iso: string, answer: number) => {
  at(iso);
  measured.answer(answer);
  await stack.runProbe();
};
const open = async (iso: string, priority: string, title: string): Promise<string> => {
  at(iso);
  const { status, body } = await stack.call('POST', '/tickets', { token: tokens.acme, body: aTicket({ priority, title }) });
  expect(status).toBe(201);
  return body.id;
};
const answer = async (iso: string, id: string) => {
  at(iso);
  expect((await stack.call('POST', `/tickets/${id}/comments`, { token: tokens.agent, body: { body: 'On it', visibility: 'public' } })).status).toBe(201);
};

describe('the hypercare digest of a seeded week', () => {
  it("reports the week's tickets, open tickets with their SLA state, availability week and month to date with incidents, upcoming windows and the criteria", async () => {
    at('2026-11-30T07:00:00+01:00');
    const customer = {
      name: 'Acme A/S',
      contacts: [
        { email: 'pm@acme.example', receives: ['updates'] },
        { email: 'ops@acme.example', receives: ['alerts'] },
      ],
      goLiveAt: '2026-11-23T08:00:00+01:00',
      hypercareWeeks: 4,
    };
    expect((await stack.call('PUT', '/customers/ACME', { token: tokens.admin, body: customer })).status).toBe(200);

    const before = await open('2026-11-30T07:10:00+01:00', 'lowest', 'Export is slow'); // opened before the week
    const answered = await open('2026-11-30T09:00:00+01:00', 'high', 'Login fails for some users');
    await answer('2026-11-30T09:30:00+01:00', answered);
    await probe('2026-11-30T10:00:00+01:00', 503);
    await probe('2026-11-30T10:05:00+01:00', 503);
    await probe('2026-11-30T10:10:00+01:00', 200);
    const waiting = await open('2026-12-01T09:00:00+01:00', 'medium', 'Report totals differ');
    const resolved = await open('2026-12-02T10:00:00+01:00', 'low', 'Typo in the invoice footer');
    await answer('2026-12-02T10:30:00+01:00', resolved);
    at('2026-12-02T11:00:00+01:00');
    expect((await stack.call('PATCH', `/tickets/${resolved}`, { token: tokens.agent, body: { status: 'resolved' } })).status).toBe(200);
    await probe('2026-12-02T12:00:00+01:00', 200);
    await probe('2026-12-02T12:05:00+01:00', 200);
    await probe('2026-12-03T09:00:00+01:00', 200);
    at('2026-12-03T10:00:00+01:00');
    for (const [start, end, reason] of [
      ['2026-12-10T18:00:00+01:00', '2026-12-10T20:00:00+01:00', 'Database upgrade'],
      ['2027-01-14T18:00:00+01:00', '2027-01-14T20:00:00+01:00', 'Beyond the horizon'],
    ]) {
      expect((await stack.call('POST', '/service-windows', { token: tokens.agent, body: { start, end, reason } })).status).toBe(201);
    }
    expect((await stack.call('POST', '/customers/ACME/hypercare/signoff', { token: tokens.agent })).status).toBe(200);

    at('2026-12-07T08:00:00+01:00');
    await stack.runTimers();
    const lines = (await readFile(join(stack.dataDir, 'outbox.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
      .filter((l) => l.id === 'ACME:hypercare-digest:2026-12-07');
    expect(lines).toHaveLength(1);
    const [digest] = lines;
    expect(digest).toMatchObject({ channel: 'email', kind: 'hypercare-digest', customerId: 'ACME', recipients: ['pm@acme.example'], subject: '[Hypercare update] Acme A/S: week to Mon 7 Dec 2026' });
    const body: string[] = digest.body.split('\n');
    expect(body[0]).toBe('Read how your hypercare went this week, and sign off in the console once you find the system stable.');
    expect(body[1]).toBe(`Open hypercare: ${stack.url}/#/hypercare`);
    expect(body).toContain('Hypercare: Active');
    expect(body).toContain('Planned end: Mon 21 Dec 2026, 08:00');
    expect(body).toContain('- Met: Two weeks in operation (Mon 7 Dec 2026, 08:00)');
    expect(body).toContain("- Met: The provider's sign-off (Thu 3 Dec 2026, 10:00)");
    expect(body).toContain("- Not yet: The customer's sign-off");
    expect(body).toContain('This week: 3 opened, 2 answered, 1 resolved');
    const openLines = body.slice(body.indexOf('Open tickets:') + 1, body.indexOf('', body.indexOf('Open tickets:')));
    expect(openLines).toHaveLength(3);
    expect(openLines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`^- ${before}: Export is slow \\(Lowest, Open; first response late\\)$`)),
        expect.stringMatching(new RegExp(`^- ${answered}: Login fails for some users \\(High, Open; answered in time\\)$`)),
        expect.stringMatching(new RegExp(`^- ${waiting}: Report totals differ \\(Medium, Open; first response late\\)$`)),
      ]),
    );
    expect(body.join('\n')).not.toContain(resolved);
    // Week: 30 Nov + 1–4 Dec, 5 × 96 operating slots, 4 up; December to date: 1–4 Dec, 384 slots, 3 up.
    expect(body).toContain(`- api: this week ${((100 * 4) / 480).toFixed(2)}%, this month to date ${((100 * 3) / 384).toFixed(2)}% (target 99.5%)`);
    expect(body).toContain('- api was down from Mon 30 Nov 2026, 10:00, 10 minutes');
    const windows = body.slice(body.indexOf('Upcoming service windows:') + 1);
    expect(windows).toEqual(['- Thu 10 Dec 2026, 18:00 to 20:00: Database upgrade']);
  });
});
