import { ticketsOf } from '../services';
import { httpRoute, json } from './http-route';
import { getTicket } from './routes';
import { etagOf } from './etag';
import { ticketIdOf } from './ticket-id';

export const handler = httpRoute(getTicket, async ({ actor, params, deps }) => {
  const view = await ticketsOf(deps).view(actor, ticketIdOf(params));
  return json(200, view, { etag: etagOf(view.version) });
});
