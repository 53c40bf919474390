import { describe, expect, it } from 'vitest';
import type { Actor } from '#domain/actor';
import { danishCalendar } from '#domain/calendar/danish-calendar';
import { IllegalTransitionError, SlaSettledError } from '#domain/errors';
import { parseInstant } from '#domain/instant';
import { changeTicket, openTicket, STATUSES, type Ticket, ticketActions, type TicketStatus, TRANSITIONS } from '#domain/tickets/ticket';
import { ticketView } from '#domain/tickets/ticket-view';

const calendar = danishCalendar();
const customer: Actor = { subject: 'u', role: 'customer', customerId: 'ACME' };
const agent: Actor = { subject: 'a', role: 'agent' };
// Lowest, opened Tuesday 24 November 2026 09:00: due Wednesday 25 November 09:00 (16 business hours).
const base = openTicket('ACME-1', 'ACME', { title: 't', description: 'd', category: 'other', priority: 'lowest' }, customer, parseInstant('2026-11-24T09:00:00+01:00'), calendar);
const soon = parseInstant('2026-11-24T10:00:00+01:00');
const due = base.firstResponseDueAt;

describe('the ticket state machine, every pair of statuses', () => {
  // The contract's states; `resolved → in_progress` is the reopen, and closed is final.
  const allowed: Record<TicketStatus, TicketStatus[]> = {
    open: ['in_progress', 'waiting_on_customer', 'resolved', 'closed'],
    in_progress: ['waiting_on_customer', 'resolved', 'closed'],
    waiting_on_customer: ['in_progress', 'resolved', 'closed'],
    resolved: ['closed', 'in_progress'],
    closed: [],
  };
  const pairs = STATUSES.flatMap((from) => STATUSES.filter((to) => to !== from).map((to) => [from, to] as const));
  it.each(pairs)('%s → %s', (from, to) => {
    const ticket: Ticket = { ...base, status: from };
    const change = () => changeTicket(ticket, { status: to }, agent, soon, calendar);
    if (allowed[from].includes(to)) {
      const { ticket: next, event } = change();
      expect(next.status).toBe(to);
      expect(event.changes.status).toEqual({ from, to });
      expect(next.closedAt).toBe(to === 'closed' ? soon : undefined);
    } else expect(change).toThrow(IllegalTransitionError);
  });

  it("says a refused move by the statuses' names, and where the ticket can go instead", () => {
    const move = (from: Ticket['status'], to: Ticket['status']) => () => changeTicket({ ...base, status: from }, { status: to }, agent, soon, calendar);
    expect(move('in_progress', 'open')).toThrow('a ticket that is in progress cannot be set to open; it can go to waiting on customer, resolved or closed');
    expect(move('resolved', 'waiting_on_customer')).toThrow('a ticket that is resolved cannot be set to waiting on customer; it can go to closed or in progress');
    expect(move('closed', 'in_progress')).toThrow('this ticket is closed; its status no longer changes');
    for (const [from, to] of pairs.filter(([from, to]) => !allowed[from].includes(to))) expect(move(from, to)).toThrow(/^[^_]*$/);
  });

  it('matches the table the API documents', () => {
    expect(TRANSITIONS).toEqual(allowed);
  });
});

describe('a priority change moves the deadline only while the outcome is open', () => {
  it('moves the deadline, counted from the opening', () => {
    const { ticket } = changeTicket(base, { priority: 'highest' }, agent, soon, calendar);
    expect(new Date(ticket.firstResponseDueAt).toISOString()).toBe('2026-11-24T09:00:00.000Z');
  });

  it.each<[string, Partial<Ticket>, number, Partial<Parameters<typeof changeTicket>[1]>]>([
    ['answered', { firstRespondedAt: soon }, soon, {}],
    ['breach recorded', { breachedAt: due }, due + 1, {}],
    ['past its deadline, breach not yet recorded', {}, due, {}],
    ['closed', { status: 'closed', closedAt: soon }, soon, {}],
    ['closing in the same change', {}, soon, { status: 'closed' }],
  ])('refused once %s (409 sla-settled)', (_, state, now, alsoChange) => {
    expect(() => changeTicket({ ...base, ...state }, { priority: 'highest', ...alsoChange }, agent, now, calendar)).toThrow(SlaSettledError);
  });

  it('a millisecond before the deadline it still moves', () => {
    expect(changeTicket(base, { priority: 'low' }, agent, due - 1, calendar).ticket.priority).toBe('low');
  });
});

