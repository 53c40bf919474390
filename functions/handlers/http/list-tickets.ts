import { ticketsOf } from '../services';
import { httpRoute, json } from './http-route';
import { listTickets } from './routes';

export const handler = httpRoute(listTickets, async ({ actor, query, deps }) => json(200, await ticketsOf(deps).list(actor, query)));
