import { consultancyOf } from '../services';
import { httpRoute, json } from './http-route';
import { listConsultancyEvents } from './routes';

export const handler = httpRoute(listConsultancyEvents, async ({ actor, params, query, deps }) => {
  const page = await consultancyOf(deps).events(actor, params.id ?? '', query.limit, query.cursor);
  return json(200, { items: page.items.map((event) => ({ ...event, at: deps.calendar.iso(event.at) })), nextCursor: page.nextCursor });
});
