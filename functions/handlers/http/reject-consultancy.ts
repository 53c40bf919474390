import { consultancyOf } from '../services';
import { consultancyView } from './consultancy-view';
import { httpRoute, json } from './http-route';
import { rejectConsultancy } from './routes';

export const handler = httpRoute(rejectConsultancy, async ({ actor, params, body, deps }) =>
  json(200, await consultancyView(await consultancyOf(deps).reject(actor, params.id ?? '', body.reason), actor, deps)),
);
