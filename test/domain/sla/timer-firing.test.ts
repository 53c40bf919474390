import { describe, expect, it } from 'vitest';
import { danishCalendar } from '#domain/calendar/danish-calendar';
import { parseInstant } from '#domain/instant';
import { MAX_REARMS, slaTimers } from '#domain/sla/sla-timers';
import { decideFiring } from '#domain/sla/timer-firing';
import type { Actor } from '#domain/actor';
import { awaitsSlaOutcome, openTicket, type Ticket } from '#domain/tickets/ticket';

const calendar = danishCalendar();
const customer: Actor = { subject: 'u', role: 'customer', customerId: 'ACME' };
// Highest, opened Thursday 4 June 2026 15:30: warning Monday 08:15, breach Monday 08:30.
const base = openTicket('ACME-1', 'ACME', { title: 't', description: 'd', category: 'other', priority: 'highest' }, customer, parseInstant('2026-06-04T15:30:00+02:00'), calendar);
const [warning, breach] = slaTimers(base, calendar) as [ReturnType<typeof slaTimers>[number], ReturnType<typeof slaTimers>[number]];
const at = parseInstant;
const due = base.firstResponseDueAt;

describe('what a timer firing means', () => {
  it.each<[string, Ticket | undefined, 'warning' | 'breach', string, object]>([
    ['breach at the deadline', base, 'breach', '2026-06-08T08:30:00+02:00', { action: 'raise', kind: 'breach' }],
    ['breach fired late', base, 'breach', '2026-06-09T12:00:00+02:00', { action: 'raise', kind: 'breach' }],
    ['breach fired early (on the bank closing day)', base, 'breach', '2026-06-05T12:00:00+02:00', { action: 'reschedule', timer: breach }],
    ['breach a millisecond early', base, 'breach', '2026-06-08T08:29:59.999+02:00', { action: 'reschedule', timer: { ...breach, rearmed: 1 } }],
    ['breach fired twice', { ...base, breachedAt: due }, 'breach', '2026-06-08T08:31:00+02:00', { action: 'ignore' }],
    ['answered in time', { ...base, firstRespondedAt: due - 1 }, 'breach', '2026-06-08T08:31:00+02:00', { action: 'ignore' }],
    ['answered exactly at the deadline is late', { ...base, firstRespondedAt: due }, 'breach', '2026-06-08T08:31:00+02:00', { action: 'raise', kind: 'breach' }],
    ['answered late, breach not yet recorded', { ...base, firstRespondedAt: due + 60_000 }, 'breach', '2026-06-08T08:31:00+02:00', { action: 'raise', kind: 'breach' }],
    ['closed unanswered', { ...base, status: 'closed' }, 'breach', '2026-06-08T08:31:00+02:00', { action: 'ignore' }],
    ['ticket gone', undefined, 'breach', '2026-06-08T08:31:00+02:00', { action: 'ignore' }],
    ['warning on time', base, 'warning', '2026-06-08T08:15:00+02:00', { action: 'raise', kind: 'warning' }],
    ['warning early', base, 'warning', '2026-06-08T08:00:00+02:00', { action: 'reschedule', timer: { ...warning, rearmed: 1 } }],
    ['warning twice', { ...base, warningSentAt: due - 900_000 }, 'warning', '2026-06-08T08:16:00+02:00', { action: 'ignore' }],
    ['warning after the deadline', base, 'warning', '2026-06-08T08:30:00+02:00', { action: 'ignore' }],
    ['warning after the answer', { ...base, firstRespondedAt: due - 3_600_000 }, 'warning', '2026-06-08T08:16:00+02:00', { action: 'ignore' }],
  ])('%s', (_, ticket, kind, now, expected) => {
    expect(decideFiring(ticket, kind === 'breach' ? breach : warning, at(now), calendar)).toMatchObject(expected);
  });

  it('an early firing re-arms under a fresh name each time, and gives up to the sweep after the most re-arms a name can carry', () => {
    const early = at('2026-06-08T08:29:59+02:00');
    expect(decideFiring(base, { ...breach, rearmed: 4 }, early, calendar)).toEqual({ action: 'reschedule', timer: { ...breach, rearmed: 5 } });
    expect(decideFiring(base, { ...breach, rearmed: MAX_REARMS - 1 }, early, calendar)).toEqual({ action: 'reschedule', timer: { ...breach, rearmed: MAX_REARMS } });
    expect(decideFiring(base, { ...breach, rearmed: MAX_REARMS }, early, calendar)).toMatchObject({ action: 'ignore' });
    expect(decideFiring(base, { ...warning, rearmed: 2 }, at('2026-06-08T08:00:00+02:00'), calendar)).toEqual({ action: 'reschedule', timer: { ...warning, rearmed: 3 } });
  });

  it('a stale timer from before a priority change re-arms the current deadline', () => {
    const lowest = { ...base, priority: 'lowest' as const, firstResponseDueAt: calendar.addBusinessTime(base.openedAt, 16 * 3_600_000) };
    const firing = decideFiring(lowest, breach, at('2026-06-08T08:30:00+02:00'), calendar);
    expect(firing).toEqual({ action: 'reschedule', timer: { ...breach, dueAt: new Date(lowest.firstResponseDueAt).toISOString() } });
  });
});

describe('awaiting the first-response outcome (the running tickets)', () => {
  it.each<[string, Partial<Ticket>, boolean]>([
    ['just opened', {}, true],
    ['past the deadline, unanswered, no breach recorded yet', {}, true],
    ['breach recorded', { breachedAt: due }, false],
    ['answered a millisecond before the deadline', { firstRespondedAt: due - 1 }, false],
    ['answered exactly at the deadline: late, the breach is owed', { firstRespondedAt: due }, true],
    ['answered late, breach recorded', { firstRespondedAt: due + 1, breachedAt: due }, false],
    ['closed unanswered before the deadline', { status: 'closed', closedAt: due - 1 }, false],
    ['closed unanswered at the deadline: the breach is owed', { status: 'closed', closedAt: due }, true],
    ['resolved but unanswered: the clock runs on', { status: 'resolved' }, true],
  ])('%s: %s', (_, change, expected) => {
    expect(awaitsSlaOutcome({ ...base, ...change })).toBe(expected);
  });
});
