import { dependencies } from '../dependencies';
import { count, lambdaHandler, logger, METRIC, metrics, MetricUnit, safeError } from '../observability';
import { awsAlertSender } from './aws-alert-sender';

/**
 * The relay, every minute:
 * 1. sweep: record the breach of every running ticket past its deadline whose timer was lost or failed,
 *    write the service-window notices an interrupted request left unwritten, and alert on-call once
 *    of each customer's hypercare that passed its planned end without concluding;
 * 2. deliver the alerts still queued (a failed send, an API function's, the sweep's);
 * 3. publish how long the oldest undelivered alert has waited, which an alarm watches.
 * Each alert is delivered, and logged, under the correlation id of what raised it.
 */
export const handler = lambdaHandler(async () => {
  const { timers, delivery, serviceWindows, customerService, digests, monitoring, customers: profiles } = await dependencies({ sender: awsAlertSender });
  if (!delivery) throw new Error('sla-desk configuration: BREACH_TOPIC_ARN and ALERT_FROM_EMAIL are required to deliver alerts');
  // Notices an interrupted announcement or cancellation left unwritten.
  const fannedOut = await serviceWindows.completeFanOuts().catch((error: unknown) => {
    logger.error('pending service-window notices could not be completed; the next run tries again', { error: safeError(error) });
    return -1;
  });
  // The hypercare steps below share one read of the customers (undefined: each reads for itself).
  const customers = await profiles.allCustomers().catch((error: unknown) => {
    logger.error('the customers could not be read; each hypercare step tries on its own', { error: safeError(error) });
    return undefined;
  });
  // Hypercare past its planned end without concluding: on-call hears of it once.
  await customerService.alertOverdue(customers).catch((error: unknown) => logger.error('overdue hypercare could not be checked; the next run tries again', { error: safeError(error) }));
  // Hypercare concludes on the clock: each conclusion goes into the customer's audit trail, once.
  await customerService.recordConclusions(customers).catch((error: unknown) => logger.error('hypercare conclusions could not be recorded; the next run tries again', { error: safeError(error) }));
  // While any customer is in hypercare, an incident's first down sample goes to the escalation list at once.
  await monitoring.escalateIncidents(customers).catch((error: unknown) => logger.error('incidents could not be checked for hypercare escalation', { error: safeError(error) }));
  // The hypercare digests that came due (go-live, and Mondays 08:00 Copenhagen), each exactly once.
  await digests.sendDue(customers).catch((error: unknown) => logger.error('hypercare digests could not be prepared; the next run tries again', { error: safeError(error) }));
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
