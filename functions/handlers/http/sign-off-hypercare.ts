import { hypercareOf } from '../services';
import { customerIdOf } from './customer-id';
import { httpRoute, json } from './http-route';
import { hypercareView } from './hypercare-view';
import { signOffHypercare } from './routes';

export const handler = httpRoute(signOffHypercare, async ({ actor, params, deps }) => {
  const profile = await hypercareOf(deps).signOff(actor, customerIdOf(params, actor));
  return json(200, await hypercareView(profile.customerId, profile.hypercare!, actor, deps));
});
