import { REPORT_FILES } from '../../domain/reports/report-files';
import { httpRoute, json } from './http-route';
import { reportMonthOf, versionView } from './report-month';
import { listReportVersions } from './routes';

export const handler = httpRoute(listReportVersions, async ({ actor, params, deps }) => {
  const month = reportMonthOf(params);
  const versions = await deps.reports.versions(actor, month);
  const files = actor.role === 'customer' ? REPORT_FILES.filter((f) => f !== 'sla.csv' && f !== 'consultancy.csv') : [...REPORT_FILES];
  return json(200, { month, versions: versions.map((v) => versionView(v, (t) => deps.calendar.iso(t))), files });
});
