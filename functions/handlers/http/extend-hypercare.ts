import { hypercareOf } from '../services';
import { customerIdOf } from './customer-id';
import { httpRoute, json } from './http-route';
import { hypercareView } from './hypercare-view';
import { extendHypercare } from './routes';

export const handler = httpRoute(extendHypercare, async ({ actor, params, body, deps }) => {
  const profile = await hypercareOf(deps).extend(actor, customerIdOf(params, actor), body);
  return json(200, await hypercareView(profile.customerId, profile.hypercare!, actor, deps));
});
