import { dispositionOf } from '../../domain/reports/report-formats';
import { reportsOf } from '../services';
import { type HttpResult, httpRoute } from './http-route';
import { reportFileOf, reportMonthOf } from './report-month';
import { getReportFile } from './routes';

/** A report file as stored (the provider), or the customer's own slice of it. */
export const handler = httpRoute(
  getReportFile,
  async ({ actor, params, query, deps }): Promise<HttpResult> => {
    const file = reportFileOf(params);
    const served = await reportsOf(deps).file(actor, reportMonthOf(params), file, query.version);
    if ('link' in served) return { statusCode: 303, headers: { location: served.link, 'cache-control': 'no-store' } };
    const { body, contentType, version } = served;
    return {
      statusCode: 200,
      headers: {
        'content-type': contentType,
        'content-disposition': dispositionOf(reportMonthOf(params), version, file),
        // A version never changes; the latest may move on.
        'cache-control': query.version === undefined ? 'private, no-cache' : 'private, max-age=31536000, immutable',
        'x-content-type-options': 'nosniff',
        // The page is self-contained: no script, no fetch, only its own inline style.
        'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src data:",
      },
      body,
    };
  },
  { reportFiles: (config) => import('../../adapters/reports/s3-signed-reads').then((m) => m.s3SignedReads(config)) },
);
