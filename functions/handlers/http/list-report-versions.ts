import { reportsOf } from '../services';
import { ALL_CUSTOMER_FILES, REPORT_FILES } from '../../domain/reports/report-formats';
import { httpRoute, json } from './http-route';
import { withByNames } from './named';
import { reportMonthOf, versionView } from './report-month';
import { listReportVersions } from './routes';

export const handler = httpRoute(listReportVersions, async ({ actor, params, deps }) => {
  const month = reportMonthOf(params);
  const versions = await reportsOf(deps).versions(month);
  const files = actor.role === 'customer' ? REPORT_FILES.filter((f) => !ALL_CUSTOMER_FILES.includes(f)) : [...REPORT_FILES];
  const views = versions.map((v) => versionView(v, (t) => deps.calendar.iso(t)));
  return json(200, { month, versions: await withByNames(views, actor, deps.people), files });
});
