import { httpRoute, json } from './http-route';
import { reportMonthOf } from './report-month';
import { generateReport } from './routes';

/** Finance asks for a month's report; the report function makes it (at once on the local stack). */
export const handler = httpRoute(
  generateReport,
  async ({ actor, params, body, deps }) => {
    const month = reportMonthOf(params);
    deps.reports.assertCanRequest(actor, month);
    await deps.reportRequests.request(month, actor.subject, body.reason ?? `requested by ${actor.subject}`);
    return json(202, { month, status: 'accepted', versions: `/reports/${month}` }, { location: `/reports/${month}` });
  },
  { reportRequests: (config) => import('../../adapters/reports/lambda-report-requests').then((m) => m.lambdaReportRequests(config)) },
);
