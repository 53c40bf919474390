import { customersOf } from '../services';
import { customerIdOf } from './customer-id';
import { httpRoute, json } from './http-route';
import { withByNames } from './named';
import { listCustomerEvents } from './routes';

export const handler = httpRoute(listCustomerEvents, async ({ actor, params, query, deps }) => {
  const page = await customersOf(deps).events(actor, customerIdOf(params, actor), query.limit, query.cursor);
  const items = await withByNames(page.items, actor, deps.people);
  return json(200, { items: items.map((event) => ({ ...event, at: deps.calendar.iso(event.at) })), nextCursor: page.nextCursor });
});
