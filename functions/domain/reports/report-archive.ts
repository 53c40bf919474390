import type { Instant } from '../calendar/business-calendar';
import type { LocalMonth } from '../month';
import type { StoredFile } from './report-formats';

/** One generated version of a month's report: when, by whom and why, never changed once recorded. */
export interface ReportVersion {
  readonly month: LocalMonth;
  readonly version: number;
  readonly createdAt: Instant;
  readonly by: string;
  readonly reason: string;
  /** The run that made it (on AWS the report function's invocation, which a retry keeps): a redelivered run finds it instead of making another. */
  readonly request?: string;
}

/** Where report files live: S3 on AWS, `DATA_DIR/reports/` locally. A file once written is never replaced; the page is never stored (it names people). */
export interface ReportFiles {
  /** Writes the file unless it exists; 'exists' leaves the first one as it was. */
  put(month: LocalMonth, version: number, file: StoredFile, body: string, contentType: string): Promise<'written' | 'exists'>;
  get(month: LocalMonth, version: number, file: StoredFile): Promise<string | undefined>;
  /** Where the file can be fetched directly for a few minutes (S3: a presigned URL); absent where files are served inline (locally). */
  link?(month: LocalMonth, version: number, file: StoredFile, contentType: string): Promise<string>;
}

/** The versions of each month's report, in the table: a version is recorded once, after its files. */
export interface ReportRegistry {
  /** Records the version unless that number is taken; false when it is. */
  record(version: ReportVersion): Promise<boolean>;
  versions(month: LocalMonth): Promise<ReportVersion[]>;
  /** Every version of a year's months, oldest first. */
  year(year: number): Promise<ReportVersion[]>;
}

/** Asks for a month's report to be generated: at once locally, by the report function (asynchronously) on AWS. */
export interface ReportRequests {
  request(month: LocalMonth, by: string, reason: string): Promise<void>;
}

/** What a version's "report ready" emails are about: they are kept beside it, one per customer told. */
export const reportReadyAbout = (version: { readonly month: string; readonly version: number }) => ({ type: 'report' as const, id: `${version.month}-v${version.version}` });
