import { RequestError } from './problem';
import { ARMS_TIMERS } from '../timer/aws-scheduler';
import { httpRoute, json } from './http-route';
import { updateTicket } from './routes';
import { etagOf, ticketIdOf } from './ticket-id';

/** If-Match carries the version the agent saw, as the ETag gave it: "3" (W/ allowed); `*` matches any. */
function versionOf(ifMatch: string | undefined): number | undefined {
  if (ifMatch === undefined || ifMatch.trim() === '*') return undefined;
  const match = /^(?:W\/)?"(\d{1,9})"$/.exec(ifMatch.trim());
  if (!match) throw new RequestError(400, 'invalid-if-match', 'Bad Request', 'If-Match must be an ETag this API gave out, such as "3"');
  return Number(match[1]);
}

export const handler = httpRoute(updateTicket, async ({ actor, params, body, headers, deps }) => {
  const view = await deps.tickets.update(actor, ticketIdOf(params), body, versionOf(headers['if-match']));
  return json(200, view, { etag: etagOf(view.version) });
}, ARMS_TIMERS);
