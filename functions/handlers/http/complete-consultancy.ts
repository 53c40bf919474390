import { consultancyOf } from '../services';
import { consultancyView } from './consultancy-view';
import { httpRoute, json } from './http-route';
import { completeConsultancy } from './routes';

export const handler = httpRoute(completeConsultancy, async ({ actor, params, deps }) => json(200, await consultancyView(await consultancyOf(deps).complete(actor, params.id ?? ''), actor, deps)));
