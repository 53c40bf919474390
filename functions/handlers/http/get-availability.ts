import { monthAvailability } from '../../domain/availability/availability';
import { availabilityView } from '../../domain/availability/export-format';
import { measuredTarget } from '../../domain/availability/probe';
import { httpRoute, json } from './http-route';
import { getAvailability } from './routes';
import { monthBounds, parseMonth } from '../../domain/month';

/** The month to date, counted from the probe's samples and the service windows. */
export const handler = httpRoute(getAvailability, async ({ query, deps }) => {
  const [from, to] = monthBounds(parseMonth(query.month), deps.calendar.timeZone);
  const target = measuredTarget(query.target, deps.probeTargets);
  const [samples, windows] = await Promise.all([deps.samples.samples(target, query.month), deps.windows.windowsOverlapping(from, to)]);
  const figure = monthAvailability({ calendar: deps.calendar, month: query.month, target: query.target, samples, windows, asOf: deps.now() });
  return json(200, availabilityView(figure, deps.calendar));
});
