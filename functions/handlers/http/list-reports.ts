import { reportsOf } from '../services';
import { httpRoute, json } from './http-route';
import { versionView } from './report-month';
import { listReports } from './routes';

export const handler = httpRoute(listReports, async ({ query, deps }) =>
  json(200, { year: query.year, months: (await reportsOf(deps).months(query.year)).map((v) => versionView(v, (t) => deps.calendar.iso(t))) }),
);
