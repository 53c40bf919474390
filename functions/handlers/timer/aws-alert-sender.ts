import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SNSClient } from '@aws-sdk/client-sns';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { hmacSha256 } from '../../adapters/inbound/hmac';
import { readSecret } from '../../adapters/inbound/secret';
import { AddressedSender } from '../../adapters/notifier/addressed-sender';
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
  const router = new ChannelRouter({
    email: new SesEmailSender(traced(new SESv2Client(CLIENT)), { fromAddress: config.ALERT_FROM_EMAIL }),
    sns: new SnsAlertPublisher(traced(new SNSClient(CLIENT)), { topicArn: config.BREACH_TOPIC_ARN }),
  });
  // With an inbound domain, a ticket's emails carry the Reply-To its replies come back by (signed with the stage's secret).
  const inbound =
    config.INBOUND_DOMAIN && config.INBOUND_SECRET_ARN
      ? { mac: hmacSha256(await readSecret(traced(new SecretsManagerClient(CLIENT)), config.INBOUND_SECRET_ARN)), addresses: { domain: config.INBOUND_DOMAIN } }
      : undefined;
  return new AddressedSender(router, { domain: config.INBOUND_DOMAIN ?? config.ALERT_FROM_EMAIL.replace(/^.*@/, ''), ...(inbound ? { inbound } : {}) });
}
