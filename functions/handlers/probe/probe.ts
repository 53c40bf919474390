import { Logger } from '@aws-lambda-powertools/logger';
import middy from '@middy/core';
import { HttpProber } from '../../adapters/probe/http-prober';
import { probeOnce } from '../../domain/availability/probe';
import { dependencies } from '../dependencies';

const logger = new Logger({ serviceName: 'sla-desk' });
const prober = new HttpProber();

/**
 * Every 5 minutes: check each target and keep the sample. A failing check is
 * a sample that is not ok; only a sample that cannot be stored fails the run,
 * so the alarm on errors means measurements are going missing.
 */
export const handler = middy(async () => {
  const { probeTargets, samples, now } = await dependencies();
  if (!probeTargets.length) throw new Error('sla-desk configuration: no probe targets (API_HEALTH_URL or PROBE_TARGETS)');
  const run = await probeOnce(probeTargets, prober, samples, now());
  for (const sample of run.samples) if (!sample.ok) logger.warn('probe target down', { sample: { ...sample } });
  return { written: run.written, duplicate: run.duplicate };
});
