import { READS_PROBE_TARGETS } from '../dependencies';
import { sampleLine } from '../../domain/availability/export-format';
import { measuredTarget } from '../../domain/availability/probe';
import { httpRoute } from './http-route';
import { getAvailabilitySamples } from './routes';

/** The raw samples as JSON Lines, the format `sla-desk availability --samples` reads back. */
export const handler = httpRoute(
  getAvailabilitySamples,
  async ({ query, deps }) => {
    const samples = await deps.samples.samples(measuredTarget(query.target, deps.probeTargets), query.month);
    return {
      statusCode: 200,
      headers: { 'content-type': 'application/jsonl', 'content-disposition': `attachment; filename="samples-${query.target}-${query.month}.jsonl"` },
      body: samples.map((s) => `${sampleLine(s)}\n`).join(''),
    };
  },
  READS_PROBE_TARGETS,
);
