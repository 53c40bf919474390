import { customersOf } from '../services';
import { httpRoute, json } from './http-route';
import { customerView } from './put-customer';
import { listCustomers } from './routes';

export const handler = httpRoute(listCustomers, async ({ actor, query, deps }) => {
  const page = await customersOf(deps).list(actor, query.limit, query.cursor);
  return json(200, { items: page.items.map((p) => customerView(p, deps.now(), deps.calendar)), nextCursor: page.nextCursor });
});
