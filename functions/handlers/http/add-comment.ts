import { ARMS_TIMERS } from '../timer/aws-scheduler';
import { httpRoute, json } from './http-route';
import { addComment } from './routes';
import { idempotencyKeyOf, replayedHeader } from './idempotency-key';
import { ticketIdOf } from './ticket-id';

export const handler = httpRoute(addComment, async ({ actor, params, body, headers, deps }) => {
  const { replayed, ...comment } = await deps.tickets.comment(actor, ticketIdOf(params), body, idempotencyKeyOf(headers));
  return json(201, comment, replayedHeader(replayed));
}, ARMS_TIMERS);
