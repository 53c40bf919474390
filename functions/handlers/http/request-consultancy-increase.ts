import { consultancyOf } from '../services';
import { consultancyLocation } from './consultancy-id';
import { consultancyView } from './consultancy-view';
import { httpRoute, json } from './http-route';
import { idempotencyKeyOf, replayedHeader } from './idempotency-key';
import { requestConsultancyIncrease } from './routes';

export const handler = httpRoute(requestConsultancyIncrease, async ({ actor, params, body, headers, deps }) => {
  const { request, replayed } = await consultancyOf(deps).requestIncrease(actor, params.id ?? '', body, idempotencyKeyOf(headers));
  return json(201, await consultancyView(request, actor, deps), { ...consultancyLocation(request.id), ...replayedHeader(replayed) });
});
