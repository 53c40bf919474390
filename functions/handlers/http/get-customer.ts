import { NotFoundError } from '../../domain/errors';
import { customerIdOf } from './customer-id';
import { httpRoute, json } from './http-route';
import { getCustomer } from './routes';
import { customerView } from './put-customer';

export const handler = httpRoute(getCustomer, async ({ actor, params, deps }) => {
  const customerId = customerIdOf(params, actor);
  const profile = await deps.customers.getCustomer(customerId);
  if (!profile) throw new NotFoundError(`customer ${customerId} not found`);
  return json(200, customerView(profile, (t) => deps.calendar.iso(t)));
});
