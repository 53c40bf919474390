import { SendEmailCommand, type SendEmailCommandInput, SESv2Client } from '@aws-sdk/client-sesv2';
import { PublishCommand, type PublishCommandInput, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { ChannelRouter } from '#adapters/notifier/channel-router';
import { SesEmailSender } from '#adapters/notifier/ses-email-sender';
import { SnsAlertPublisher } from '#adapters/notifier/sns-alert-publisher';
import { mulberry32 } from '../../bench/suite';

/** What SES and SNS said they accepted. */
interface Accepted {
  readonly email: SendEmailCommandInput[];
  readonly sns: PublishCommandInput[];
}

/** The errors SES and SNS answer with when they are struggling, as the SDK throws them. */
const OUTAGES = [
  () => Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } }),
  () => Object.assign(new Error('Service Unavailable'), { name: 'ServiceUnavailable', $metadata: { httpStatusCode: 503 } }),
  () => Object.assign(new Error('Internal failure'), { name: 'InternalFailure', $metadata: { httpStatusCode: 500 } }),
  () => Object.assign(new Error('socket hang up'), { name: 'TimeoutError', code: 'ECONNRESET' }),
];

/**
 * The production senders (SES email, SNS topic) on SDK clients that refuse a
 * share of calls at random while `failureRate` is above 0. A refused call was
 * not accepted; an accepted one is recorded.
 */
export function flakyChannels(seed: number) {
  const ses = mockClient(SESv2Client);
  const sns = mockClient(SNSClient);
  const state = { failureRate: 0, refused: 0 };
  const accepted: Accepted = { email: [], sns: [] };
  // Seeded: the same outages on every run.
  const random = mulberry32(seed);
  const maybeRefuse = () => {
    if (random() < state.failureRate) {
      state.refused++;
      throw OUTAGES[Math.floor(random() * OUTAGES.length)]!();
    }
  };
  ses.on(SendEmailCommand).callsFake((input: SendEmailCommandInput) => {
    maybeRefuse();
    accepted.email.push(input);
    return { MessageId: `email-${accepted.email.length}` };
  });
  sns.on(PublishCommand).callsFake((input: PublishCommandInput) => {
    maybeRefuse();
    accepted.sns.push(input);
    return { MessageId: `sns-${accepted.sns.length}` };
  });
  const sender = new ChannelRouter({
    email: new SesEmailSender(new SESv2Client({ region: 'eu-north-1' }), { fromAddress: 'sla-desk@provider.example' }),
    sns: new SnsAlertPublisher(new SNSClient({ region: 'eu-north-1' }), { topicArn: 'arn:aws:sns:eu-north-1:123456789012:sla-alerts' }),
  });
  return {
    sender,
    accepted,
    state,
    restore() {
      ses.restore();
      sns.restore();
    },
  };
}
