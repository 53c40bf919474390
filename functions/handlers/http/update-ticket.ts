import { ARMS_TIMERS } from '../timer/aws-scheduler';
import { httpRoute, json } from './http-route';
import { updateTicket } from './routes';
import { etagOf, versionOf } from './etag';
import { ticketIdOf } from './ticket-id';

export const handler = httpRoute(updateTicket, async ({ actor, params, body, headers, deps }) => {
  const view = await deps.tickets.update(actor, ticketIdOf(params), body, versionOf(headers['if-match']));
  return json(200, view, { etag: etagOf(view.version) });
}, ARMS_TIMERS);
