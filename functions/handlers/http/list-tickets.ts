import { httpRoute, json } from './http-route';
import { listTickets } from './routes';

export const handler = httpRoute(listTickets, async ({ actor, query, deps }) =>
  json(200, await deps.tickets.list(actor, query)),
);
