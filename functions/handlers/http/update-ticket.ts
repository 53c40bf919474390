import { ticketsOf } from '../services';
import { ARMS_TIMERS } from '../timer/aws-scheduler';
import { httpRoute, json } from './http-route';
import { updateTicket } from './routes';
import { etagOf, versionOf } from './etag';
import { ticketIdOf } from './ticket-id';

export const handler = httpRoute(
  updateTicket,
  async ({ actor, params, body, headers, deps }) => {
    // A ticket that is not there is a 404 anyway, so `*` is simply any version.
    const version = versionOf(headers['if-match']);
    const view = await ticketsOf(deps).update(actor, ticketIdOf(params), body, version === '*' ? undefined : version);
    return json(200, view, { etag: etagOf(view.version) });
  },
  ARMS_TIMERS,
);
