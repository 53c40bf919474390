import '../tracing';
import { HttpProber } from '../../adapters/probe/http-prober';
import { slotOf } from '../../domain/availability/availability';
import { probeOnce, type SampleStore } from '../../domain/availability/probe';
import { monthOf } from '../../domain/month';
import { type Dependencies, dependencies, READS_PROBE_TARGETS } from '../dependencies';
import { count, lambdaHandler, logger, METRIC, metrics, MetricUnit, safeError } from '../observability';
import { availabilityOf } from '../services';

const prober = new HttpProber();
const HOUR = 3_600_000;

/**
 * Every 5 minutes: check each target and keep the sample. A failing check is
 * a sample that is not ok; only a sample that cannot be stored fails the run,
 * so the alarm on errors means measurements are going missing.
 */
export const handler = lambdaHandler(async (_event: unknown, context) => {
  const deps = await dependencies(READS_PROBE_TARGETS, context);
  const { probeTargets, now } = deps;
  if (!probeTargets.length) throw new Error('sla-desk configuration: no probe targets (API_HEALTH_URL, or the probe targets item the deploy writes)');
  const at = now();
  const { samples, settle, checked, missing } = counting(deps.samples);
  try {
    const run = await probeOnce(probeTargets, prober, samples, at);
    for (const sample of run.samples) if (!sample.ok) logger.warn('probe target down', { sample: { ...sample } });
    await monthToDate(deps, at);
    return { written: run.written, duplicate: run.duplicate };
  } finally {
    // A failed write rejects the run at once; the other targets' writes are counted once they end.
    await settle();
    count(METRIC.probeFailures, checked().filter((s) => !s.ok).length);
    count(METRIC.probeSamplesMissing, missing());
  }
});

/** The sample store, counting the samples handed to it and those it could not keep. */
function counting(store: SampleStore) {
  const writes: Promise<unknown>[] = [];
  const seen: Parameters<SampleStore['putSample']>[0][] = [];
  let missing = 0;
  const samples: SampleStore = {
    samples: (target, month) => store.samples(target, month),
    latestSamples: (target, month, n) => store.latestSamples(target, month, n),
    putSample(sample) {
      seen.push(sample);
      const write = store.putSample(sample);
      writes.push(write.catch(() => missing++));
      return write;
    },
  };
  return { samples, settle: () => Promise.all(writes), checked: () => seen, missing: () => missing };
}

/**
 * The lowest month-to-date availability among the measured targets, as the
 * domain counts it. Reading a month of samples per target is the expensive
 * part, so it is done once an hour: by the run in the hour's first 5-minute slot.
 */
async function monthToDate(deps: Dependencies, at: number): Promise<void> {
  if (slotOf(at) % HOUR !== 0) return;
  try {
    const month = monthOf(at, deps.calendar.timeZone);
    const figures = await Promise.all(deps.probeTargets.map((target) => availabilityOf(deps).month(target.name, month, at)));
    const measured = figures.map((f) => f.availabilityPercent).filter((p): p is number => p !== null);
    if (measured.length) metrics().addMetric(METRIC.availabilityMonthToDate, MetricUnit.Percent, Math.min(...measured));
  } catch (error) {
    // The samples are kept; only the hour's figure is missing.
    logger.warn('month-to-date availability not computed', { error: safeError(error) });
  }
}
