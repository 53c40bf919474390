import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handler as timerHandler } from '#handlers/timer/sla-timer';
import { invocation } from '../../bin/local/invocation';
import { aTicket, startTestStack, type TestStack } from '../support/test-stack';

let stack: TestStack;
let customer: string;
let agent: string;
let admin: string;

beforeAll(async () => {
  stack = await startTestStack({ clockStart: '2026-06-04T15:30:00+02:00' });
  customer = await stack.token('customer', 'ACME');
  agent = await stack.token('agent');
  admin = await stack.token('admin');
  await stack.call('PUT', '/customers/ACME', {
    token: admin,
    body: {
      name: 'Acme A/S',
      contacts: [
        { email: 'it@acme.example', receives: ['alerts'] },
        { email: 'finance@acme.example', receives: ['reports'] },
      ],
    },
  });
});
afterAll(() => stack.stop());

interface OutboxLine {
  id: string;
  channel: 'email' | 'sns';
  kind: 'warning' | 'breach' | 'breach-notice';
  ticketId: string;
  subject: string;
  body: string;
  recipients?: string[];
  hypercare: boolean;
}

async function outbox(ticketId: string): Promise<OutboxLine[]> {
  const text = await readFile(join(stack.dataDir, 'outbox.jsonl'), 'utf8').catch(() => '');
  return (
    text
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as OutboxLine)
      // The SLA's alerts: a ticket's own emails (received, urgent) are another story (test/api/ticket-mail.test.ts).
      .filter((l) => l.ticketId === ticketId && !l.kind.startsWith('ticket-'))
  );
}
const count = (lines: OutboxLine[], kind: string, channel: string) => lines.filter((l) => l.kind === kind && l.channel === channel).length;
const jump = (now: string) => stack.at.jump(now);
const open = async (priority = 'highest') => (await stack.call('POST', '/tickets', { token: customer, body: aTicket({ priority }) })).body;

