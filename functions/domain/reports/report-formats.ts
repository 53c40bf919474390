/* The report's files and their media types: light enough for the route table, which every function loads. */

/** The files of a month's report, as `GET /reports/{YYYY-MM}/{file}` names them. */
export const REPORT_FILES = ['report.json', 'availability.csv', 'sla.csv', 'resolution.csv', 'consultancy.csv', 'report.html'] as const;
export type ReportFile = (typeof REPORT_FILES)[number];

/**
 * The files a version stores. The page is not among them: it names people,
 * and a version keeps them by their ids alone, so the page is rendered from
 * the stored report.json when it is read, with the names their records hold then.
 * Nor is resolution.csv: added after versions were first stored, it is made from
 * report.json too, so every version has it (an earlier version's has no rows).
 */
export const STORED_FILES = ['report.json', 'availability.csv', 'sla.csv', 'consultancy.csv'] as const satisfies readonly ReportFile[];
export type StoredFile = (typeof STORED_FILES)[number];

/** Files that list every customer: the provider's alone (a customer's slice is the JSON, availability and the page). */
export const ALL_CUSTOMER_FILES: readonly ReportFile[] = ['sla.csv', 'resolution.csv', 'consultancy.csv'];

export const CONTENT_TYPES: Record<ReportFile, string> = {
  'report.json': 'application/json',
  'availability.csv': 'text/csv; charset=utf-8; header=present',
  'sla.csv': 'text/csv; charset=utf-8; header=present',
  'resolution.csv': 'text/csv; charset=utf-8; header=present',
  'consultancy.csv': 'text/csv; charset=utf-8; header=present',
  'report.html': 'text/html; charset=utf-8',
};

/** How a browser gets a file, served or linked: the page and the JSON open in place, the spreadsheets download; each named by month and version. */
export function dispositionOf(month: string, version: number, file: ReportFile): string {
  return `${file.endsWith('.csv') ? 'attachment' : 'inline'}; filename="${month}-v${version}-${file}"`;
}
