import type { WatchedCustomer } from '../../domain/customers/customer';
import type { AlertDelivery } from '../../domain/notifications/alert-delivery';
import type { Dependencies } from '../dependencies';
import { count, logger, METRIC, metrics, MetricUnit, safeError } from '../observability';
import { digestsOf, hypercareOf, monitoringOf, serviceWindowsOf, timersOf } from '../services';

/** One step of the relay's minute round. */
export interface RelayStep {
  /** Its name in the logs (`step`) and in the `step` dimension of RelayStepFailures. */
  readonly name: string;
  /** Steps whose results it works on: it runs only if each of them succeeded in this round. */
  readonly needs?: readonly string[];
  /** Its failure fails the run, once every later step has run, so the relay's Errors alarm pages. */
  readonly pages?: boolean;
  readonly run: () => Promise<void>;
}

export type StepOutcome = 'done' | 'failed' | 'skipped';

/**
 * The relay's minute round, in order. Each alert is delivered, and logged,
 * under the correlation id of what raised it.
 */
export function relaySteps(deps: Dependencies, delivery: AlertDelivery): RelayStep[] {
  const hypercare = hypercareOf(deps);
  // The hypercare steps share one read: the customers the relay watches (a sparse index), never every customer.
  let watched: readonly WatchedCustomer[] = [];
  let roundAt = 0;
  return [
    // Notices an interrupted announcement or cancellation left unwritten.
    { name: 'service-window-notices', pages: true, run: async () => void (await serviceWindowsOf(deps).completeFanOuts()) },
    {
      name: 'watched-customers',
      run: async () => {
        roundAt = deps.now();
        watched = await deps.customers.watchedCustomers();
      },
    },
    // Hypercare past its planned end without concluding: on-call hears of it once.
    { name: 'hypercare-overdue', needs: ['watched-customers'], run: async () => void (await hypercare.alertOverdue(watched)) },
    // Hypercare concludes on the clock: each conclusion goes into the customer's audit trail, once.
    { name: 'hypercare-conclusions', needs: ['watched-customers'], run: async () => void (await hypercare.recordConclusions(watched)) },
    // While any customer is in hypercare, an incident's first down sample goes to the escalation list at once.
    { name: 'hypercare-incidents', needs: ['watched-customers'], run: async () => void (await monitoringOf(deps).escalateIncidents(watched)) },
    // The hypercare digests that came due (go-live, and Mondays 08:00 Copenhagen), each exactly once.
    { name: 'hypercare-digests', needs: ['watched-customers'], run: async () => void (await digestsOf(deps).sendDue(watched)) },
    // A concluded hypercare, recorded and with its last digests queued, leaves the minute round.
    { name: 'hypercare-settle', needs: ['hypercare-conclusions', 'hypercare-digests'], run: async () => void (await hypercare.settleConcluded(watched, roundAt)) },
    // Breaches whose timer was lost or failed; a ticket it could not check fails the run.
    { name: 'sweep', pages: true, run: () => sweep(deps) },
    // Whatever a failed send, an API function or the sweep left queued.
    {
      name: 'deliver-alerts',
      pages: true,
      run: async () => {
        // Attempts and failures are counted per alert as they are sent (AlertDeliveryAttempts, AlertDeliveryFailures).
        const report = await delivery.deliverPending();
        if (report.failed) logger.warn('some alerts were not accepted; they stay queued', { ...report });
      },
    },
    // How long the oldest undelivered alert has waited: the backlog alarm watches it, and its silence.
    {
      name: 'oldest-pending-alert',
      pages: true,
      run: async () => {
        const waitedMs = await delivery.oldestPendingAge();
        metrics().addMetric(METRIC.oldestPendingAlertAge, MetricUnit.Seconds, Math.round(waitedMs / 1000));
      },
    },
  ];
}

async function sweep(deps: Dependencies): Promise<void> {
  const swept = await timersOf(deps)
    .sweep()
    .catch((error: unknown) => {
      count(METRIC.sweepFailures);
      throw new Error('the sweep could not read the running tickets', { cause: error });
    });
  if (swept.recorded.length) logger.warn('the sweep recorded breaches before any timer did', { tickets: swept.recorded });
  count(METRIC.slaBreaches, swept.recorded.length);
  count(METRIC.sweptBreaches, swept.recorded.length);
  count(METRIC.sweepFailures, swept.failed.length);
  if (swept.failed.length) throw new Error(`the sweep could not check ${swept.failed.length} ticket(s): ${swept.failed.join(', ')}`);
}

/**
 * Runs the steps one after another, each whatever the ones before it did: a
 * step is skipped only when a step it needs did not succeed. A failure is
 * logged and counted under the step's name; once all have run, the run fails
 * if a step that pages failed.
 */
export async function runRelaySteps(steps: readonly RelayStep[]): Promise<Record<string, StepOutcome>> {
  const outcomes: Record<string, StepOutcome> = {};
  const paging: { step: string; error: unknown }[] = [];
  for (const step of steps) {
    const unmet = (step.needs ?? []).filter((name) => outcomes[name] !== 'done');
    if (unmet.length) {
      outcomes[step.name] = 'skipped';
      logger.warn('relay step skipped: a step it needs did not succeed', { step: step.name, needs: unmet });
      continue;
    }
    try {
      await step.run();
      outcomes[step.name] = 'done';
    } catch (error) {
      outcomes[step.name] = 'failed';
      logger.error('relay step failed; the next run tries again', { step: step.name, error: safeError(error) });
      countFailure(step.name);
      if (step.pages) paging.push({ step: step.name, error });
    }
  }
  if (paging.length) {
    const what = paging.map(({ step, error }) => `${step} (${error instanceof Error ? error.message : String(error)})`).join('; ');
    throw new Error(`relay step(s) failed: ${what}`, { cause: paging[0]!.error });
  }
  return outcomes;
}

/**
 * RelayStepFailures with the step as a dimension, sent only when a step fails:
 * each step's series is a custom metric of its own, billed for the hours it is sent.
 */
function countFailure(step: string): void {
  const single = metrics().singleMetric();
  single.addDimension('step', step);
  single.addMetric(METRIC.relayStepFailures, MetricUnit.Count, 1);
}
