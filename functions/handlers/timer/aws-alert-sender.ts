import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SNSClient } from '@aws-sdk/client-sns';
import { ChannelRouter } from '../../adapters/notifier/channel-router';
import { SesEmailSender } from '../../adapters/notifier/ses-email-sender';
import { SnsAlertPublisher } from '../../adapters/notifier/sns-alert-publisher';
import type { AlertSender } from '../../domain/notifications/alerts';
import type { Config } from '../config';
import { traced } from '../observability';

/** Each call gives up well within the outbox claim (60 s), so a slow send cannot outlive its lease. */
const CLIENT = { maxAttempts: 3, requestHandler: { connectionTimeout: 3_000, requestTimeout: 10_000 } };

/** SES for email and SNS for the breach topic, for the functions configured to deliver. */
export async function awsAlertSender(config: Config): Promise<AlertSender | undefined> {
  if (!config.BREACH_TOPIC_ARN || !config.ALERT_FROM_EMAIL) return undefined;
  return new ChannelRouter({
    email: new SesEmailSender(traced(new SESv2Client(CLIENT)), { fromAddress: config.ALERT_FROM_EMAIL }),
    sns: new SnsAlertPublisher(traced(new SNSClient(CLIENT)), { topicArn: config.BREACH_TOPIC_ARN }),
  });
}
