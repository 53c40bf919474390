import { Logger } from '@aws-lambda-powertools/logger';
import middy from '@middy/core';
import { dependencies } from '../dependencies';
import { awsAlertSender } from './aws-alert-sender';

const logger = new Logger({ serviceName: 'sla-desk' });

/** The outbox relay, every minute: delivers alerts that a failed send or an API function left queued. */
export const handler = middy(async () => {
  const { delivery } = await dependencies(awsAlertSender);
  if (!delivery) throw new Error('sla-desk configuration: BREACH_TOPIC_ARN and ALERT_FROM_EMAIL are required to deliver alerts');
  const report = await delivery.deliverPending();
  if (report.failed) logger.warn('some alerts were not accepted; they stay queued', { ...report });
  return report;
});
