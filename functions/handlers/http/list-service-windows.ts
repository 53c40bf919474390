import { httpRoute, json } from './http-route';
import { monthRange } from './month-range';
import { MonthQuery } from './schemas';
import { serviceWindowView } from './service-window-view';

export const handler = httpRoute({ roles: ['customer', 'agent', 'admin', 'finance'], query: MonthQuery }, async ({ query, deps }) => {
  const [from, to] = monthRange(query.month, deps.calendar);
  const windows = await deps.windows.windowsOverlapping(from, to);
  return json(200, { items: windows.map((w) => serviceWindowView(w, deps.calendar)) });
});
