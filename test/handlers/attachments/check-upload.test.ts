import { GetObjectCommand, PutObjectTaggingCommand, S3Client } from '@aws-sdk/client-s3';
import type { S3Event } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { handler } from '#handlers/attachments/check-upload';
import { invocation } from '../../../bin/local/invocation';
import { aTicket, type Cast, castOf, startTestStack, type TestStack } from '../../support/test-stack';

/*
 * The check of an uploaded attachment as Lambda runs it: S3's event names the
 * object, the function reads its first bytes and settles the attachment on
 * DynamoDB Local; S3 answers through aws-sdk-client-mock, which pins each call.
 */
const s3 = mockClient(S3Client);
const BUCKET = 'sla-desk-dev-attachments';
const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex'), Buffer.alloc(64, 7)]);

let stack: TestStack;
let tokens: Cast;
let ticketId: string;

beforeAll(async () => {
  process.env.AWS_REGION ??= 'eu-north-1';
  stack = await startTestStack({ clockStart: '2026-12-02T10:00:00+01:00' });
  tokens = await castOf(stack);
  ticketId = (await stack.call('POST', '/tickets', { token: tokens.acme, body: aTicket() })).body.id;
});
afterAll(() => stack.stop());
beforeEach(() => s3.reset());

const ask = async (filename: string, contentType: string, size: number) => {
  const reply = await stack.call('POST', `/tickets/${ticketId}/attachments`, { token: tokens.acme, body: { filename, contentType, size } });
  expect(reply.status, reply.text).toBe(201);
  return reply.body.id as string;
};
const statusOf = async (id: string) =>
  ((await stack.call('GET', `/tickets/${ticketId}/attachments`, { token: tokens.agent })).body.items as { id: string; status: string; reason?: string }[]).find((a) => a.id === id);
/** S3's ObjectCreated notification for one object (its key form-encoded, as S3 writes it). */
const created = (key: string, size: number): S3Event => ({
  Records: [
    {
      eventVersion: '2.1',
      eventSource: 'aws:s3',
      awsRegion: 'eu-north-1',
      eventTime: '2026-12-02T09:00:05.000Z',
      eventName: 'ObjectCreated:Put',
      userIdentity: { principalId: 'AWS:AROAEXAMPLE:sla-desk-tickets' },
      requestParameters: { sourceIPAddress: '192.0.2.1' },
      responseElements: { 'x-amz-request-id': 'R1', 'x-amz-id-2': 'I1' },
      s3: {
        s3SchemaVersion: '1.0',
        configurationId: 'check',
        bucket: { name: BUCKET, ownerIdentity: { principalId: 'O' }, arn: `arn:aws:s3:::${BUCKET}` },
        object: { key, size, eTag: 'e', sequencer: '01' },
      },
    },
  ],
});
const run = (event: S3Event) => handler(event, invocation('check-upload', stack.dependencies));
const body = (bytes: Uint8Array) => ({ Body: { transformToByteArray: async () => bytes } as never });

describe('checking an uploaded attachment', () => {
  it('reads only the first 4,100 bytes of the object S3 named, and makes a matching one available', async () => {
    const id = await ask('screen.png', 'image/png', PNG.length);
    s3.on(GetObjectCommand).resolves(body(PNG));
    await run(created(`tickets/${ticketId}/${id}`, PNG.length));
    expect(s3.commandCalls(GetObjectCommand).map((c) => c.args[0].input)).toEqual([{ Bucket: BUCKET, Key: `tickets/${ticketId}/${id}`, Range: 'bytes=0-4099' }]);
    expect(s3.commandCalls(PutObjectTaggingCommand)).toEqual([]);
    expect(await statusOf(id)).toMatchObject({ status: 'available' });
  });

  it('rejects one that is not its declared type and tags the object for the lifecycle rule; a repeated event reads nothing again', async () => {
    const id = await ask('photo.png', 'image/png', 12);
    s3.on(GetObjectCommand).resolves(body(new TextEncoder().encode('just text..\n')));
    s3.on(PutObjectTaggingCommand).resolves({});
    await run(created(`tickets/${ticketId}/${id}`, 12));
    await run(created(`tickets/${ticketId}/${id}`, 12));
    expect(await statusOf(id)).toMatchObject({ status: 'rejected', reason: 'The file is not a PNG image as announced' });
    expect(s3.commandCalls(GetObjectCommand)).toHaveLength(1);
    expect(s3.commandCalls(PutObjectTaggingCommand)[0]!.args[0].input).toEqual({
      Bucket: BUCKET,
      Key: `tickets/${ticketId}/${id}`,
      Tagging: { TagSet: [{ Key: 'sla-desk-attachment', Value: 'rejected' }] },
    });
  });

  it('tags an object no attachment asked for, and ignores keys outside tickets/', async () => {
    s3.on(PutObjectTaggingCommand).resolves({});
    await run(created(`tickets/${ticketId}/abcdefghijklmnopqrst`, 5));
    await run(created('other/thing', 5));
    expect(s3.commandCalls(GetObjectCommand)).toEqual([]);
    expect(s3.commandCalls(PutObjectTaggingCommand).map((c) => c.args[0].input.Key)).toEqual([`tickets/${ticketId}/abcdefghijklmnopqrst`]);
  });
});
