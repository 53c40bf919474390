import { httpRoute, json } from './http-route';
import { ROUTE } from './routes';

export const handler = httpRoute(ROUTE.listTickets, async ({ actor, query, deps }) =>
  json(200, await deps.tickets.list(actor, query)),
);