describe('SLA timers and breach alerts through the local stack', () => {
  it('a Highest ticket opened Thursday 4 June 2026 15:30 breaches on Monday 8 June at 08:30, once per channel, not a minute before', async () => {
    const ticket = await open();
    expect(ticket.firstResponseDueAt).toBe('2026-06-08T08:30:00.000+02:00');

    await jump('2026-06-05T12:00:00+02:00'); // Constitution Day: a bank closing day
    await jump('2026-06-08T08:14:59+02:00');
    expect(await outbox(ticket.id)).toEqual([]);

    await jump('2026-06-08T08:15:00+02:00'); // 45 of 60 business minutes used
    const warned = await outbox(ticket.id);
    expect(warned.map((l) => `${l.kind}/${l.channel}`).sort()).toEqual(['warning/email', 'warning/sns']);
    expect(warned.find((l) => l.channel === 'email')!.recipients).toEqual(['oncall@sla-desk.local']);

    await jump('2026-06-08T08:29:00+02:00');
    expect(count(await outbox(ticket.id), 'breach', 'email')).toBe(0);

    await jump('2026-06-08T08:30:00+02:00');
    await jump('2026-06-08T09:30:00+02:00');
    await stack.runTimers();
    const lines = await outbox(ticket.id);
    expect(count(lines, 'breach', 'email')).toBe(1);
    expect(count(lines, 'breach', 'sns')).toBe(1);
    expect(count(lines, 'breach-notice', 'email')).toBe(1);
    const email = lines.find((l) => l.id === `${ticket.id}:breach:email`)!;
    expect(email.subject).toBe(`[SLA breach] ${ticket.id} Highest: first response overdue since 08:30 (Copenhagen)`);
    expect(email.recipients).toEqual(['oncall@sla-desk.local']);
    // The customer's alert contact has a letter of its own: what happened, and where to follow the ticket.
    const told = lines.find((l) => l.id === `${ticket.id}:breach-notice:email`)!;
    expect([told.subject, told.recipients]).toEqual([`[${ticket.id}] Our first response is late: the support desk is on it`, ['it@acme.example']]);
    expect(told.body).toContain(`Open your ticket: ${stack.url}/#/tickets/${ticket.id}`);
    expect(email.body).toContain('Fri 5 Jun 2026: closed (Constitution Day, bank closing day)');
    expect(email.body).toContain(`Open the ticket: ${stack.url}/#/tickets/${ticket.id}`);

    const seen = await stack.call('GET', `/tickets/${ticket.id}`, { token: customer });
    expect(seen.body.breachedAt).toBe('2026-06-08T08:30:00.000+02:00');
    expect(seen.body.sla.state).toBe('breached');
    const events = await stack.call('GET', `/tickets/${ticket.id}/events`, { token: agent });
    expect(events.body.items.map((e: { type: string }) => e.type)).toEqual(['ticket.opened', 'sla.warning', 'sla.breached']);
  });

  it('an answered ticket gets no alerts, and its timers are gone', async () => {
    await jump('2026-06-09T09:00:00+02:00');
    const ticket = await open();
    await jump('2026-06-09T09:20:00+02:00');
    expect((await stack.call('POST', `/tickets/${ticket.id}/comments`, { token: agent, body: { body: 'On it', visibility: 'public' } })).body.firstResponse).toBe(true);
    await jump('2026-06-09T12:00:00+02:00');
    expect(await outbox(ticket.id)).toEqual([]);
    expect((await stack.call('GET', `/tickets/${ticket.id}`, { token: customer })).body.sla.state).toBe('met');
  });

  it('a priority change replaces the timers', async () => {
    await jump('2026-06-10T09:00:00+02:00');
    const ticket = await open('lowest');
    await stack.call('PATCH', `/tickets/${ticket.id}`, { token: agent, body: { priority: 'highest' } });
    await jump('2026-06-10T10:00:00+02:00');
    expect(count(await outbox(ticket.id), 'breach', 'sns')).toBe(1);
  });

  it('a ticket closed unanswered before its deadline raises nothing', async () => {
    await jump('2026-06-11T09:00:00+02:00');
    const ticket = await open();
    await stack.call('PATCH', `/tickets/${ticket.id}`, { token: agent, body: { status: 'closed' } });
    await jump('2026-06-11T12:00:00+02:00');
    expect(await outbox(ticket.id)).toEqual([]);
  });

  it('a first response that comes after the deadline records the breach once, racing the timer', async () => {
    const days = ['2026-07-01', '2026-07-02', '2026-07-03', '2026-07-06', '2026-07-07', '2026-07-08', '2026-07-09', '2026-07-10'];
    for (const [round, day] of days.entries()) {
      await jump(`${day}T08:00:00+02:00`);
      const ticket = await open();
      // The deadline arrives without the loop running, then the answer and the timer race.
      stack.clock.set(Date.parse(ticket.firstResponseDueAt) + (round % 3) * 1000);
      const [reply] = await Promise.all([
        stack.call('POST', `/tickets/${ticket.id}/comments`, { token: agent, body: { body: 'Sorry for the wait', visibility: 'public' } }),
        stack.runTimers(),
        timerHandler({ ticketId: ticket.id, customerId: 'ACME', kind: 'breach', dueAt: new Date(Date.parse(ticket.firstResponseDueAt)).toISOString() }, invocation('timer', stack.dependencies)),
      ]);
      expect(reply.status).toBe(201);
      await stack.runTimers();
      const lines = await outbox(ticket.id);
      expect([count(lines, 'breach', 'email'), count(lines, 'breach', 'sns'), count(lines, 'breach-notice', 'email')], `round ${round}`).toEqual([1, 1, 1]);
      const seen = await stack.call('GET', `/tickets/${ticket.id}`, { token: customer });
      expect(seen.body.sla.state).toBe('breached');
      expect(seen.body.breachedAt).not.toBeNull();
    }
  });

  it('N concurrent duplicate firings give one alert per channel', async () => {
    await jump('2026-07-13T09:00:00+02:00');
    const ticket = await open();
    stack.clock.set(Date.parse(ticket.firstResponseDueAt) + 60_000);
    const event = { ticketId: ticket.id, customerId: 'ACME', kind: 'breach' as const, dueAt: new Date(Date.parse(ticket.firstResponseDueAt)).toISOString() };
    await Promise.all(Array.from({ length: 12 }, () => timerHandler(event, invocation('timer', stack.dependencies))));
    await stack.runTimers();
    const lines = await outbox(ticket.id);
    expect([count(lines, 'breach', 'email'), count(lines, 'breach', 'sns'), count(lines, 'breach-notice', 'email')]).toEqual([1, 1, 1]);
  });

  it('an early firing re-arms instead of breaching', async () => {
    await jump('2026-07-14T09:00:00+02:00');
    const ticket = await open();
    const firing = await timerHandler(
      { ticketId: ticket.id, customerId: 'ACME', kind: 'breach', dueAt: new Date(Date.parse(ticket.firstResponseDueAt)).toISOString() },
      invocation('timer', stack.dependencies),
    );
    expect(firing).toMatchObject({ action: 'reschedule' });
    expect(await outbox(ticket.id)).toEqual([]);
    await jump('2026-07-14T10:00:00+02:00');
    expect(count(await outbox(ticket.id), 'breach', 'email')).toBe(1);
  });

  it('a deadline already due when set is checked at once, not scheduled', async () => {
    await jump('2026-07-15T09:00:00+02:00');
    const ticket = await open('lowest');
    stack.clock.set(Date.parse('2026-07-15T11:00:00+02:00')); // no timer round runs
    const changed = await stack.call('PATCH', `/tickets/${ticket.id}`, { token: agent, body: { priority: 'highest' } });
    expect(changed.body.firstResponseDueAt).toBe('2026-07-15T10:00:00.000+02:00');
    await stack.runTimers(); // the background relay may hold one of the alerts: let its round finish
    const lines = await outbox(ticket.id);
    expect([count(lines, 'breach', 'email'), count(lines, 'breach', 'sns')]).toEqual([1, 1]);
  });

  it('closing an unanswered ticket after its deadline records the breach; before it, the promise was kept', async () => {
    await jump('2026-07-16T09:00:00+02:00');
    const late = await open();
    const early = await open();
    await stack.call('PATCH', `/tickets/${early.id}`, { token: agent, body: { status: 'closed' } });
    stack.clock.set(Date.parse('2026-07-16T10:30:00+02:00')); // no timer round runs
    await stack.call('PATCH', `/tickets/${late.id}`, { token: agent, body: { status: 'closed' } });
    await stack.runTimers(); // the background relay may hold one of the alerts: let its round finish
    expect([count(await outbox(late.id), 'breach', 'email'), count(await outbox(late.id), 'breach', 'sns')]).toEqual([1, 1]);
    expect((await stack.call('GET', `/tickets/${late.id}`, { token: customer })).body.sla.state).toBe('breached');
    const kept = (await stack.call('GET', `/tickets/${early.id}`, { token: customer })).body.sla;
    expect(kept).toMatchObject({ state: 'met', usedMinutes: 0 });
  });

  it("a settled ticket's priority can no longer change", async () => {
    await jump('2026-07-17T09:00:00+02:00');
    const ticket = await open('lowest');
    await stack.call('POST', `/tickets/${ticket.id}/comments`, { token: agent, body: { body: 'Looking', visibility: 'public' } });
    const change = await stack.call('PATCH', `/tickets/${ticket.id}`, { token: agent, body: { priority: 'highest' } });
    expect(change.status).toBe(409);
    expect(change.body.type).toBe('/problems/sla-settled');
    expect((await stack.call('GET', `/tickets/${ticket.id}`, { token: customer })).body.sla.state).toBe('met');
  });

  it('alerts carry the hypercare flag from the customer profile, end to end', async () => {
    await jump('2026-07-20T09:00:00+02:00');
    await stack.call('PUT', '/customers/GLOBEX', {
      token: admin,
      body: { name: 'Globex', contacts: [{ email: 'ops@globex.example', receives: ['alerts', 'notices'] }], goLiveAt: '2026-07-13T08:00:00+02:00', hypercareWeeks: 4 },
    });
    const globex = await stack.token('customer', 'GLOBEX');
    const inHypercare = (await stack.call('POST', '/tickets', { token: globex, body: aTicket({ priority: 'highest' }) })).body;
    const standard = await open();
    await jump('2026-07-20T10:30:00+02:00');
    await stack.runTimers();
    const flags = async (id: string) => [...new Set((await outbox(id)).filter((l) => l.kind === 'breach').map((l) => l.hypercare))];
    expect(await flags(inHypercare.id)).toEqual([true]);
    expect(await flags(standard.id)).toEqual([false]);
    const emails = (await outbox(inHypercare.id)).filter((l) => l.channel === 'email' && l.kind.startsWith('breach')).sort((x, y) => x.id.localeCompare(y.id));
    expect(emails.map((l) => [l.id, l.recipients])).toEqual([
      [`${inHypercare.id}:breach-notice:email`, ['ops@globex.example']],
      [`${inHypercare.id}:breach:email`, ['oncall@sla-desk.local', 'escalation@sla-desk.local']],
    ]);
  });

  it('heightened support in hypercare: a High ticket is flagged, warned at half its window, and escalated; a Medium one is not', async () => {
    await jump('2026-07-21T09:00:00+02:00');
    await stack.call('PUT', '/customers/GLOBEX', {
      token: admin,
      body: { name: 'Globex', contacts: [{ email: 'ops@globex.example', receives: ['alerts', 'notices'] }], goLiveAt: '2026-07-13T08:00:00+02:00', hypercareWeeks: 4 },
    });
    const globex = await stack.token('customer', 'GLOBEX');
    const high = (await stack.call('POST', '/tickets', { token: globex, body: aTicket({ priority: 'high' }) })).body;
    const medium = (await stack.call('POST', '/tickets', { token: globex, body: aTicket({ priority: 'medium' }) })).body;
    const standard = await open('high');
    expect([high.hypercare, medium.hypercare, standard.hypercare]).toEqual([true, true, false]);

    // High: 4 business hours from 09:00, so half at 11:00 (standard: three quarters, 12:00).
    await jump('2026-07-21T10:59:00+02:00');
    expect(await outbox(high.id)).toEqual([]);
    await jump('2026-07-21T11:00:00+02:00');
    await stack.runTimers();
    const warning = (await outbox(high.id)).find((l) => l.kind === 'warning' && l.channel === 'email')!;
    expect(warning.recipients).toEqual(['oncall@sla-desk.local', 'escalation@sla-desk.local']);
    expect(await outbox(standard.id)).toEqual([]);
    await jump('2026-07-21T12:00:00+02:00');
    await stack.runTimers();
    expect((await outbox(standard.id)).find((l) => l.kind === 'warning' && l.channel === 'email')!.recipients).toEqual(['oncall@sla-desk.local']);

    await jump('2026-07-21T13:00:00+02:00');
    await stack.runTimers();
    const breach = (await outbox(high.id)).find((l) => l.kind === 'breach' && l.channel === 'email')!;
    expect(breach.recipients).toEqual(['oncall@sla-desk.local', 'escalation@sla-desk.local']);
    expect((await outbox(high.id)).find((l) => l.kind === 'breach-notice')!.recipients).toEqual(['ops@globex.example']);
    expect((await outbox(high.id)).filter((l) => l.channel === 'sns').every((l) => l.hypercare)).toBe(true);
    // Medium in hypercare: the usual warning point (6 of 8 hours), and on-call only.
    await jump('2026-07-21T15:00:00+02:00');
    await stack.runTimers();
    expect((await outbox(medium.id)).find((l) => l.kind === 'warning' && l.channel === 'email')!.recipients).toEqual(['oncall@sla-desk.local']);
  });

  it('a malformed timer event is dropped without a retry storm', async () => {
    expect(await timerHandler({ ticketId: 'nope', kind: 'breach' }, invocation('timer', stack.dependencies))).toMatchObject({ action: 'ignore' });
  });
});
