import { ticketsOf } from '../services';
import { httpRoute, json } from './http-route';
import { listTicketEvents } from './routes';
import { ticketIdOf } from './ticket-id';

export const handler = httpRoute(listTicketEvents, async ({ actor, params, query, deps }) => json(200, await ticketsOf(deps).events(actor, ticketIdOf(params), query.limit, query.cursor)));
