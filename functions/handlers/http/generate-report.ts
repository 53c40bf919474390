import { ConflictError } from '../../domain/errors';
import { monthEnded } from '../../domain/month';
import { httpRoute, json } from './http-route';
import { reportMonthOf } from './report-month';
import { generateReport } from './routes';

/** Finance asks for a month's report; the report function makes it (at once on the local stack). */
export const handler = httpRoute(
  generateReport,
  async ({ actor, params, body, deps }) => {
    const month = reportMonthOf(params);
    if (!monthEnded(month, deps.now(), deps.calendar.timeZone)) throw new ConflictError(`${month} has not ended yet: a month's report is made once it is over`);
    if (!deps.reportRequests) throw new Error('this function asks for reports but was given no way to: its handler passes the report function');
    await deps.reportRequests.request(month, actor.subject, body.reason ?? `requested by ${actor.subject}`);
    return json(202, { month, status: 'accepted', versions: `/reports/${month}` }, { location: `/reports/${month}` });
  },
  { reportRequests: (config) => import('../../adapters/reports/lambda-report-requests').then((m) => m.lambdaReportRequests(config)) },
);
