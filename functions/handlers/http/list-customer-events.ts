import { customersOf } from '../services';
import { customerIdOf } from './customer-id';
import { httpRoute, json } from './http-route';
import { listCustomerEvents } from './routes';

export const handler = httpRoute(listCustomerEvents, async ({ actor, params, query, deps }) => {
  const page = await customersOf(deps).events(actor, customerIdOf(params, actor), query.limit, query.cursor);
  return json(200, { items: page.items.map((event) => ({ ...event, at: deps.calendar.iso(event.at) })), nextCursor: page.nextCursor });
});
