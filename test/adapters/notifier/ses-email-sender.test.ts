import { MessageRejected, SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { SesEmailSender, sesTagValue } from '#adapters/notifier/ses-email-sender';
import { AddressedSender } from '#adapters/notifier/addressed-sender';
import { hmacSha256 } from '#adapters/inbound/hmac';
import { readAddress } from '#domain/inbound/reply-address';
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

  it("sends a ticket's email with the Reply-To that routes back to its ticket, and its thread in References", async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'm-3' });
    const mac = hmacSha256('a test secret of at least thirty-two characters');
    const addresses = { domain: 'support.example.com' };
    await new AddressedSender(sender, { domain: 'support.example.com', inbound: { mac, addresses } }).send(breachEmail);
    const input = ses.commandCalls(SendEmailCommand)[0]!.args[0].input;
    expect(input).toEqual({
      FromEmailAddress: 'sla-desk@example.com',
      Destination: { ToAddresses: ['oncall@example.com', 'ops@example.com'] },
      ReplyToAddresses: ['support+ACME-42.qpyvskb7hpyghag3@support.example.com'],
      Content: {
        Simple: {
          Subject: { Data: breachEmail.subject, Charset: 'UTF-8' },
          Body: {
            Text: { Data: breachEmail.body, Charset: 'UTF-8' },
            Html: { Data: breachEmail.html, Charset: 'UTF-8' },
          },
          Headers: [{ Name: 'References', Value: '<acme-42@support.example.com>' }],
        },
      },
      EmailTags: [
        { Name: 'kind', Value: 'breach' },
        { Name: 'ticket', Value: 'ACME-42' },
      ],
      ConfigurationSetName: 'sla-desk-dev',
    });
    // The address is the inbound side's own: it reads back as this ticket's.
    expect(readAddress(input.ReplyToAddresses![0]!, mac, addresses)).toEqual({ to: 'ticket', ticketId: 'ACME-42' });
  });

  it('sends no Reply-To without an inbound domain, and no References for an email about no ticket', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'm-4' });
    const plain = new AddressedSender(sender, { domain: 'example.com' });
    await plain.send(breachEmail);
    await plain.send({ ...breachEmail, id: '2026-11:report-ready:email', kind: 'report-ready', about: { type: 'report', id: '2026-11' } });
    const [ticket, report] = ses.commandCalls(SendEmailCommand).map((c) => c.args[0].input);
    expect(ticket!.ReplyToAddresses).toBeUndefined();
    expect(ticket!.Content!.Simple!.Headers).toEqual([{ Name: 'References', Value: '<acme-42@example.com>' }]);
    expect(report!.ReplyToAddresses).toBeUndefined();
    expect(report!.Content!.Simple!.Headers).toBeUndefined();
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
