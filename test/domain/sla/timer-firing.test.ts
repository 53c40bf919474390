import { describe, expect, it } from 'vitest';
import { danishCalendar } from '../../../functions/domain/calendar/danish-calendar';
import { parseInstant } from '../../../functions/domain/instant';
import { slaTimers } from '../../../functions/domain/sla/sla-timers';
import { decideFiring } from '../../../functions/domain/sla/timer-firing';
import { openTicket, type Actor, type Ticket } from '../../../functions/domain/tickets/ticket';

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
    ['breach a millisecond early', base, 'breach', '2026-06-08T08:29:59.999+02:00', { action: 'reschedule' }],
    ['breach fired twice', { ...base, breachedAt: due }, 'breach', '2026-06-08T08:31:00+02:00', { action: 'ignore' }],
    ['answered in time', { ...base, firstRespondedAt: due - 1 }, 'breach', '2026-06-08T08:31:00+02:00', { action: 'ignore' }],
    ['answered exactly at the deadline is late', { ...base, firstRespondedAt: due }, 'breach', '2026-06-08T08:31:00+02:00', { action: 'raise', kind: 'breach' }],
    ['answered late, breach not yet recorded', { ...base, firstRespondedAt: due + 60_000 }, 'breach', '2026-06-08T08:31:00+02:00', { action: 'raise', kind: 'breach' }],
    ['closed unanswered', { ...base, status: 'closed' }, 'breach', '2026-06-08T08:31:00+02:00', { action: 'ignore' }],
    ['ticket gone', undefined, 'breach', '2026-06-08T08:31:00+02:00', { action: 'ignore' }],
    ['warning on time', base, 'warning', '2026-06-08T08:15:00+02:00', { action: 'raise', kind: 'warning' }],
    ['warning early', base, 'warning', '2026-06-08T08:00:00+02:00', { action: 'reschedule', timer: warning }],
    ['warning twice', { ...base, warningSentAt: due - 900_000 }, 'warning', '2026-06-08T08:16:00+02:00', { action: 'ignore' }],
    ['warning after the deadline', base, 'warning', '2026-06-08T08:30:00+02:00', { action: 'ignore' }],
    ['warning after the answer', { ...base, firstRespondedAt: due - 3_600_000 }, 'warning', '2026-06-08T08:16:00+02:00', { action: 'ignore' }],
  ])('%s', (_, ticket, kind, now, expected) => {
    expect(decideFiring(ticket, kind === 'breach' ? breach : warning, at(now), calendar)).toMatchObject(expected);
  });

  it('a stale timer from before a priority change re-arms the current deadline', () => {
    const lowest = { ...base, priority: 'lowest' as const, firstResponseDueAt: calendar.addBusinessTime(base.openedAt, 16 * 3_600_000) };
    const firing = decideFiring(lowest, breach, at('2026-06-08T08:30:00+02:00'), calendar);
    expect(firing).toEqual({ action: 'reschedule', timer: { ...breach, dueAt: new Date(lowest.firstResponseDueAt).toISOString() } });
  });
});
