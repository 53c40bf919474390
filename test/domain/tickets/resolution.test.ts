import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Actor } from '#domain/actor';
import { danishCalendar } from '#domain/calendar/danish-calendar';
import { parseInstant } from '#domain/instant';
import type { Priority } from '#domain/sla/sla-policy';
import { parseResolutionTargets, RESOLUTION_TARGET_DAYS, resolutionOf, resolutionTargetsText } from '#domain/tickets/resolution';
import { changeTicket, openTicket, STATUSES, type Ticket, type TicketStatus, TRANSITIONS } from '#domain/tickets/ticket';
import { ticketView } from '#domain/tickets/ticket-view';
import { resolutionText } from '#domain/wording';

const calendar = danishCalendar();
const customer: Actor = { subject: 'u', role: 'customer', customerId: 'ACME' };
const agent: Actor = { subject: 'a', role: 'agent' };
const at = parseInstant;

function open(openedAt: string, priority: Priority = 'medium'): Ticket {
  return openTicket('ACME-1', 'ACME', { title: 't', description: 'd', category: 'other', priority }, customer, at(openedAt), calendar);
}

/** The ticket after each status change, in order, each at its instant. */
function walk(ticket: Ticket, steps: readonly (readonly [TicketStatus, string])[]): Ticket {
  return steps.reduce((t, [status, when]) => changeTicket(t, { status }, agent, at(when), calendar).ticket, ticket);
}

