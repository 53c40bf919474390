import { ticketsOf } from '../services';
import { httpRoute, json } from './http-route';
import { withNames } from './named';
import { listComments } from './routes';
import { ticketIdOf } from './ticket-id';

/** Customers see public comments only; each author by name. */
export const handler = httpRoute(listComments, async ({ actor, params, query, deps }) => {
  const page = await ticketsOf(deps).comments(actor, ticketIdOf(params), query.limit, query.cursor);
  return json(200, { items: await withNames(page.items, 'author', actor, deps.people), nextCursor: page.nextCursor });
});
