import { hypercareOf } from '../services';
import { customerIdOf } from './customer-id';
import { httpRoute, json } from './http-route';
import { hypercareView } from './hypercare-view';
import { getHypercare } from './routes';

export const handler = httpRoute(getHypercare, async ({ actor, params, deps }) => {
  const { profile, record } = await hypercareOf(deps).hypercare(actor, customerIdOf(params, actor));
  return json(200, await hypercareView(profile.customerId, record, actor, deps));
});
