import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { describe, expect, it } from 'vitest';
import { S3AttachmentFiles } from '#adapters/attachments/s3-attachment-files';
import { type Attachment, attachmentDisposition } from '#domain/tickets/attachments';

const region = 'eu-north-1';
const bucket = 'sla-desk-attachments';
const clock = Date.parse('2026-12-02T10:00:00Z');
// Lambda's role credentials always carry a session token; a long-term key has none.
const roleCredentials = { accessKeyId: 'ASIAEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', sessionToken: 'IQoJb3JpZ2luX2VjE/session+token==' };
const keyCredentials = { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'secret' };

const attachment: Attachment = {
  id: 'abcdefghijklmnopqrst',
  ticketId: 'ACME-12',
  customerId: 'ACME',
  filename: 'Sync log (Ærø) 2.txt',
  contentType: 'text/plain',
  size: 48_213,
  visibility: 'public',
  status: 'available',
  by: 'local-customer-acme',
  createdAt: clock,
};
const params = (url: string) => [...new URL(url).searchParams].sort(([a], [b]) => a.localeCompare(b));

describe('attachments in S3, by presigned URL', () => {
  it("an upload is the URL the SDK's presigner makes for PutObject with the type and length pinned, once only (If-None-Match), valid 10 minutes", async () => {
    for (const credentials of [roleCredentials, keyCredentials]) {
      const files = new S3AttachmentFiles(bucket, { region, credentials: async () => credentials, now: () => clock });
      // Checksums only when required: a presigned URL carries no body to checksum, and a browser sends none.
      const sdk = new S3Client({ region, credentials, requestChecksumCalculation: 'WHEN_REQUIRED' });
      const ours = await files.uploadTarget(attachment);
      // The presigner signs the length by default; the type only when asked, as here: S3 then refuses any other.
      const oracle = await getSignedUrl(
        sdk,
        new PutObjectCommand({ Bucket: bucket, Key: 'tickets/ACME-12/abcdefghijklmnopqrst', ContentType: 'text/plain', ContentLength: 48_213, IfNoneMatch: '*' }),
        { expiresIn: 600, signingDate: new Date(clock), signableHeaders: new Set(['content-type', 'if-none-match']) },
      );
      expect(params(ours.url)).toEqual(params(oracle));
      expect(ours.url).toBe(oracle);
      const url = new URL(ours.url);
      expect(url.searchParams.get('X-Amz-SignedHeaders')).toBe('content-length;content-type;host;if-none-match');
      expect(url.searchParams.get('X-Amz-Expires')).toBe('600');
      expect(ours).toEqual({ url: oracle, method: 'PUT', headers: { 'content-type': 'text/plain', 'if-none-match': '*' }, expiresAt: clock + 600_000 });
    }
  });

  it("a read is the URL the SDK's presigner makes for GetObject, a download under the file's own name and stored type, valid five minutes", async () => {
    const files = new S3AttachmentFiles(bucket, { region, credentials: async () => roleCredentials, now: () => clock });
    const sdk = new S3Client({ region, credentials: roleCredentials });
    const ours = await files.serve(attachment);
    const oracle = await getSignedUrl(
      sdk,
      new GetObjectCommand({ Bucket: bucket, Key: 'tickets/ACME-12/abcdefghijklmnopqrst', ResponseContentType: 'text/plain', ResponseContentDisposition: attachmentDisposition(attachment.filename) }),
      { expiresIn: 300, signingDate: new Date(clock) },
    );
    expect(ours.link).toBe(oracle);
    expect(new URL(ours.link).searchParams.get('response-content-disposition')).toBe(`attachment; filename="Sync log (_r_) 2.txt"; filename*=UTF-8''Sync%20log%20%28%C3%86r%C3%B8%29%202.txt`);
  });
});
