import { consultancyOf } from '../services';
import { consultancyView } from './consultancy-view';
import { httpRoute, json } from './http-route';
import { cancelConsultancy } from './routes';

export const handler = httpRoute(cancelConsultancy, async ({ actor, params, body, deps }) =>
  json(200, await consultancyView(await consultancyOf(deps).cancel(actor, params.id ?? '', body.reason), actor, deps)),
);
