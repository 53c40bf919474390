import { capabilityHandler } from '../capability';
import { handler as generateReport } from '../generate-report';
import { handler as listReports } from '../list-reports';
import { handler as listReportVersions } from '../list-report-versions';
import { handler as getReportFile } from '../get-report-file';

/** Monthly reports: asking for one, listing versions, serving files. */
export const handler = capabilityHandler('reports', [generateReport, listReports, listReportVersions, getReportFile]);
