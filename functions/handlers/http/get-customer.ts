import { customersOf } from '../services';
import { customerIdOf } from './customer-id';
import { etagOf } from './etag';
import { httpRoute, json } from './http-route';
import { customerView } from './put-customer';
import { getCustomer } from './routes';

export const handler = httpRoute(getCustomer, async ({ actor, params, deps }) => {
  const profile = await customersOf(deps).get(actor, customerIdOf(params, actor));
  return json(200, customerView(profile, deps.now(), deps.calendar), { etag: etagOf(profile.version) });
});
