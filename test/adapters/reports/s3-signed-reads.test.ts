import { createHash } from 'node:crypto';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { afterEach, describe, expect, it } from 'vitest';
import { AwsRequestError } from '#adapters/aws/signed-fetch';
import { S3SignedReads, s3SignedReads } from '#adapters/reports/s3-signed-reads';
import { parseMonth } from '#domain/month';
import { CONTENT_TYPES, dispositionOf, STORED_FILES } from '#domain/reports/report-formats';
import { authorizationOf, awsStandIn, expectedAuthorization } from '../../support/aws-stand-in';

const november = parseMonth('2026-11');
const region = 'eu-north-1';
const bucket = 'sla-desk-reports';
const clock = Date.parse('2026-12-01T10:00:00Z');
// Lambda's role credentials always carry a session token; a long-term key has none.
const roleCredentials = { accessKeyId: 'ASIAEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', sessionToken: 'IQoJb3JpZ2luX2VjE/session+token==' };
const keyCredentials = { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'secret' };
const emptyPayloadHash = createHash('sha256').update('').digest('hex');

describe('a link to a stored report file', () => {
  it("is the URL the SDK's presigner makes for GetObject: same host, path, query parameters and signature", async () => {
    for (const credentials of [roleCredentials, keyCredentials]) {
      const reads = new S3SignedReads(bucket, { region, credentials: async () => credentials, now: () => clock });
      const sdk = new S3Client({ region, credentials });
      for (const file of STORED_FILES) {
        const ours = await reads.link(november, 2, file, CONTENT_TYPES[file]);
        const oracle = await getSignedUrl(
          sdk,
          new GetObjectCommand({ Bucket: bucket, Key: `reports/2026-11/v2/${file}`, ResponseContentType: CONTENT_TYPES[file], ResponseContentDisposition: dispositionOf(november, 2, file) }),
          { expiresIn: 300, signingDate: new Date(clock) },
        );
        const params = (url: string) => [...new URL(url).searchParams].sort(([a], [b]) => a.localeCompare(b));
        expect(params(ours)).toEqual(params(oracle));
        expect(ours).toBe(oracle);
      }
    }
  });

  it('is a presigned GET of its key, valid for five minutes, naming the file; signing sends nothing', async () => {
    const standIn = await awsStandIn();
    try {
      // Signed for the bucket's own host on AWS; a stand-in endpoint is never called for a link.
      const url = new URL(await new S3SignedReads(bucket, { region, credentials: async () => keyCredentials, now: () => clock }).link(november, 2, 'sla.csv', CONTENT_TYPES['sla.csv']));
      expect(url.origin).toBe('https://sla-desk-reports.s3.eu-north-1.amazonaws.com');
      expect(url.pathname).toBe('/reports/2026-11/v2/sla.csv');
      expect(url.searchParams.get('X-Amz-Expires')).toBe('300');
      expect(url.searchParams.get('X-Amz-Date')).toBe('20261201T100000Z');
      expect(url.searchParams.get('X-Amz-Credential')).toBe('AKIAEXAMPLE/20261201/eu-north-1/s3/aws4_request');
      expect(url.searchParams.get('X-Amz-SignedHeaders')).toBe('host');
      expect(url.searchParams.get('response-content-disposition')).toBe('attachment; filename="2026-11-v2-sla.csv"');
      expect(url.searchParams.get('response-content-type')).toBe('text/csv; charset=utf-8; header=present');
      expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
      await new S3SignedReads(bucket, { region, endpoint: standIn.endpoint, credentials: async () => keyCredentials }).link(november, 2, 'sla.csv', CONTENT_TYPES['sla.csv']);
      expect(standIn.received).toHaveLength(0);
    } finally {
      await standIn.close();
    }
  });
});

