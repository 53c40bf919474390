import { ReportService } from '../domain/reports/report-service';
import type { Dependencies } from './dependencies';

/** Built on first use, and imported by the report functions alone: no other function bundles the report rendering. */
const services = new WeakMap<Dependencies, ReportService>();

export function reportsOf(deps: Dependencies): ReportService {
  return services.get(deps) ?? services.set(deps, new ReportService(deps)).get(deps)!;
}

