import { consultancyOf } from '../services';
import { increaseOf } from './consultancy-id';
import { consultancyView } from './consultancy-view';
import { httpRoute, json } from './http-route';
import { approveConsultancyIncrease } from './routes';

export const handler = httpRoute(approveConsultancyIncrease, async ({ actor, params, body, deps }) =>
  json(200, await consultancyView(await consultancyOf(deps).decideIncrease(actor, params.id ?? '', increaseOf(params), true, body.reason), actor, deps)),
);