describe('reading a stored report file', () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await close?.();
    close = undefined;
  });
  const standIn = async (...answers: Parameters<typeof awsStandIn>) => {
    const server = await awsStandIn(...answers);
    close = server.close;
    return { server, reads: new S3SignedReads(bucket, { region, endpoint: server.endpoint, credentials: async () => roleCredentials, now: () => clock }) };
  };

  it('is one GetObject signed with Signature V4 for s3 in the region: the exact request, its signature recomputed from what arrived', async () => {
    const { server, reads } = await standIn({ status: 200, headers: { 'content-type': 'application/json' }, body: '{"month":"2026-11","æøå":true}' });
    expect(await reads.get(november, 1, 'report.json')).toBe('{"month":"2026-11","æøå":true}');

    expect(server.received).toHaveLength(1);
    const [request] = server.received;
    // Path-style at a stand-in endpoint, as the SDK's forcePathStyle addresses it.
    expect(request!.method).toBe('GET');
    expect(request!.url).toBe('/sla-desk-reports/reports/2026-11/v1/report.json');
    expect(request!.body).toBe('');
    expect(request!.headers.host).toBe(server.host);
    expect(request!.headers['x-amz-date']).toBe('20261201T100000Z');
    expect(request!.headers['x-amz-content-sha256']).toBe(emptyPayloadHash);
    expect(request!.headers['x-amz-security-token']).toBe(roleCredentials.sessionToken);
    const authorization = authorizationOf(request!.headers.authorization);
    expect(authorization.accessKeyId).toBe('ASIAEXAMPLE');
    expect(authorization.scope).toBe('20261201/eu-north-1/s3/aws4_request');
    expect(authorization.signedHeaders).toEqual(['host', 'x-amz-content-sha256', 'x-amz-date', 'x-amz-security-token']);
    expect(request!.headers.authorization).toBe(await expectedAuthorization(request!, { service: 's3', region, credentials: roleCredentials, uriEscapePath: false }));
    // The signature binds the secret: another one signs differently.
    expect(request!.headers.authorization).not.toBe(
      await expectedAuthorization(request!, { service: 's3', region, credentials: { ...roleCredentials, secretAccessKey: 'other' }, uriEscapePath: false }),
    );
  });

  it("a missing key (S3's 404 NoSuchKey) is undefined, as with the S3 client; any other refusal is thrown", async () => {
    const xml = (code: string, message: string) => `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>R1</RequestId></Error>`;
    const { server, reads } = await standIn({ status: 404, headers: { 'content-type': 'application/xml', 'x-amz-request-id': 'R1' }, body: xml('NoSuchKey', 'The specified key does not exist.') });
    expect(await reads.get(november, 3, 'report.json')).toBeUndefined();
    expect(server.received.map((r) => r.url)).toEqual(['/sla-desk-reports/reports/2026-11/v3/report.json']);

    server.answer({ status: 404, headers: { 'x-amz-request-id': 'R2' }, body: xml('NoSuchBucket', 'The specified bucket does not exist') });
    const gone = await reads.get(november, 3, 'report.json').catch((error: unknown) => error);
    expect(gone).toBeInstanceOf(AwsRequestError);
    expect(gone).toMatchObject({ name: 'NoSuchBucket', message: 'The specified bucket does not exist', $metadata: { httpStatusCode: 404, requestId: 'R2' } });

    // Without s3:ListBucket, S3 answers a missing key 403: a grant problem, never silently "missing".
    server.answer({ status: 403, body: xml('AccessDenied', 'Access Denied') });
    await expect(reads.get(november, 3, 'report.json')).rejects.toMatchObject({ name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
  });

  it("S3's 503 SlowDown and 500s are tried again, three tries in all, as the SDK's standard retries", async () => {
    const { server, reads } = await standIn({ status: 503, body: '<Error><Code>SlowDown</Code><Message>Reduce your request rate.</Message></Error>' }, { status: 200, body: 'a,b\r\n' });
    expect(await reads.get(november, 1, 'sla.csv')).toBe('a,b\r\n');
    expect(server.received).toHaveLength(2);

    server.answer({ status: 500, body: '<Error><Code>InternalError</Code><Message>We encountered an internal error.</Message></Error>' });
    await expect(reads.get(november, 1, 'sla.csv')).rejects.toMatchObject({ name: 'InternalError', $metadata: { httpStatusCode: 500 } });
    expect(server.received).toHaveLength(5);
  });

  it('never writes: the report function does, with the full client', async () => {
    const { server, reads } = await standIn();
    await expect(reads.put(november, 1, 'report.json', '{}', 'application/json')).rejects.toThrow('the report function writes them');
    expect(server.received).toHaveLength(0);
  });
});

describe('the report bucket from the environment', () => {
  it('needs the bucket and the region', () => {
    expect(() => s3SignedReads({}, region)).toThrow('REPORT_BUCKET');
    expect(() => s3SignedReads({ REPORT_BUCKET: bucket }, undefined)).toThrow('AWS_REGION');
    expect(s3SignedReads({ REPORT_BUCKET: bucket }, region)).toBeInstanceOf(S3SignedReads);
  });
});
