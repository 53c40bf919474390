import { describe, expect, it } from 'vitest';
import type { Actor } from '#domain/actor';
import { danishCalendar } from '#domain/calendar/danish-calendar';
import { parseInstant } from '#domain/instant';
import type { Person } from '#domain/people/people';
import { assignTicket, checkAssignable, NotAssignableError, ownerByFirstResponse, tellsAssignee } from '#domain/tickets/assignment';
import { openTicket } from '#domain/tickets/ticket';

const calendar = danishCalendar();
const opened = parseInstant('2026-11-24T09:00:00+01:00');
const later = parseInstant('2026-11-24T10:00:00+01:00');
const customer: Actor = { subject: 'c', role: 'customer', customerId: 'ACME' };
const agent: Actor = { subject: 'a', role: 'agent' };
const admin: Actor = { subject: 'm', role: 'admin' };
const ticket = openTicket('ACME-1', 'ACME', { title: 't', description: 'd', category: 'other', priority: 'low' }, customer, opened, calendar);
const person = (role: Person['role']): Person => ({ subject: 'p', role, issuedAt: opened, updatedAt: opened, ...(role === 'customer' ? { customerId: 'ACME' } : {}) });

describe('who owns a ticket', () => {
  it('an agent or an admin the desk has seen may own one; no one unknown, no customer, no finance', () => {
    expect(() => checkAssignable(person('agent'))).not.toThrow();
    expect(() => checkAssignable(person('admin'))).not.toThrow();
    expect(() => checkAssignable(undefined)).toThrow(new NotAssignableError('no agent or admin with that id has signed in yet: assign someone from the list of agents'));
    for (const role of ['customer', 'finance'] as const) expect(() => checkAssignable(person(role))).toThrow(/only the provider's agents and admins can own a ticket/);
  });

  it('assigning records who, from and to; unassigning removes the owner; the same owner again changes nothing', () => {
    const mine = assignTicket(ticket, 'a', admin, later)!;
    expect(mine.ticket).toMatchObject({ assignee: 'a', updatedAt: later, version: ticket.version });
    expect(mine.event).toEqual({ ticketId: 'ACME-1', at: later, actor: admin, type: 'ticket.assigned', changes: { assignee: { from: null, to: 'a' } } });
    expect(assignTicket(mine.ticket, 'a', admin, later)).toBeUndefined();
    const none = assignTicket(mine.ticket, null, agent, later)!;
    expect('assignee' in none.ticket).toBe(false);
    expect(none.event.changes).toEqual({ assignee: { from: 'a', to: null } });
    expect(assignTicket(ticket, null, agent, later)).toBeUndefined();
  });

  it('the new owner is told, unless they took it themselves or no one owns it now', () => {
    expect(tellsAssignee('a', admin)).toBe(true);
    expect(tellsAssignee('a', agent)).toBe(false);
    expect(tellsAssignee(null, agent)).toBe(false);
  });

  it('the first of the desk to answer owns an unowned ticket; a customer never does, and an owner stays', () => {
    expect(ownerByFirstResponse(ticket, agent)).toBe('a');
    expect(ownerByFirstResponse(ticket, admin)).toBe('m');
    expect(ownerByFirstResponse(ticket, customer)).toBeUndefined();
    expect(ownerByFirstResponse({ ...ticket, assignee: 'm' }, agent)).toBeUndefined();
  });
});
