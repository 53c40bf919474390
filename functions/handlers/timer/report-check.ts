import '../tracing';
import { missingMonthlyReport } from '../../domain/reports/report-check';
import { dependencies } from '../dependencies';
import { count, lambdaHandler, logger, METRIC } from '../observability';

/** Thrown so the run fails: its Errors alarm pages on-call as well as the metric's. */
export class MonthlyReportMissingError extends Error {}

/**
 * On the 1st at 07:00 Copenhagen time: did last month's report appear? The
 * metric is 1 when it did not (0 when it did, so the alarm has data), and the
 * run fails.
 */
export const handler = lambdaHandler(async (_event: unknown, context) => {
  const deps = await dependencies({}, context);
  const missing = await missingMonthlyReport(deps.reportRegistry, deps.now(), deps.calendar.timeZone);
  count(METRIC.monthlyReportsMissing, missing ? 1 : 0);
  if (missing) {
    logger.error('monthly report missing', { month: missing });
    throw new MonthlyReportMissingError(`the monthly report of ${missing} has not appeared: see the runbook "Re-generating a report" in docs/operations.md`);
  }
  logger.info('monthly report present');
  return { missing: null };
});
