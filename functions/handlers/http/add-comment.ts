import { ARMS_TIMERS } from '../timer/aws-scheduler';
import { httpRoute, json } from './http-route';
import { idempotencyKeyOf, replayedHeader } from './idempotency-key';
import { NewCommentBody } from './schemas';
import { ticketIdOf } from './ticket-id';

export const handler = httpRoute({ factories: ARMS_TIMERS, roles: ['customer', 'agent', 'admin'], body: NewCommentBody }, async ({ actor, params, body, headers, deps }) => {
  const { replayed, ...comment } = await deps.tickets.comment(actor, ticketIdOf(params), body, idempotencyKeyOf(headers));
  return json(201, comment, replayedHeader(replayed));
});
