import { readFileSync } from 'node:fs';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { SESEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { hmacSha256, messageKey } from '#adapters/inbound/hmac';
import { LocalInboundClaims, LocalInboundTickets, LocalSenderDirectory } from '#adapters/inbound/local-inbound';
import { MAX_RAW_BYTES } from '#adapters/inbound/mime-parser';
import type { Verdicts } from '#domain/inbound/inbound-message';
import { type IngestWorld, ingestEmails } from '#handlers/inbound/ingest-email';

const s3 = mockClient(S3Client);
const BUCKET = 'sla-desk-dev-inbound';
const alice = { customerId: 'ACME', email: 'alice@acme.example', name: 'Alice Andersen', subject: 'local-alice' };
const PASS: Verdicts = { spf: 'PASS', dkim: 'PASS', dmarc: 'PASS', spam: 'PASS', virus: 'PASS' };
const fixture = (name: string) => readFileSync(new URL(`../../fixtures/email/${name}`, import.meta.url));

let tickets: LocalInboundTickets;
let world: IngestWorld;

beforeEach(() => {
  s3.reset();
  tickets = new LocalInboundTickets([{ id: 'ACME-12', customerId: 'ACME', status: 'in_progress' }]);
  world = {
    s3: new S3Client({ region: 'eu-west-1' }),
    bucket: BUCKET,
    prefix: 'inbound/',
    claims: new LocalInboundClaims(),
    tickets,
    directory: new LocalSenderDirectory([alice]),
    mac: hmacSha256('test-reply-secret-of-at-least-32-characters'),
    addresses: { domain: 'inbound.example' },
    now: () => Date.parse('2026-12-02T10:15:05+01:00'),
    timeZone: 'Europe/Copenhagen',
    leaseMs: 600_000,
  };
});

/** SES's receipt notification for one message, as its Lambda action sends it. */
function sesEvent(sesMessageId: string, recipients: string[], options: { messageId?: string; verdicts?: Partial<Verdicts>; from?: string } = {}): SESEvent {
  const verdicts = { ...PASS, ...options.verdicts };
  const status = (s: string) => ({ status: s as 'PASS' });
  return {
    Records: [
      {
        eventSource: 'aws:ses',
        eventVersion: '1.0',
        ses: {
          mail: {
            timestamp: '2026-12-02T09:15:01.000Z',
            source: 'alice@acme.example',
            messageId: sesMessageId,
            destination: recipients,
            headersTruncated: false,
            headers: [],
            commonHeaders: {
              returnPath: 'alice@acme.example',
              from: [options.from ?? 'Alice Andersen <Alice@ACME.example>'],
              date: 'Wed, 2 Dec 2026 10:15:00 +0100',
              to: recipients,
              messageId: options.messageId ?? '<CAF=reply-1@mail.acme.example>',
              subject: 'Re: [ACME-12]',
            },
          },
          receipt: {
            timestamp: '2026-12-02T09:15:01.000Z',
            processingTimeMillis: 400,
            recipients,
            spamVerdict: status(verdicts.spam),
            virusVerdict: status(verdicts.virus),
            spfVerdict: status(verdicts.spf),
            dkimVerdict: status(verdicts.dkim),
            dmarcVerdict: status(verdicts.dmarc),
            action: { type: 'Lambda', functionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:ingest', invocationType: 'Event' },
          },
        },
      },
    ],
  };
}

const stored = (raw: Uint8Array, length = raw.byteLength) => ({ ContentLength: length, Body: { transformToByteArray: async () => raw, transformToWebStream: () => new ReadableStream() } as never });

describe('ingesting an email SES received', () => {
  it('reads the message SES stored (the rule prefix and its message id) and adds the reply as a comment by the sender', async () => {
    s3.on(GetObjectCommand).resolves(stored(fixture('plain-reply.eml')));
    const outcome = await ingestEmails(world, sesEvent('ses-0001', ['SUPPORT+acme-12.6GDRZEHTMWJO4AR6@inbound.example']));
    expect(s3.commandCalls(GetObjectCommand).map((c) => c.args[0].input)).toEqual([{ Bucket: BUCKET, Key: 'inbound/ses-0001' }]);
    expect(outcome).toEqual([{ action: 'comment', ticketId: 'ACME-12', commentId: 'ACME-12#c1' }]);
    expect(tickets.comments).toEqual([{ key: expect.any(String), ticketId: 'ACME-12', by: alice, body: 'Thanks, signing in works again for everyone.', attachments: [] }]);
  });

  it('the same Message-ID delivered twice (SES ids differ) adds one comment, and the second delivery reads nothing', async () => {
    s3.on(GetObjectCommand).resolves(stored(fixture('plain-reply.eml')));
    const to = ['support+ACME-12.6gdrzehtmwjo4ar6@inbound.example'];
    const first = await ingestEmails(world, sesEvent('ses-0001', to));
    // Senders write a Message-ID's brackets and case as they like.
    const second = await ingestEmails(world, sesEvent('ses-0002', to, { messageId: 'caf=REPLY-1@mail.acme.example' }));
    expect(second).toEqual(first);
    expect(tickets.comments).toHaveLength(1);
    expect(s3.commandCalls(GetObjectCommand)).toHaveLength(1);
  });

  it('a new message to the support address opens a Medium ticket for the sender customer', async () => {
    s3.on(GetObjectCommand).resolves(stored(fixture('with-attachment.eml')));
    expect(await ingestEmails(world, sesEvent('ses-0003', ['support@inbound.example'], { messageId: '<with-attachment-1@mail.acme.example>' }))).toEqual([{ action: 'open', ticketId: 'ACME-13' }]);
    expect(tickets.opened).toEqual([
      {
        key: expect.any(String),
        customerId: 'ACME',
        by: alice,
        ticket: { title: 'Import fails with the attached log', description: 'The import stops at row 1200. The log is attached.', category: 'other', priority: 'medium' },
        attachments: [{ filename: 'import.log', contentType: 'text/plain', size: 48 }],
      },
    ]);
  });

  it('a forged signature creates nothing, and its sender is told once that day', async () => {
    s3.on(GetObjectCommand).resolves(stored(fixture('plain-reply.eml')));
    expect(await ingestEmails(world, sesEvent('ses-0004', ['support+ACME-12.aaaaaaaaaaaaaaaa@inbound.example']))).toEqual([{ action: 'refuse', reason: 'bad-signature' }]);
    expect(tickets.comments).toEqual([]);
    expect(tickets.refused).toEqual([
      {
        key: expect.any(String),
        reason: 'bad-signature',
        detail: 'ACME-12',
        from: 'alice@acme.example',
        reply: { to: 'alice@acme.example', occasionId: 'inbound-refused#alice@acme.example#2026-12-02' },
      },
    ]);
  });

  it('a failed verdict creates nothing and answers no one', async () => {
    s3.on(GetObjectCommand).resolves(stored(fixture('plain-reply.eml')));
    expect(await ingestEmails(world, sesEvent('ses-0005', ['support@inbound.example'], { verdicts: { dmarc: 'FAIL' } }))).toEqual([{ action: 'refuse', reason: 'failed-verdict' }]);
    expect(tickets.refused).toEqual([{ key: expect.any(String), reason: 'failed-verdict', detail: 'dmarc FAIL', from: 'alice@acme.example' }]);
    expect(tickets.opened).toEqual([]);
  });

  it('an unknown sender creates nothing', async () => {
    s3.on(GetObjectCommand).resolves(stored(fixture('latin1.eml')));
    expect(await ingestEmails(world, sesEvent('ses-0006', ['support@inbound.example'], { messageId: '<latin1-1@mail.acme.example>', from: 'soren@acme.example' }))).toEqual([
      { action: 'refuse', reason: 'unknown-sender' },
    ]);
    expect(tickets.opened).toEqual([]);
  });

  it('a message over the cap is refused from its length, its body never read', async () => {
    let read = false;
    s3.on(GetObjectCommand).resolves({
      ContentLength: MAX_RAW_BYTES + 1,
      Body: {
        transformToByteArray: async () => {
          read = true;
          return new Uint8Array();
        },
        transformToWebStream: () => new ReadableStream(),
      } as never,
    });
    expect(await ingestEmails(world, sesEvent('ses-0007', ['support@inbound.example'], { messageId: '<big@acme.example>' }))).toEqual([{ action: 'refuse', reason: 'too-large' }]);
    expect(read).toBe(false);
    expect(tickets.refused[0]).toMatchObject({ reason: 'too-large', reply: { to: 'alice@acme.example' } });
  });

  it('a delivery while another is still at work on the message fails, for Lambda to retry', async () => {
    s3.on(GetObjectCommand).resolves(stored(fixture('plain-reply.eml')));
    await world.claims.claim(messageKey('<CAF=reply-1@mail.acme.example>', 'x'), world.now(), world.leaseMs);
    await expect(ingestEmails(world, sesEvent('ses-0008', ['support+ACME-12.6gdrzehtmwjo4ar6@inbound.example']))).rejects.toThrow(/being ingested/);
    expect(tickets.comments).toEqual([]);
  });

  it('a run that fails lets go of its claim, so Lambda retry ingests the message at once, once', async () => {
    s3.on(GetObjectCommand).resolves(stored(fixture('plain-reply.eml')));
    const to = ['support+ACME-12.6gdrzehtmwjo4ar6@inbound.example'];
    const comment = tickets.comment.bind(tickets);
    tickets.comment = () => Promise.reject(new Error('the table is throttling'));
    await expect(ingestEmails(world, sesEvent('ses-0009', to))).rejects.toThrow(/throttling/);
    tickets.comment = comment;
    expect(await ingestEmails(world, sesEvent('ses-0009', to))).toEqual([{ action: 'comment', ticketId: 'ACME-12', commentId: 'ACME-12#c1' }]);
    expect(tickets.comments).toHaveLength(1);
  });
});
