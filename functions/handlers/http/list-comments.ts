import { httpRoute, json } from './http-route';
import { PageQuery } from './schemas';
import { ticketIdOf } from './ticket-id';

/** Customers see public comments only. */
export const handler = httpRoute({ roles: ['customer', 'agent', 'admin', 'finance'], query: PageQuery }, async ({ actor, params, query, deps }) =>
  json(200, await deps.tickets.comments(actor, ticketIdOf(params), query.limit, query.cursor)),
);