describe('resolution time, worked by hand in business minutes', () => {
  it.each<[string, string, readonly (readonly [TicketStatus, string])[], number]>([
    // Fri 14:00–16:00 (120) and Mon 08:00–10:30 (150).
    ['across a weekend', '2026-11-20T14:00:00+01:00', [['resolved', '2026-11-23T10:30:00+01:00']], 270],
    // Thu 15:00–16:00 (60); Fri 5 June is Constitution Day, a bank closing day; Mon 08:00–09:00 (60).
    ['across Constitution Day', '2026-06-04T15:00:00+02:00', [['resolved', '2026-06-08T09:00:00+02:00']], 120],
    // Opened Wed 23 Dec 09:00: Wed 09:00–16:00 (420) and Mon 28 Dec 08:00–11:00 (180) are 600; the wait from Wed 15:00
    // to Mon 10:00 spans Christmas Eve, Christmas Day, Boxing Day and a Sunday, and is Wed 60 + Mon 120 = 180 of them: 420 left.
    [
      'a wait on the customer across closed days left out',
      '2026-12-23T09:00:00+01:00',
      [
        ['waiting_on_customer', '2026-12-23T15:00:00+01:00'],
        ['in_progress', '2026-12-28T10:00:00+01:00'],
        ['resolved', '2026-12-28T11:00:00+01:00'],
      ],
      420,
    ],
    // Mon 08:00 to 11:00 is 180, waiting from 09:00 until the resolution itself (120): 60.
    [
      'resolved straight from waiting',
      '2026-11-23T08:00:00+01:00',
      [
        ['waiting_on_customer', '2026-11-23T09:00:00+01:00'],
        ['resolved', '2026-11-23T11:00:00+01:00'],
      ],
      60,
    ],
    // Tue 09:00–16:00 (420) + Wed 08:00–10:00 (120) = 540; waits 10–11 (60) and Tue 14:00 to Wed 09:00 (120 + 60): 300.
    // The hour it stood resolved before the reopen counts: it was not resolved after all.
    [
      'two waits and a reopen: the last resolution counts',
      '2026-11-24T09:00:00+01:00',
      [
        ['waiting_on_customer', '2026-11-24T10:00:00+01:00'],
        ['in_progress', '2026-11-24T11:00:00+01:00'],
        ['resolved', '2026-11-24T12:00:00+01:00'],
        ['in_progress', '2026-11-24T13:00:00+01:00'],
        ['waiting_on_customer', '2026-11-24T14:00:00+01:00'],
        ['in_progress', '2026-11-25T09:00:00+01:00'],
        ['resolved', '2026-11-25T10:00:00+01:00'],
      ],
      300,
    ],
    // Closed without being resolved: the closing counts. Opened Sat, so the clock starts Mon 08:00.
    ['closed unresolved, opened on a weekend', '2026-11-21T12:00:00+01:00', [['closed', '2026-11-23T08:45:00+01:00']], 45],
  ])('%s', (_name, openedAt, steps, minutes) => {
    const resolution = resolutionOf(walk(open(openedAt), steps), at('2027-01-15T12:00:00+01:00'), calendar);
    expect(resolution.businessMinutes).toBe(minutes);
    expect(resolution.withinTarget).toBe(true);
  });

  it('a reopen clears resolvedAt, in the same change, and says so in its event', () => {
    const resolved = walk(open('2026-11-24T09:00:00+01:00'), [['resolved', '2026-11-24T12:00:00+01:00']]);
    expect(resolved.resolvedAt).toBe(at('2026-11-24T12:00:00+01:00'));
    const { ticket, event } = changeTicket(resolved, { status: 'in_progress' }, agent, at('2026-11-24T13:00:00+01:00'), calendar);
    expect(ticket.resolvedAt).toBeUndefined();
    expect(event.changes.resolvedAt).toEqual({ from: at('2026-11-24T12:00:00+01:00'), to: null });
    expect(resolutionOf(ticket, at('2026-11-24T14:00:00+01:00'), calendar).businessMinutes).toBeUndefined();
    // Closing a resolved ticket keeps its resolution.
    expect(walk(resolved, [['closed', '2026-11-26T09:00:00+01:00']]).resolvedAt).toBe(resolved.resolvedAt);
  });

  it('measures against the target, its last minute included, and says when it runs out', () => {
    // Highest: 1 business day (480). Opened Thu 4 June 15:00: 60 on Thursday, Friday closed, 420 on Monday: Mon 8 June 15:00.
    const ticket = open('2026-06-04T15:00:00+02:00', 'highest');
    const running = resolutionOf(ticket, at('2026-06-08T09:00:00+02:00'), calendar);
    expect(running).toEqual({ targetMinutes: 480, resolveBy: at('2026-06-08T15:00:00+02:00') });
    expect(resolutionOf(walk(ticket, [['resolved', '2026-06-08T15:00:00+02:00']]), 0, calendar).withinTarget).toBe(true);
    expect(resolutionOf(walk(ticket, [['resolved', '2026-06-08T15:01:00+02:00']]), 0, calendar).withinTarget).toBe(false);
    // Waiting since Mon 14:00: as seen at 14:30 the clock is paused for those 30 minutes, and "resolve by" moves on with them.
    const waiting = walk(ticket, [['waiting_on_customer', '2026-06-08T14:00:00+02:00']]);
    expect(resolutionOf(waiting, at('2026-06-08T14:30:00+02:00'), calendar).resolveBy).toBe(at('2026-06-08T15:30:00+02:00'));
    // A stage's own targets.
    expect(resolutionOf(ticket, 0, calendar, { ...RESOLUTION_TARGET_DAYS, highest: 0.5 }).resolveBy).toBe(at('2026-06-08T11:00:00+02:00'));
  });

  it('a customer reads when and how long, never the target or its verdict', () => {
    const resolved = walk(open('2026-11-20T14:00:00+01:00'), [['resolved', '2026-11-23T10:30:00+01:00']]);
    const now = at('2026-11-23T11:00:00+01:00');
    expect(ticketView(resolved, now, calendar, agent).resolution).toEqual({
      resolvedAt: '2026-11-23T10:30:00.000+01:00',
      businessMinutes: 270,
      targetMinutes: 2400,
      resolveBy: '2026-11-27T14:00:00.000+01:00',
      withinTarget: true,
    });
    expect(ticketView(resolved, now, calendar, customer).resolution).toEqual({
      resolvedAt: '2026-11-23T10:30:00.000+01:00',
      businessMinutes: 270,
      targetMinutes: null,
      resolveBy: null,
      withinTarget: null,
    });
    expect(ticketView(open('2026-11-20T14:00:00+01:00'), now, calendar, agent).resolution).toMatchObject({ resolvedAt: null, businessMinutes: null, withinTarget: null });
  });

  it('reads as people write', () => {
    expect(resolutionText(190, { minutes: 480, within: true })).toBe('Resolved in 3 hours 10 minutes of business time, within the 1-day target');
    expect(resolutionText(2461, { minutes: 1440, within: false })).toBe('Resolved in 41 hours 1 minute of business time, over the 3-day target');
    expect(resolutionText(45)).toBe('Resolved in 45 minutes of business time');
  });

  it('reads a stage’s targets in business days, and refuses anything else', () => {
    expect(parseResolutionTargets('')).toEqual(RESOLUTION_TARGET_DAYS);
    expect(parseResolutionTargets(' highest=0.5, low = 8 ')).toEqual({ ...RESOLUTION_TARGET_DAYS, highest: 0.5, low: 8 });
    expect(resolutionTargetsText(RESOLUTION_TARGET_DAYS)).toBe('highest=1,high=3,medium=5,low=10,lowest=20');
    for (const bad of ['urgent=1', 'highest=0', 'highest=-1', 'highest=x', 'highest', 'highest=1=2', 'high=251']) expect(() => parseResolutionTargets(bad)).toThrow(/priority=business days/);
  });
});

