import { MessageRejected, SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { SesEmailSender, sesTagValue } from '#adapters/notifier/ses-email-sender';
import { breachEmail, breachSns } from './fixtures';

const ses = mockClient(SESv2Client);
const client = new SESv2Client({ region: 'eu-north-1' });
const sender = new SesEmailSender(client, { fromAddress: 'sla-desk@example.com', configurationSetName: 'sla-desk-dev' });

beforeEach(() => ses.reset());

describe('SES email sender', () => {
  it('sends the exact SendEmail request for a breach', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'm-1' });
    await sender.send(breachEmail);
    const calls = ses.commandCalls(SendEmailCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.args[0].input).toEqual({
      FromEmailAddress: 'sla-desk@example.com',
      Destination: { ToAddresses: ['oncall@example.com', 'ops@example.com'] },
      Content: {
        Simple: {
          Subject: { Data: '[SLA breach] ACME-42 Highest: first response overdue since 08:30 (Copenhagen)', Charset: 'UTF-8' },
          Body: {
            Text: { Data: breachEmail.body, Charset: 'UTF-8' },
            Html: { Data: breachEmail.html, Charset: 'UTF-8' },
          },
        },
      },
      EmailTags: [
        { Name: 'kind', Value: 'breach' },
        { Name: 'ticket', Value: 'ACME-42' },
      ],
      ConfigurationSetName: 'sla-desk-dev',
    });
  });

  it('omits Html without html and ConfigurationSetName when not configured', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'm-2' });
    const plain = new SesEmailSender(client, { fromAddress: 'sla-desk@example.com' });
    const { html: _html, ...textOnly } = breachEmail;
    await plain.send({ ...textOnly, kind: 'warning', about: { type: 'ticket', id: 'ACME 42/ø.x' } });
    expect(ses.commandCalls(SendEmailCommand)[0]!.args[0].input).toEqual({
      FromEmailAddress: 'sla-desk@example.com',
      Destination: { ToAddresses: ['oncall@example.com', 'ops@example.com'] },
      Content: {
        Simple: {
          Subject: { Data: breachEmail.subject, Charset: 'UTF-8' },
          Body: { Text: { Data: breachEmail.body, Charset: 'UTF-8' } },
        },
      },
      EmailTags: [
        { Name: 'kind', Value: 'warning' },
        { Name: 'ticket', Value: 'ACME_42___x' },
      ],
    });
  });

  it('propagates an SES failure', async () => {
    ses.on(SendEmailCommand).rejects(new MessageRejected({ message: 'Email address is not verified.', $metadata: {} }));
    await expect(sender.send(breachEmail)).rejects.toThrow(MessageRejected);
  });

  it('refuses an email without recipients instead of dropping it', async () => {
    await expect(sender.send({ ...breachEmail, recipients: [] })).rejects.toThrow(/ACME-42:breach:email has no recipients/);
    const { recipients: _r, ...none } = breachEmail;
    await expect(sender.send(none)).rejects.toThrow(/no recipients/);
    expect(ses.calls()).toHaveLength(0);
  });

  it('refuses a non-email message', async () => {
    await expect(sender.send(breachSns)).rejects.toThrow(/only sends email/);
    expect(ses.calls()).toHaveLength(0);
  });

  it('keeps tag values within the SES charset and length', () => {
    expect(sesTagValue('ACME-42')).toBe('ACME-42');
    expect(sesTagValue('a.b c@d')).toBe('a_b_c_d');
    expect(sesTagValue('')).toBe('_');
    expect(sesTagValue('x'.repeat(300))).toHaveLength(256);
  });
});
