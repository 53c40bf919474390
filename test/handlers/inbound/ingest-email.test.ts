import { readFileSync } from 'node:fs';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Context, SESEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { hmacSha256 } from '#adapters/inbound/hmac';
import { MAX_RAW_BYTES } from '#adapters/inbound/mime-parser';
import type { Verdicts } from '#domain/inbound/inbound-message';
import { replyAddress } from '#domain/inbound/reply-address';
import { issueToken, signingKey } from '../../../bin/local/local-tokens';
import { aTicket, type Cast, castOf, startTestStack, type TestStack } from '../../support/test-stack';
import { awsStandIn, expectedAuthorization } from '../../support/aws-stand-in';

/*
 * The ingest function as Lambda runs it: wired from its environment (the
 * table, the bucket, the secret, Scheduler), invoked with SES's receipt, on
 * DynamoDB Local; S3, Secrets Manager and Scheduler answer through
 * aws-sdk-client-mock, which pins what each call asks.
 */
const s3 = mockClient(S3Client);
const secrets = mockClient(SecretsManagerClient);
const scheduler = mockClient(SchedulerClient);
const BUCKET = 'sla-desk-dev-inbound';
const DOMAIN = 'inbound.example';
const SECRET = 'test-reply-secret-of-at-least-32-characters';
const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:reply-address-AbCdEf';
const PASS: Verdicts = { spf: 'PASS', dkim: 'PASS', dmarc: 'PASS', spam: 'PASS', virus: 'PASS' };
const fixture = (name: string) => readFileSync(new URL(`../../fixtures/email/${name}`, import.meta.url));
const mac = hmacSha256(SECRET);
const CONTEXT = { awsRequestId: 'ingest-test', functionName: 'ingest', getRemainingTimeInMillis: () => 60_000 } as Context;

let stack: TestStack;
let tokens: Cast;
let ticketId: string;
let ingest: (event: SESEvent) => Promise<unknown>;
/** S3's endpoint for the attachments an email brings (signed requests, not the S3 client). */
let attachmentStore: Awaited<ReturnType<typeof awsStandIn>>;
const CREDENTIALS = { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'attachment-test-secret' };

beforeAll(async () => {
  stack = await startTestStack({ clockStart: '2026-12-02T09:00:00+01:00' });
  tokens = await castOf(stack);
  // Alice (alice@acme.example, the cast's Acme token) and Carol are users of Acme, known by their person records.
  const carol = await issueToken(await signingKey(stack.dataDir), { role: 'customer', customerId: 'ACME', subject: 'carol-sub', name: 'Carol Christensen', email: 'Carol@acme.example' });
  expect((await stack.call('GET', '/tickets', { token: carol })).status).toBe(200);
  const opened = await stack.call('POST', '/tickets', { token: tokens.acme, body: aTicket() });
  ticketId = (opened.body as { id: string }).id;
  attachmentStore = await awsStandIn({ status: 200 });
  Object.assign(process.env, {
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_S3: attachmentStore.endpoint,
    ATTACHMENT_BUCKET: 'sla-desk-dev-attachments',
    TABLE_NAME: stack.tableName,
    DYNAMODB_ENDPOINT: stack.dynamoEndpoint,
    INBOUND_DOMAIN: DOMAIN,
    INBOUND_BUCKET: BUCKET,
    INBOUND_PREFIX: 'inbound/',
    INBOUND_SECRET_ARN: SECRET_ARN,
    SCHEDULE_GROUP: 'sla-desk-dev',
    TIMER_TARGET_ARN: 'arn:aws:lambda:eu-west-1:123456789012:function:sla-desk-dev-timer',
    SCHEDULER_ROLE_ARN: 'arn:aws:iam::123456789012:role/sla-desk-dev-scheduler',
    TIMER_DLQ_ARN: 'arn:aws:sqs:eu-west-1:123456789012:sla-desk-dev-timers-dlq',
  });
  const { handler } = await import('#handlers/inbound/ingest-email');
  ingest = (event) => handler(event, CONTEXT);
});
afterAll(async () => {
  await stack.stop();
  await attachmentStore.close();
});

