import { NotFoundError } from '../../domain/errors';
import { type LocalMonth, parseMonth } from '../../domain/month';
import type { ReportVersion } from '../../domain/reports/report-archive';
import { REPORT_FILES, type ReportFile } from '../../domain/reports/report-formats';

/** The `{month}` of a report path; anything else names no report. */
export function reportMonthOf(params: Readonly<Record<string, string>>): LocalMonth {
  try {
    return parseMonth(params.month);
  } catch {
    throw new NotFoundError(`no report of ${JSON.stringify(params.month)}: months are YYYY-MM`);
  }
}

export function reportFileOf(params: Readonly<Record<string, string>>): ReportFile {
  const file = params.file as ReportFile;
  if (!REPORT_FILES.includes(file)) throw new NotFoundError(`a report has no file ${JSON.stringify(params.file)}: ${REPORT_FILES.join(', ')}`);
  return file;
}

export const versionView = (version: ReportVersion, iso: (t: number) => string) => ({
  month: version.month,
  version: version.version,
  createdAt: iso(version.createdAt),
  by: version.by,
  reason: version.reason,
});
