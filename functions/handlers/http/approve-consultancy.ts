import { consultancyOf } from '../services';
import { consultancyView } from './consultancy-view';
import { httpRoute, json } from './http-route';
import { approveConsultancy } from './routes';

/** The customer's prior approval, at the rate in force now. */
export const handler = httpRoute(approveConsultancy, async ({ actor, params, deps }) => json(200, await consultancyView(await consultancyOf(deps).approve(actor, params.id ?? ''), actor, deps)));
