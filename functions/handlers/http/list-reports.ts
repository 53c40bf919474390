import { reportsOf } from '../services';
import { httpRoute, json } from './http-route';
import { withByNames } from './named';
import { versionView } from './report-month';
import { listReports } from './routes';

export const handler = httpRoute(listReports, async ({ actor, query, deps }) => {
  const months = (await reportsOf(deps).months(query.year)).map((v) => versionView(v, (t) => deps.calendar.iso(t)));
  return json(200, { year: query.year, months: await withByNames(months, actor, deps.people) });
});
