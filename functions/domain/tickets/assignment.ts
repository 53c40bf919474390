import type { Actor } from '../actor';
import type { Instant } from '../calendar/business-calendar';
import { InvalidInputError } from '../errors';
import type { Person } from '../people/people';
import { isDesk } from '../policy';
import type { Ticket, TicketEvent } from './ticket';

/** The person named cannot own tickets: unknown to the desk, or not one of the provider's agents or admins. */
export class NotAssignableError extends InvalidInputError {
  readonly type = 'not-assignable';
}

/**
 * Whether the person may own tickets: the provider's agents and admins, as
 * their record (written from their own token) says. Refused in plain words.
 */
export function checkAssignable(person: Person | undefined): void {
  if (!person) throw new NotAssignableError('no agent or admin with that id has signed in yet: assign someone from the list of agents');
  if (!isDesk(person)) throw new NotAssignableError("only the provider's agents and admins can own a ticket: assign someone from the list of agents");
}

/** The audit event of a change of owner: who made it, from whom, to whom (null: no one). */
export function assignedEvent(ticket: Ticket, to: string | null, actor: Actor, now: Instant): TicketEvent {
  return { ticketId: ticket.id, at: now, actor, type: 'ticket.assigned', changes: { assignee: { from: ticket.assignee ?? null, to } } };
}

/**
 * The ticket with its owner set (`null`: unassigned), and the event that
 * records it; undefined when it already has that owner. The caller checks
 * that the new owner may own tickets, and versions the change.
 */
export function assignTicket(ticket: Ticket, to: string | null, actor: Actor, now: Instant): { ticket: Ticket; event: TicketEvent } | undefined {
  if ((ticket.assignee ?? null) === to) return undefined;
  const { assignee: _, ...rest } = ticket;
  return { ticket: { ...rest, ...(to === null ? {} : { assignee: to }), updatedAt: now }, event: assignedEvent(ticket, to, actor, now) };
}

/** Whether the new owner is told: not when they took the ticket themselves, nor when no one owns it now. */
export const tellsAssignee = (to: string | null, actor: Pick<Actor, 'subject'>): to is string => to !== null && to !== actor.subject;

/** Who a ticket's first response makes its owner: the responder, when no one owns it yet. */
export const ownerByFirstResponse = (ticket: Ticket, responder: Actor): string | undefined => (ticket.assignee === undefined && isDesk(responder) ? responder.subject : undefined);
