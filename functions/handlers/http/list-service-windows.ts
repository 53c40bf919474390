import { httpRoute, json } from './http-route';
import { listServiceWindows } from './routes';
import { monthBounds, parseMonth } from '../../domain/month';
import { serviceWindowView } from '../../domain/availability/service-windows';

export const handler = httpRoute(listServiceWindows, async ({ query, deps }) => {
  const [from, to] = monthBounds(parseMonth(query.month), deps.calendar.timeZone);
  const windows = await deps.windows.windowsOverlapping(from, to);
  return json(200, { items: windows.map((w) => serviceWindowView(w, deps.calendar)) });
});
