import { consultancyOf } from '../services';
import { consultancyLocation } from './consultancy-id';
import { consultancyView } from './consultancy-view';
import { httpRoute, json } from './http-route';
import { idempotencyKeyOf, replayedHeader } from './idempotency-key';
import { createConsultancy } from './routes';

/** Proposed by an agent for a customer, or asked for by a customer itself; nothing is billed before its approval. */
export const handler = httpRoute(createConsultancy, async ({ actor, body, headers, deps }) => {
  const { request, replayed } = await consultancyOf(deps).propose(actor, body, idempotencyKeyOf(headers));
  return json(201, await consultancyView(request, actor, deps), { ...consultancyLocation(request.id), ...replayedHeader(replayed) });
});
