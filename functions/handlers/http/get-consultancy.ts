import { consultancyOf } from '../services';
import { consultancyView } from './consultancy-view';
import { httpRoute, json } from './http-route';
import { getConsultancy } from './routes';

export const handler = httpRoute(getConsultancy, async ({ actor, params, deps }) => json(200, await consultancyView(await consultancyOf(deps).get(actor, params.id ?? ''), actor, deps)));
