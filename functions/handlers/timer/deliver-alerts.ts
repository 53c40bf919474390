import '../tracing';
import { dependencies } from '../dependencies';
import { count, lambdaHandler, logger, METRIC, metrics, MetricUnit, safeError } from '../observability';
import { awsAlertSender } from './aws-alert-sender';
import { customersOf, deliveryOf, digestsOf, monitoringOf, serviceWindowsOf, timersOf } from '../services';

/**
 * The relay, every minute:
 * 1. sweep: record the breach of every running ticket past its deadline whose timer was lost or failed,
 *    write the service-window notices an interrupted request left unwritten, and, over the customers it
 *    watches (a go-live agreed, hypercare not settled: never the full list), alert on-call once of a
 *    hypercare past its planned end, record conclusions, escalate incidents and queue the digests due;
 * 2. deliver the alerts still queued (a failed send, an API function's, the sweep's);
 * 3. publish how long the oldest undelivered alert has waited, which an alarm watches.
 * Each alert is delivered, and logged, under the correlation id of what raised it.
 */
export const handler = lambdaHandler(async (_event: unknown, context) => {
  const deps = await dependencies({ sender: awsAlertSender, probeTargets: true }, context);
  const { customers: profiles, now } = deps;
  const [timers, delivery, serviceWindows, customerService, digests, monitoring] = [timersOf(deps), deliveryOf(deps), serviceWindowsOf(deps), customersOf(deps), digestsOf(deps), monitoringOf(deps)];
  if (!delivery) throw new Error('sla-desk configuration: BREACH_TOPIC_ARN and ALERT_FROM_EMAIL are required to deliver alerts');
  // Notices an interrupted announcement or cancellation left unwritten.
  const fannedOut = await serviceWindows.completeFanOuts().catch((error: unknown) => {
    logger.error('pending service-window notices could not be completed; the next run tries again', { error: safeError(error) });
    return -1;
  });
  const roundAt = now();
  // The hypercare steps below share one read: the customers the relay watches (a sparse index), not every customer.
  const customers = await profiles.watchedCustomers().catch((error: unknown) => {
    logger.error('the watched customers could not be read; the next run tries again', { error: safeError(error) });
    return undefined;
  });
  if (customers) {
    const ok = () => true;
    // Hypercare past its planned end without concluding: on-call hears of it once.
    await customerService.alertOverdue(customers).catch((error: unknown) => logger.error('overdue hypercare could not be checked; the next run tries again', { error: safeError(error) }));
    // Hypercare concludes on the clock: each conclusion goes into the customer's audit trail, once.
    const recorded = await customerService.recordConclusions(customers).then(ok, (error: unknown) => {
      logger.error('hypercare conclusions could not be recorded; the next run tries again', { error: safeError(error) });
      return false;
    });
    // While any customer is in hypercare, an incident's first down sample goes to the escalation list at once.
    await monitoring.escalateIncidents(customers).catch((error: unknown) => logger.error('incidents could not be checked for hypercare escalation', { error: safeError(error) }));
    // The hypercare digests that came due (go-live, and Mondays 08:00 Copenhagen), each exactly once.
    const digested = await digests.sendDue(customers).then(ok, (error: unknown) => {
      logger.error('hypercare digests could not be prepared; the next run tries again', { error: safeError(error) });
      return false;
    });
    // A concluded hypercare, recorded and with its last digests queued, leaves the minute round.
    if (recorded && digested) await customerService.settleConcluded(customers, roundAt).catch((error: unknown) => logger.error('concluded hypercare could not be settled; the next run tries again', { error: safeError(error) }));
  }
  // Delivery runs whatever the sweep met: a failure there must not hold up queued alerts.
  const swept = await timers.sweep().catch((error: unknown) => {
    logger.error('the sweep could not read the running tickets', { error: safeError(error) });
    return { overdue: 0, recorded: [], settled: 0, failed: ['*'] };
  });
  if (swept.recorded.length) logger.warn('the sweep recorded breaches before any timer did', { tickets: swept.recorded });
  if (swept.failed.length) logger.error('the sweep could not check some tickets; the next run tries again', { tickets: swept.failed });
  const report = await delivery.deliverPending();
  if (report.failed) logger.warn('some alerts were not accepted; they stay queued', { ...report });
  const oldestPendingMs = await delivery.oldestPendingAge();
  // Attempts and failures are counted per alert as they are sent (AlertDeliveryAttempts, AlertDeliveryFailures).
  count(METRIC.slaBreaches, swept.recorded.length);
  count(METRIC.sweptBreaches, swept.recorded.length);
  count(METRIC.sweepFailures, swept.failed.length);
  metrics().addMetric(METRIC.oldestPendingAlertAge, MetricUnit.Seconds, Math.round(oldestPendingMs / 1000));
  // A sweep that failed fails the run, after delivery, so the Errors alarm pages.
  if (fannedOut < 0) throw new Error('pending service-window notices could not be completed');
  if (swept.failed.length) throw new Error(`the sweep could not check ${swept.failed.length} ticket(s): ${swept.failed.join(', ')}`);
  return { ...report, swept, oldestPendingMs };
});
