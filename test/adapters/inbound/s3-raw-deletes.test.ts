import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3RawDeletes } from '#adapters/inbound/s3-raw-deletes';
import { awsStandIn, expectedAuthorization } from '../../support/aws-stand-in';

/* A sender's erasure deletes the raw emails they sent: a signed DeleteObject, as the SDK's S3 client sends it. */

const credentials = { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'raw-delete-secret' };
let s3: Awaited<ReturnType<typeof awsStandIn>>;

beforeAll(async () => {
  s3 = await awsStandIn({ status: 204 });
});
afterAll(() => s3.close());

describe('deleting a raw inbound email', () => {
  it('is a DeleteObject of its key in the inbound bucket, signed for S3', async () => {
    await new S3RawDeletes('sla-desk-dev-inbound', { region: 'eu-north-1', endpoint: s3.endpoint, credentials: async () => credentials }).delete('inbound/0100019a-ses-id');
    const [request] = s3.received;
    expect([request!.method, request!.url]).toEqual(['DELETE', '/sla-desk-dev-inbound/inbound/0100019a-ses-id?x-id=DeleteObject']);
    expect(request!.headers.authorization).toBe(await expectedAuthorization(request!, { service: 's3', region: 'eu-north-1', credentials, uriEscapePath: false }));
  });
});
