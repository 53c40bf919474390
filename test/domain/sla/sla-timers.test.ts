import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { danishCalendar } from '#domain/calendar/danish-calendar';
import { parseInstant } from '#domain/instant';
import { MAX_REARMS, planTimers, slaTimers, sweepCutoff, TIMER_KINDS, timerName } from '#domain/sla/sla-timers';
import type { Actor } from '#domain/actor';
import { openTicket } from '#domain/tickets/ticket';
import type { Priority } from '#domain/sla/sla-policy';

const calendar = danishCalendar();
const customer: Actor = { subject: 'u', role: 'customer', customerId: 'ACME' };
const ticketAt = (opened: string, priority: Priority) => openTicket('ACME-42', 'ACME', { title: 't', description: 'd', category: 'other', priority }, customer, parseInstant(opened), calendar);

describe('SLA timers', () => {
  it.each<[string, Priority, string, string]>([
    // Thursday 15:30 before Constitution Day: 45 of 60 minutes are used at Monday 08:15.
    ['2026-06-04T15:30:00+02:00', 'highest', '2026-06-08T06:15:00.000Z', '2026-06-08T06:30:00.000Z'],
    // 8 hours from 08:00: warning after 6 business hours.
    ['2026-11-24T08:00:00+01:00', 'medium', '2026-11-24T13:00:00.000Z', '2026-11-24T15:00:00.000Z'],
    // 16 hours from Wednesday noon before New Year: warning after 12 business hours.
    ['2026-12-30T12:00:00+01:00', 'lowest', '2027-01-04T15:00:00.000Z', '2027-01-05T11:00:00.000Z'],
  ])('a ticket opened %s with %s priority warns at %s and breaches at %s', (opened, priority, warning, breach) => {
    expect(slaTimers(ticketAt(opened, priority), calendar)).toEqual([
      { ticketId: 'ACME-42', customerId: 'ACME', kind: 'warning', dueAt: warning },
      { ticketId: 'ACME-42', customerId: 'ACME', kind: 'breach', dueAt: breach },
    ]);
  });

  it('answered or closed tickets need no timers', () => {
    const ticket = ticketAt('2026-11-24T08:00:00+01:00', 'high');
    expect(slaTimers({ ...ticket, firstRespondedAt: ticket.openedAt + 1 }, calendar)).toEqual([]);
    expect(slaTimers({ ...ticket, status: 'closed' }, calendar)).toEqual([]);
  });

  it('takes a configurable warning share', () => {
    const [warning] = slaTimers(ticketAt('2026-11-24T08:00:00+01:00', 'medium'), calendar, 0.5);
    expect(warning!.dueAt).toBe('2026-11-24T11:00:00.000Z');
    expect(() => slaTimers(ticketAt('2026-11-24T08:00:00+01:00', 'medium'), calendar, 1)).toThrow(RangeError);
  });

  it('checks deadlines that are due, or due within a minute, at once', () => {
    const timers = slaTimers(ticketAt('2026-11-24T08:00:00+01:00', 'highest'), calendar); // warning 08:45, breach 09:00
    const plan = (now: string) => planTimers(timers, parseInstant(now));
    expect(plan('2026-11-24T08:00:00+01:00')).toEqual({ schedule: timers, checkNow: [] });
    expect(plan('2026-11-24T08:44:00+01:00').checkNow.map((t) => t.kind)).toEqual(['warning']);
    expect(plan('2026-11-24T09:30:00+01:00')).toEqual({ schedule: [], checkNow: timers });
  });

  it('names carry ticket, kind and deadline: deterministic, at most 64 characters of [0-9a-zA-Z-_.]', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[A-Z][A-Z0-9]{1,15}$/),
        fc.integer({ min: 1, max: 9_999_999_999 }),
        fc.constantFrom(...TIMER_KINDS),
        fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true }),
        fc.option(fc.integer({ min: 1, max: MAX_REARMS }), { nil: undefined }),
        (customerId, n, kind, due, rearmed) => {
          const timer = { ticketId: `${customerId}-${n}`, kind, dueAt: due.toISOString(), ...(rearmed ? { rearmed } : {}) };
          const name = timerName(timer);
          expect(name).toMatch(/^[0-9a-zA-Z_.-]{1,64}$/);
          expect(timerName({ ...timer })).toBe(name);
          // Another deadline, or another re-arm, is another name.
          expect(timerName({ ...timer, dueAt: new Date(due.getTime() + 1).toISOString() })).not.toBe(name);
          expect(timerName({ ...timer, rearmed: (rearmed ?? 0) + 1 })).not.toBe(name);
        },
      ),
    );
    const timer = { ticketId: 'ACME-42', dueAt: '2026-06-08T06:30:00.000Z' };
    expect(timerName({ ...timer, kind: 'breach' })).toBe('sla-ACME-42-breach-20260608T063000000Z');
    expect(timerName({ ...timer, kind: 'warning' })).not.toBe(timerName({ ...timer, kind: 'breach' }));
  });
});

describe("the sweep's grace", () => {
  // Scheduler fires to the minute: a deadline due within the last minute is still its timer's, not the sweep's.
  const now = parseInstant('2026-06-08T08:32:00+02:00');
  it.each([
    ['due 59 s ago: its timer may still fire', 59_000, false],
    ['due exactly a minute ago: the sweep takes over', 60_000, true],
    ['due 61 s ago', 61_000, true],
    ['due a second from now', -1_000, false],
  ])('%s', (_, ago, swept) => {
    expect(now - ago <= sweepCutoff(now)).toBe(swept);
  });
});