describe('the SLA as people read it', () => {
  it('counts whole business minutes: those fully used, and those left', () => {
    const opened = openTicket('ACME-2', 'ACME', { title: 't', description: 'd', category: 'other', priority: 'highest' }, customer, parseInstant('2026-11-24T08:00:21.262+01:00'), calendar);
    const seen = ticketView(opened, parseInstant('2026-11-24T08:00:42.524+01:00'), calendar, customer).sla;
    expect(seen).toEqual({ state: 'running', targetMinutes: 60, usedMinutes: 0, leftMinutes: 60, warnAt: '2026-11-24T08:45:21.262+01:00' });
    const later = ticketView(opened, parseInstant('2026-11-24T08:59:50+01:00'), calendar, customer).sla;
    expect(later).toEqual({ state: 'running', targetMinutes: 60, usedMinutes: 59, leftMinutes: 1, warnAt: '2026-11-24T08:45:21.262+01:00' });
    expect(Number.isInteger(later.usedMinutes) && Number.isInteger(later.leftMinutes)).toBe(true);
  });
});

describe('the warning point a ticket shows', () => {
  // High: 4 business hours from Tuesday 24 November 2026, 09:00 Copenhagen.
  const opened = parseInstant('2026-11-24T09:00:00+01:00');
  const high = openTicket('ACME-3', 'ACME', { title: 't', description: 'd', category: 'other', priority: 'high' }, customer, opened, calendar);
  const warnAt = (ticket: Ticket, shares = {}) => ticketView(ticket, opened, calendar, customer, shares).sla.warnAt;

  it('is the contract’s 75% of the window, or the share the deployment sets', () => {
    expect(warnAt(high)).toBe('2026-11-24T12:00:00.000+01:00');
    expect(warnAt(high, { warningShare: 0.8 })).toBe('2026-11-24T12:12:00.000+01:00');
  });

  it('comes at half the window for a High ticket opened in hypercare, whatever the usual share', () => {
    const heightened = openTicket('ACME-4', 'ACME', { title: 't', description: 'd', category: 'other', priority: 'high' }, customer, opened, calendar, true);
    expect(warnAt(heightened, { warningShare: 0.8 })).toBe('2026-11-24T11:00:00.000+01:00');
    expect(warnAt(heightened, { hypercareWarningShare: 0.25 })).toBe('2026-11-24T10:00:00.000+01:00');
  });

  it('is null once the ticket is answered', () => {
    expect(warnAt({ ...high, firstRespondedAt: opened + 60_000 })).toBeNull();
  });
});

describe('what a caller may do to a ticket, as the API offers it', () => {
  const opened = parseInstant('2026-11-24T09:00:00+01:00');
  const ticket = openTicket('ACME-5', 'ACME', { title: 't', description: 'd', category: 'other', priority: 'high' }, customer, opened, calendar);
  const finance: Actor = { subject: 'f', role: 'finance' };

  it('the customer comments; finance only reads; an agent also works it, with exactly the status moves the state machine allows', () => {
    expect(ticketActions(ticket, customer, opened)).toEqual(['comment']);
    expect(ticketActions(ticket, finance, opened)).toEqual([]);
    expect(ticketActions(ticket, agent, opened)).toEqual([
      'comment',
      'comment-internal',
      'edit',
      'set-priority',
      'assign',
      'set-status:in_progress',
      'set-status:waiting_on_customer',
      'set-status:resolved',
      'set-status:closed',
    ]);
  });

  it('every action offered succeeds, and every status move not offered is refused', () => {
    for (const status of STATUSES) {
      const at: Ticket = { ...ticket, status, ...(status === 'closed' ? { closedAt: opened } : {}) };
      const offered = ticketActions(at, agent, opened);
      for (const to of STATUSES.filter((s) => s !== status)) {
        const move = () => changeTicket(at, { status: to }, agent, opened, calendar);
        if (offered.includes(`set-status:${to}`)) expect(move).not.toThrow();
        else expect(move).toThrow(IllegalTransitionError);
      }
    }
  });

  it('no priority change is offered once the outcome is settled: answered, past the deadline, or closed', () => {
    expect(ticketActions({ ...ticket, firstRespondedAt: opened + 60_000 }, agent, opened + 120_000)).not.toContain('set-priority');
    expect(ticketActions(ticket, agent, ticket.firstResponseDueAt)).not.toContain('set-priority');
    expect(ticketActions({ ...ticket, status: 'closed', closedAt: opened }, agent, opened)).toEqual(['edit', 'assign']);
  });
});
