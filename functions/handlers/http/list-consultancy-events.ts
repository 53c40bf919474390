import { consultancyOf } from '../services';
import { httpRoute, json } from './http-route';
import { withByNames } from './named';
import { listConsultancyEvents } from './routes';

export const handler = httpRoute(listConsultancyEvents, async ({ actor, params, query, deps }) => {
  const page = await consultancyOf(deps).events(actor, params.id ?? '', query.limit, query.cursor);
  const items = await withByNames(page.items, actor, deps.people);
  return json(200, { items: items.map((event) => ({ ...event, at: deps.calendar.iso(event.at) })), nextCursor: page.nextCursor });
});