/**
 * The oracle: two weeks of June 2026 (Copenhagen at +02:00 throughout, no DST
 * change), open Monday–Friday 08:00–16:00 except Constitution Day, written out
 * here; minute by minute, a minute counts when open and the ticket is not
 * waiting on the customer, from opening to the last resolution (or the closing).
 */
const MINUTE = 60_000;
const windowStart = at('2026-06-01T00:00:00+02:00');
const windowMinutes = 12 * 24 * 60;
function oracleOpen(t: number): boolean {
  const local = new Date(t + 2 * 60 * MINUTE);
  const weekday = local.getUTCDay();
  const minute = local.getUTCHours() * 60 + local.getUTCMinutes();
  return weekday >= 1 && weekday <= 5 && local.toISOString().slice(0, 10) !== '2026-06-05' && minute >= 480 && minute < 960;
}

function oracleMinutes(openedAt: number, history: readonly (readonly [TicketStatus, number])[]): number | undefined {
  let resolvedAt: number | undefined;
  for (const [status, when] of history) {
    if (status === 'resolved') resolvedAt = when;
    else if (status === 'in_progress') resolvedAt = undefined;
    else if (status === 'closed') resolvedAt ??= when;
  }
  if (resolvedAt === undefined) return undefined;
  let count = 0;
  for (let t = openedAt; t < resolvedAt; t += MINUTE) {
    const status = history.filter(([, when]) => when <= t).at(-1)?.[0] ?? 'open';
    if (oracleOpen(t) && status !== 'waiting_on_customer') count++;
  }
  return count;
}

describe('resolution time against a minute-by-minute oracle', () => {
  it('agrees for random status histories over two weeks with a closed day', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3 * 24 * 60 }), fc.array(fc.tuple(fc.integer({ min: 1, max: 24 * 60 }), fc.constantFrom(...STATUSES)), { maxLength: 8 }), (startMinute, steps) => {
        const openedAt = windowStart + startMinute * MINUTE;
        let ticket = openTicket('ACME-1', 'ACME', { title: 't', description: 'd', category: 'other', priority: 'medium' }, customer, openedAt, calendar);
        const history: [TicketStatus, number][] = [];
        let when = openedAt;
        for (const [gap, status] of steps) {
          if (!TRANSITIONS[ticket.status].includes(status) || when + gap * MINUTE >= windowStart + windowMinutes * MINUTE) continue;
          when += gap * MINUTE;
          ticket = changeTicket(ticket, { status }, agent, when, calendar).ticket;
          history.push([status, when]);
        }
        expect(resolutionOf(ticket, when, calendar).businessMinutes).toBe(oracleMinutes(openedAt, history));
      }),
      { numRuns: 300 },
    );
  });
});
