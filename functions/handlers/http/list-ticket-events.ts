import { ticketsOf } from '../services';
import { httpRoute, json } from './http-route';
import { withNames } from './named';
import { listTicketEvents } from './routes';
import { ticketIdOf } from './ticket-id';

export const handler = httpRoute(listTicketEvents, async ({ actor, params, query, deps }) => {
  const page = await ticketsOf(deps).events(actor, ticketIdOf(params), query.limit, query.cursor);
  return json(200, { items: await withNames(page.items, 'actor', actor, deps.people), nextCursor: page.nextCursor });
});
