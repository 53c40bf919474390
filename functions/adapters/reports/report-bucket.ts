import type { LocalMonth } from '../../domain/month';
import type { ReportFile } from '../../domain/reports/report-formats';

/** How long a presigned link to a report file works. */
export const LINK_SECONDS = 300;

/** The object key of a report file: one prefix per month and version. */
export const reportKey = (month: LocalMonth, version: number, file: ReportFile) => `reports/${month}/v${version}/${file}`;
