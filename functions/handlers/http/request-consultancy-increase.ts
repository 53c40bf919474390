import { consultancyOf } from '../consultancy-workflow';
import { consultancyLocation } from './consultancy-id';
import { consultancyView } from './consultancy-view';
import { httpRoute, json } from './http-route';
import { requestConsultancyIncrease } from './routes';

export const handler = httpRoute(requestConsultancyIncrease, async ({ actor, params, body, deps }) => {
  const request = await consultancyOf(deps).requestIncrease(actor, params.id ?? '', body);
  return json(201, consultancyView(request, deps.calendar), consultancyLocation(request.id));
});
