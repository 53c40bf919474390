import { hypercareOf } from '../services';
import { customerIdOf } from './customer-id';
import { httpRoute, json } from './http-route';
import { hypercareView } from './hypercare-view';
import { transitionHypercare } from './routes';

export const handler = httpRoute(transitionHypercare, async ({ actor, params, body, deps }) => {
  const profile = await hypercareOf(deps).transition(actor, customerIdOf(params, actor), body.note);
  return json(200, await hypercareView(profile.customerId, profile.hypercare!, actor, deps));
});
