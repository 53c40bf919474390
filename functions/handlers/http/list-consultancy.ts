import { consultancyOf } from '../services';
import { parseMonth } from '../../domain/month';
import { consultancyViews, monthView } from './consultancy-view';
import { httpRoute, json } from './http-route';
import { listConsultancy } from './routes';

/** The requests, a page at a time; or, with `month`, what that month bills. */
export const handler = httpRoute(listConsultancy, async ({ actor, query, deps }) => {
  const { month, customerId, status, limit, cursor } = query;
  if (month !== undefined) return json(200, await monthView(month, await consultancyOf(deps).month(actor, parseMonth(month), customerId), actor, deps));
  const page = await consultancyOf(deps).list(actor, { limit, ...(customerId ? { customerId } : {}), ...(status ? { status } : {}), ...(cursor ? { cursor } : {}) });
  return json(200, { items: await consultancyViews(page.items, actor, deps), nextCursor: page.nextCursor });
});
