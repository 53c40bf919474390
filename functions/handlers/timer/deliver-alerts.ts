import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import middy from '@middy/core';
import { dependencies } from '../dependencies';
import { awsAlertSender } from './aws-alert-sender';

const logger = new Logger({ serviceName: 'sla-desk' });
const metrics = new Metrics({ serviceName: 'sla-desk' });

/**
 * The relay, every minute:
 * 1. sweep: record the breach of every running ticket past its deadline whose timer was lost or failed;
 * 2. deliver the alerts still queued (a failed send, an API function's, the sweep's);
 * 3. publish how long the oldest undelivered alert has waited, which an alarm watches.
 */
export const handler = middy(async () => {
  const { timers, delivery } = await dependencies(awsAlertSender);
  if (!delivery) throw new Error('sla-desk configuration: BREACH_TOPIC_ARN and ALERT_FROM_EMAIL are required to deliver alerts');
  const swept = await timers.sweep();
  if (swept.recorded.length) logger.warn('the sweep recorded breaches that no timer had recorded', { tickets: swept.recorded });
  const report = await delivery.deliverPending();
  if (report.failed) logger.warn('some alerts were not accepted; they stay queued', { ...report });
  const oldestPendingMs = await delivery.oldestPendingAge();
  metrics.addMetric('SweptBreaches', MetricUnit.Count, swept.recorded.length);
  metrics.addMetric('AlertsFailed', MetricUnit.Count, report.failed);
  metrics.addMetric('OldestPendingAlertAge', MetricUnit.Seconds, Math.round(oldestPendingMs / 1000));
  metrics.publishStoredMetrics();
  return { ...report, swept, oldestPendingMs };
});
