import { PublishCommand, type PublishCommandInput, type SNSClient } from '@aws-sdk/client-sns';
import type { AlertMessage, AlertSender } from '../../domain/notifications/alerts';

export interface SnsAlertPublisherConfig {
  readonly topicArn: string;
}

const SUBJECT_MAX = 100;

/** Letters NFKD cannot split into an ASCII base plus accents. */
const TRANSLITERATIONS: Readonly<Record<string, string>> = {
  ø: 'o',
  Ø: 'O',
  æ: 'ae',
  Æ: 'AE',
  œ: 'oe',
  Œ: 'OE',
  ß: 'ss',
  ð: 'd',
  Ð: 'D',
  þ: 'th',
  Þ: 'Th',
  đ: 'd',
  Đ: 'D',
  ł: 'l',
  Ł: 'L',
  ı: 'i',
  '\u2018': "'",
  '\u2019': "'",
  '\u201C': '"',
  '\u201D': '"',
  '\u2013': '-',
  '\u2014': '-',
  '\u2026': '...',
  '\u2192': '->',
  '\u00A0': ' ',
};

/**
 * SNS rejects a Subject that is over 100 characters, has line breaks or control characters,
 * or starts with whitespace; email subscribers also see it, so keep it readable ASCII.
 */
export function snsSubject(subject: string, fallback = 'SLA alert'): string {
  const ascii = [...subject.normalize('NFKD')]
    .map((ch) => {
      if (/\p{M}/u.test(ch)) return '';
      if (/[\r\n\t\f\v]/.test(ch)) return ' ';
      const code = ch.codePointAt(0) ?? 0;
      if (code >= 0x20 && code <= 0x7e) return ch;
      return TRANSLITERATIONS[ch] ?? (code < 0x20 || (code >= 0x7f && code < 0xa0) ? ' ' : '?');
    })
    .join('')
    .replace(/ {2,}/g, ' ')
    .trim();
  if (ascii === '') return fallback === '' ? 'SLA alert' : snsSubject(fallback, '');
  if (ascii.length <= SUBJECT_MAX) return ascii;
  return `${ascii.slice(0, SUBJECT_MAX - 3).trimEnd()}...`;
}

/** Publishes alerts to one SNS topic, with attributes subscribers can filter on. */
export class SnsAlertPublisher implements AlertSender {
  constructor(
    private readonly client: SNSClient,
    private readonly config: SnsAlertPublisherConfig,
  ) {}

  request(message: AlertMessage): PublishCommandInput {
    if (message.channel !== 'sns') {
      throw new Error(`SnsAlertPublisher only publishes sns alerts, got channel '${message.channel}' for ${message.id}`);
    }
    return {
      TopicArn: this.config.topicArn,
      Subject: snsSubject(message.subject, `[SLA ${message.kind}] ${message.about.id}`),
      Message: message.body,
      // Subscribers filter on these; a notice to every customer has no priority and customer.
      MessageAttributes: {
        kind: { DataType: 'String', StringValue: message.kind },
        ...(message.priority ? { priority: { DataType: 'String', StringValue: message.priority } } : {}),
        ...(message.customerId ? { customerId: { DataType: 'String', StringValue: message.customerId } } : {}),
        hypercare: { DataType: 'String', StringValue: message.hypercare ? 'true' : 'false' },
      },
    };
  }

  async send(message: AlertMessage): Promise<void> {
    await this.client.send(new PublishCommand(this.request(message)));
  }
}
