import { httpRoute, json } from './http-route';
import { versionView } from './report-month';
import { listReports } from './routes';

export const handler = httpRoute(listReports, async ({ actor, query, deps }) =>
  json(200, { year: query.year, months: (await deps.reports.months(actor, query.year)).map((v) => versionView(v, (t) => deps.calendar.iso(t))) }),
);
