import '../tracing';
import * as z from 'zod/mini';
import { parseMonth } from '../../domain/month';
import { dependencies } from '../dependencies';
import { correlationIdOfEvent, lambdaHandler, logger, METRIC, metrics, MetricUnit, traced } from '../observability';
import { reportsOf } from '../services';

/** What the API sends when finance asks for a month's report; the schedule sends nothing. */
const Request = z.optional(z.object({ month: z.string(), by: z.string().check(z.minLength(1)), reason: z.string().check(z.minLength(1)) }));

/**
 * On the 1st at 06:00 Copenhagen time: last month's report, once (a repeated
 * run adds nothing). Asked by the API: the month's report, as a new version.
 * Lambda retries a failed asynchronous invoke under the same request id, so
 * that id names the run: a retry finishes its version instead of adding one.
 */
export const handler = lambdaHandler(
  async (event: unknown, context) => {
    const reports = reportsOf(
      await dependencies({ probeTargets: true, reportFiles: (config) => import('../../adapters/reports/s3-report-files').then((m) => m.s3ReportFiles(config, traced)) }, context),
    );
    const request = Request.parse(event && typeof event === 'object' && 'month' in event ? event : undefined);
    const started = performance.now();
    const run = context.awsRequestId || undefined;
    const made = request ? await reports.generate(parseMonth(request.month), request.by, request.reason, run) : await reports.runScheduled(run);
    if (made) metrics().addMetric(METRIC.reportGenerationTime, MetricUnit.Milliseconds, Math.round(performance.now() - started));
    logger.info('monthly report', { month: made?.month ?? reports.previousMonth(), version: made?.version ?? null, by: made?.by ?? null });
    return { version: made?.version ?? null };
  },
  { correlationIdOf: correlationIdOfEvent },
);
