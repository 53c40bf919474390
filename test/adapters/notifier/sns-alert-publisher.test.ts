import { AuthorizationErrorException, PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { SnsAlertPublisher, snsSubject } from '#adapters/notifier/sns-alert-publisher';
import { breachEmail, breachSns } from './fixtures';

const sns = mockClient(SNSClient);
const topicArn = 'arn:aws:sns:eu-north-1:123456789012:sla-desk-alerts';
const publisher = new SnsAlertPublisher(new SNSClient({ region: 'eu-north-1' }), { topicArn });

beforeEach(() => sns.reset());

describe('SNS alert publisher', () => {
  it('sends the exact Publish request for a breach', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    await publisher.send(breachSns);
    const calls = sns.commandCalls(PublishCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.args[0].input).toEqual({
      TopicArn: topicArn,
      Subject: '[SLA breach] ACME-42 Highest: first response overdue since 08:30 (Copenhagen)',
      Message: breachSns.body,
      MessageAttributes: {
        kind: { DataType: 'String', StringValue: 'breach' },
        priority: { DataType: 'String', StringValue: 'highest' },
        customerId: { DataType: 'String', StringValue: 'ACME' },
        hypercare: { DataType: 'String', StringValue: 'true' },
      },
    });
  });

  it('sends hypercare false as the string false', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'm-2' });
    await publisher.send({ ...breachSns, hypercare: false, kind: 'warning', priority: 'low' });
    const attributes = sns.commandCalls(PublishCommand)[0]!.args[0].input.MessageAttributes;
    expect(attributes?.hypercare).toEqual({ DataType: 'String', StringValue: 'false' });
    expect(attributes?.kind).toEqual({ DataType: 'String', StringValue: 'warning' });
    expect(attributes?.priority).toEqual({ DataType: 'String', StringValue: 'low' });
  });

  it('sanitises the subject before publishing', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'm-3' });
    await publisher.send({ ...breachSns, subject: '[SLA warning] ACME-7 Høj: svar forfalder i København\nkl. 14:00 — Æblegade' });
    expect(sns.commandCalls(PublishCommand)[0]!.args[0].input.Subject).toBe('[SLA warning] ACME-7 Hoj: svar forfalder i Kobenhavn kl. 14:00 - AEblegade');
  });

  it('propagates an SNS failure', async () => {
    sns.on(PublishCommand).rejects(new AuthorizationErrorException({ message: 'not authorised', $metadata: {} }));
    await expect(publisher.send(breachSns)).rejects.toThrow(AuthorizationErrorException);
  });

  it('refuses a non-sns message', async () => {
    await expect(publisher.send(breachEmail)).rejects.toThrow(/only publishes sns/);
    expect(sns.calls()).toHaveLength(0);
  });
});

describe('SNS subject sanitising', () => {
  const valid = (s: string) => s.length >= 1 && s.length <= 100 && /^[\x21-\x7e][\x20-\x7e]*$/.test(s);

  it('leaves a short ASCII subject alone', () => {
    expect(snsSubject(breachSns.subject)).toBe(breachSns.subject);
  });

  it('transliterates Danish letters and accents', () => {
    expect(snsSubject('København Ærø Åbenrå café')).toBe('Kobenhavn AEro Abenra cafe');
  });

  it('turns line breaks, tabs and control characters into single spaces', () => {
    expect(snsSubject('  first\r\nsecond\tthird\u0007end \n')).toBe('first second third end');
  });

  it('replaces what it cannot transliterate', () => {
    expect(snsSubject('alarm 🔥 日本')).toBe('alarm ? ??');
  });

  it('truncates deterministically to 100 characters', () => {
    const long = `[SLA breach] ACME-42 Highest: ${'first response overdue in København '.repeat(5)}`;
    const once = snsSubject(long);
    expect(once).toHaveLength(100);
    expect(once.endsWith('...')).toBe(true);
    expect(once).toBe(snsSubject(long));
    expect(once.startsWith('[SLA breach] ACME-42 Highest: first response overdue in Kobenhavn')).toBe(true);
    expect(snsSubject('x'.repeat(100))).toBe('x'.repeat(100));
    expect(snsSubject('x'.repeat(101))).toBe(`${'x'.repeat(97)}...`);
  });

  it('falls back when nothing printable is left', () => {
    expect(snsSubject(' \n\t ', '[SLA breach] ACME-42')).toBe('[SLA breach] ACME-42');
    expect(snsSubject('', '')).toBe('SLA alert');
  });

  it('always yields a subject SNS accepts', () => {
    for (const s of ['', '\n', 'ø'.repeat(500), 'a\u0000b', '\u00a0lead', 'x '.repeat(80), '“quoted” … →']) {
      expect(valid(snsSubject(s)), JSON.stringify(s)).toBe(true);
    }
  });
});