beforeEach(() => {
  s3.reset();
  secrets.reset();
  scheduler.reset();
  secrets.on(GetSecretValueCommand, { SecretId: SECRET_ARN }).resolves({ SecretString: SECRET });
  scheduler.on(CreateScheduleCommand).resolves({ ScheduleArn: 'arn:aws:scheduler:eu-west-1:123456789012:schedule/sla-desk-dev/x' });
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
              subject: 'Re: your ticket',
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
const ticketAddress = () => replyAddress(ticketId, mac, { domain: DOMAIN });
/** A message's text with its headers changed: the fixtures' replies name no ticket of this stack. */
const withMessageId = (name: string, messageId: string) =>
  Buffer.from(
    fixture(name)
      .toString('latin1')
      .replace(/^Message-ID: .*$/im, `Message-ID: <${messageId}>`),
    'latin1',
  );
const comments = async () => (await stack.call('GET', `/tickets/${ticketId}/comments`, { token: tokens.agent })).body as { items: { body: string }[] };

describe('the ingest function, wired as on Lambda', () => {
  it("reads the message SES stored (the rule's prefix and its message id) and adds the reply as a public comment by the sender, a user of the customer", async () => {
    s3.on(GetObjectCommand).resolves(stored(fixture('plain-reply.eml')));
    const before = (await comments()).items.length;
    const outcome = await ingest(sesEvent('ses-0001', [ticketAddress().toUpperCase()]));
    expect(s3.commandCalls(GetObjectCommand).map((c) => c.args[0].input)).toEqual([{ Bucket: BUCKET, Key: 'inbound/ses-0001' }]);
    expect(secrets.commandCalls(GetSecretValueCommand).map((c) => c.args[0].input)).toEqual([{ SecretId: SECRET_ARN }]);
    expect(outcome).toEqual([{ action: 'comment', ticketId, commentId: expect.any(String) }]);
    const after = (await comments()).items;
    expect(after).toHaveLength(before + 1);
    expect(after.at(-1)).toMatchObject({
      body: 'Thanks, signing in works again for everyone.',
      visibility: 'public',
      author: { subject: 'local-customer-acme', role: 'customer', name: 'Alice at ACME' },
    });
  });

  it('the same Message-ID delivered twice (SES ids differ) adds one comment, and the second delivery reads nothing', async () => {
    s3.on(GetObjectCommand).resolves(stored(withMessageId('plain-reply.eml', 'twice-1@mail.acme.example')));
    const before = (await comments()).items.length;
    const first = await ingest(sesEvent('ses-0002', [ticketAddress()], { messageId: '<twice-1@mail.acme.example>' }));
    // Senders write a Message-ID's brackets and case as they like.
    const second = await ingest(sesEvent('ses-0003', [ticketAddress()], { messageId: 'TWICE-1@mail.acme.example' }));
    expect(second).toEqual(first);
    expect((await comments()).items).toHaveLength(before + 1);
    expect(s3.commandCalls(GetObjectCommand)).toHaveLength(1);
  });

  it("a new message to the support address from a customer's user opens a Medium ticket by that user, and arms its timers", async () => {
    s3.on(GetObjectCommand).resolves(
      stored(
        Buffer.from(
          fixture('with-attachment.eml')
            .toString('latin1')
            .replace(/^From: .*$/im, 'From: Carol <carol@ACME.example>'),
          'latin1',
        ),
      ),
    );
    const [outcome] = (await ingest(sesEvent('ses-0004', [`support@${DOMAIN}`], { messageId: '<with-attachment-1@mail.acme.example>', from: 'Carol <carol@ACME.example>' }))) as {
      action: string;
      ticketId: string;
    }[];
    expect(outcome).toEqual({ action: 'open', ticketId: expect.stringMatching(/^ACME-\d+$/) });
    const opened = await stack.call('GET', `/tickets/${outcome!.ticketId}`, { token: tokens.agent });
    expect(opened.body).toMatchObject({ title: 'Import fails with the attached log', category: 'other', priority: 'medium' });
    const events = (await stack.call('GET', `/tickets/${outcome!.ticketId}/events`, { token: tokens.agent })).body as { items: { type: string }[] };
    expect(events.items[0]).toMatchObject({ type: 'ticket.opened', actor: { subject: 'carol-sub', role: 'customer', name: 'Carol Christensen' } });
    // The first response's warning and deadline, as the API arms them.
    expect(scheduler.commandCalls(CreateScheduleCommand).map((c) => c.args[0].input.GroupName)).toEqual(['sla-desk-dev', 'sla-desk-dev']);
    // Its file is stored in the attachment bucket with a signed PutObject, checked, and listed as Carol's.
    const [attachment] = (await stack.call('GET', `/tickets/${outcome!.ticketId}/attachments`, { token: tokens.agent })).body.items;
    expect(attachment).toMatchObject({ filename: 'import.log', contentType: 'text/plain', status: 'available', byName: 'Carol Christensen' });
    const [put] = attachmentStore.received;
    expect([put!.method, put!.url, put!.headers['content-type'], put!.body]).toEqual([
      'PUT',
      `/sla-desk-dev-attachments/tickets/${outcome!.ticketId}/${attachment.id}?x-id=PutObject`,
      'text/plain',
      'row 1199 ok\nrow 1200 failed: missing account id\n',
    ]);
    expect(put!.headers.authorization).toBe(await expectedAuthorization(put!, { service: 's3', region: 'eu-west-1', credentials: CREDENTIALS, uriEscapePath: false }));
    // The message is filed under Carol with its raw key, for her data's export and erasure.
    expect(await stack.dependencies.personalData.acts('carol-sub')).toContainEqual({ kind: 'inbound-email', at: expect.any(Number), rawKey: 'inbound/ses-0004' });
  });

  it('a forged signature, a failed verdict and an unknown sender create nothing', async () => {
    s3.on(GetObjectCommand).resolves(stored(withMessageId('plain-reply.eml', 'forged-1@mail.acme.example')));
    const before = (await comments()).items.length;
    const forged = replyAddress(ticketId, hmacSha256('another secret of at least 32 characters!'), { domain: DOMAIN });
    expect(await ingest(sesEvent('ses-0005', [forged], { messageId: '<forged-1@mail.acme.example>' }))).toEqual([{ action: 'refuse', reason: 'bad-signature' }]);
    s3.on(GetObjectCommand).resolves(stored(withMessageId('plain-reply.eml', 'verdict-1@mail.acme.example')));
    expect(await ingest(sesEvent('ses-0006', [ticketAddress()], { messageId: '<verdict-1@mail.acme.example>', verdicts: { dmarc: 'FAIL' } }))).toEqual([
      { action: 'refuse', reason: 'failed-verdict' },
    ]);
    s3.on(GetObjectCommand).resolves(stored(fixture('latin1.eml')));
    expect(await ingest(sesEvent('ses-0007', [`support@${DOMAIN}`], { messageId: '<latin1-1@mail.acme.example>', from: 'soren@acme.example' }))).toEqual([
      { action: 'refuse', reason: 'unknown-sender' },
    ]);
    expect((await comments()).items).toHaveLength(before);
    expect(scheduler.commandCalls(CreateScheduleCommand)).toEqual([]);
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
    expect(await ingest(sesEvent('ses-0008', [`support@${DOMAIN}`], { messageId: '<big@acme.example>' }))).toEqual([{ action: 'refuse', reason: 'too-large' }]);
    expect(read).toBe(false);
  });

  it('a run that fails lets go of its claim, so Lambda retry ingests the message at once, once', async () => {
    const before = (await comments()).items.length;
    s3.on(GetObjectCommand)
      .rejectsOnce(new Error('S3 is slow down'))
      .resolves(stored(withMessageId('plain-reply.eml', 'retry-1@mail.acme.example')));
    const event = sesEvent('ses-0009', [ticketAddress()], { messageId: '<retry-1@mail.acme.example>' });
    await expect(ingest(event)).rejects.toThrow(/slow down/);
    expect(await ingest(event)).toEqual([{ action: 'comment', ticketId, commentId: expect.any(String) }]);
    expect((await comments()).items).toHaveLength(before + 1);
  });
});
