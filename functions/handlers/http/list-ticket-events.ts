import { namesOf } from '../../domain/people/people';
import { ticketsOf } from '../services';
import { httpRoute, json } from './http-route';
import { listTicketEvents } from './routes';
import { ticketIdOf } from './ticket-id';

export const handler = httpRoute(listTicketEvents, async ({ actor, params, query, deps }) => {
  const page = await ticketsOf(deps).events(actor, ticketIdOf(params), query.limit, query.cursor);
  // A change of owner names both owners (null is no one): everyone the page mentions is read at once.
  const owners = page.items.flatMap((e) => (e.changes.assignee ? [e.changes.assignee.from, e.changes.assignee.to] : [])).filter((s): s is string => typeof s === 'string');
  const name = await namesOf(deps.people, [...page.items.map((e) => e.actor.subject), ...owners], actor);
  const owner = (subject: unknown) => (typeof subject === 'string' ? { subject, name: name(subject) } : null);
  const items = page.items.map((e) => ({
    ...e,
    actor: { ...e.actor, name: name(e.actor.subject, e.actor.role) },
    ...(e.changes.assignee ? { changes: { ...e.changes, assignee: { from: owner(e.changes.assignee.from), to: owner(e.changes.assignee.to) } } } : {}),
  }));
  return json(200, { items, nextCursor: page.nextCursor });
});
