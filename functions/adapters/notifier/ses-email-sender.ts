import { type Body, SendEmailCommand, type SendEmailCommandInput, type SESv2Client } from '@aws-sdk/client-sesv2';
import type { AlertMessage, AlertSender } from '../../domain/notifications/alerts';

export interface SesEmailSenderConfig {
  /** A verified identity in the account's SES region. */
  readonly fromAddress: string;
  /** Routes bounce/complaint/delivery events; omitted when not configured. */
  readonly configurationSetName?: string;
}

const TAG_MAX = 256;

/** SES tag values allow only ASCII letters, digits, `_` and `-` (at most 256); anything else would reject the send. */
export function sesTagValue(value: string): string {
  const cleaned = value.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, TAG_MAX);
  return cleaned === '' ? '_' : cleaned;
}

/** Sends email alerts through SES v2 as one simple (text + optional HTML) message. */
export class SesEmailSender implements AlertSender {
  constructor(
    private readonly client: SESv2Client,
    private readonly config: SesEmailSenderConfig,
  ) {}

  request(message: AlertMessage): SendEmailCommandInput {
    if (message.channel !== 'email') {
      throw new Error(`SesEmailSender only sends email alerts, got channel '${message.channel}' for ${message.id}`);
    }
    const recipients = message.recipients ?? [];
    // Dropping it would lose the alert while the outbox marks it sent.
    if (recipients.length === 0) throw new Error(`email alert ${message.id} has no recipients`);

    const body: Body = {
      Text: { Data: message.body, Charset: 'UTF-8' },
    };
    if (message.html !== undefined) body.Html = { Data: message.html, Charset: 'UTF-8' };

    const input: SendEmailCommandInput = {
      FromEmailAddress: this.config.fromAddress,
      Destination: { ToAddresses: [...recipients] },
      Content: {
        Simple: {
          Subject: { Data: message.subject, Charset: 'UTF-8' },
          Body: body,
          // SES replaces any Message-ID with its own, so a ticket's emails name their ticket's thread
          // instead: mail programs group them by it, and carry it in the References of a reply.
          ...(message.thread ? { Headers: [{ Name: 'References', Value: `<${message.thread}>` }] } : {}),
        },
      },
      ...(message.replyTo ? { ReplyToAddresses: [message.replyTo] } : {}),
      EmailTags: [
        { Name: 'kind', Value: sesTagValue(message.kind) },
        {
          Name: { ticket: 'ticket', 'service-window': 'window', customer: 'customer', target: 'target', report: 'report', inbound: 'inbound' }[message.about.type],
          Value: sesTagValue(message.about.id),
        },
      ],
    };
    if (this.config.configurationSetName !== undefined) input.ConfigurationSetName = this.config.configurationSetName;
    return input;
  }

  async send(message: AlertMessage): Promise<void> {
    await this.client.send(new SendEmailCommand(this.request(message)));
  }
}
