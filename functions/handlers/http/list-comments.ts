import { ticketsOf } from '../services';
import { httpRoute, json } from './http-route';
import { listComments } from './routes';
import { ticketIdOf } from './ticket-id';

/** Customers see public comments only. */
export const handler = httpRoute(listComments, async ({ actor, params, query, deps }) => json(200, await ticketsOf(deps).comments(actor, ticketIdOf(params), query.limit, query.cursor)));
