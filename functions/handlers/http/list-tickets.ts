import { httpRoute, json } from './http-route';
import { TicketListQuery } from './schemas';

export const handler = httpRoute({ roles: ['customer', 'agent', 'admin', 'finance'], query: TicketListQuery }, async ({ actor, query, deps }) =>
  json(200, await deps.tickets.list(actor, query)),
);
