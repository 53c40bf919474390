import { escapeUri } from '@smithy/core/protocols';
import { attachmentDisposition, type Attachment } from '../../domain/tickets/attachments';
import { ATTACHMENT_LIMITS } from '../../domain/tickets/attachments';
import type { AttachmentFiles, UploadTarget } from '../../domain/tickets/attachment-service';
import { SignedFetch, type SignedFetchOptions } from '../aws/signed-fetch';
import { ATTACHMENT_LINK_SECONDS, attachmentKey } from './attachment-bucket';

/**
 * The API's side of the attachment bucket: presigned URLs only, made with the
 * SDK's Signature V4 signer (the HTTP functions carry no S3 client). An upload
 * URL pins the object's type and length (signed headers), so S3 refuses any
 * other; the bytes are checked once stored (`check-upload`).
 */
export class S3AttachmentFiles implements AttachmentFiles {
  private readonly s3: SignedFetch;

  constructor(
    private readonly bucket: string,
    private readonly options: Omit<SignedFetchOptions, 'endpoint'> & {
      /** Another S3 endpoint (AWS_ENDPOINT_URL_S3: a stand-in in tests), addressed path-style; by default the bucket's own host. */
      readonly endpoint?: string | undefined;
    },
  ) {
    this.s3 = new SignedFetch('s3', { ...options, endpoint: options.endpoint ?? `https://${bucket}.s3.${options.region}.amazonaws.com` });
  }

  /** The key's path: each segment escaped as the SDK's S3 client escapes it; the bucket first when path-style. */
  private path(attachment: Attachment): string {
    const key = attachmentKey(attachment.ticketId, attachment.id).split('/').map(escapeUri).join('/');
    return this.options.endpoint ? `/${escapeUri(this.bucket)}/${key}` : `/${key}`;
  }

  /** A presigned PutObject, as the SDK's presigner makes it with ContentType, ContentLength and IfNoneMatch, valid 10 minutes. */
  async uploadTarget(attachment: Attachment): Promise<UploadTarget> {
    const now = (this.options.now ?? Date.now)();
    // If-None-Match: the URL writes the object once; used again after the check, S3 refuses it (412), so checked bytes are never replaced.
    const sent = { 'content-type': attachment.contentType, 'if-none-match': '*' };
    const url = await this.s3.presign(
      { method: 'PUT', path: this.path(attachment), query: { 'x-id': 'PutObject' }, headers: { ...sent, 'content-length': String(attachment.size), 'X-Amz-Content-Sha256': 'UNSIGNED-PAYLOAD' } },
      ATTACHMENT_LIMITS.uploadSeconds,
    );
    // The browser sets the length itself from the body; the type and the condition it must send as signed.
    return { url, method: 'PUT', headers: sent, expiresAt: now + ATTACHMENT_LIMITS.uploadSeconds * 1000 };
  }

  /** A signed PutObject of bytes the desk holds (an email's attachment), with their type; S3's event then checks them as any upload. */
  async put(attachment: Attachment, bytes: Uint8Array): Promise<void> {
    const response = await this.s3.send({ method: 'PUT', path: this.path(attachment), query: { 'x-id': 'PutObject' }, headers: { 'content-type': attachment.contentType }, body: bytes });
    await response.body?.cancel();
  }

  /** A signed DeleteObject: S3 answers 204 whether or not the object was there. */
  async delete(attachment: Attachment): Promise<void> {
    const response = await this.s3.send({ method: 'DELETE', path: this.path(attachment), query: { 'x-id': 'DeleteObject' } });
    await response.body?.cancel();
  }

  /** A presigned GetObject that names the file and its stored type, valid five minutes. */
  async serve(attachment: Attachment): Promise<{ link: string }> {
    const link = await this.s3.presign(
      {
        method: 'GET',
        path: this.path(attachment),
        query: { 'response-content-disposition': attachmentDisposition(attachment.filename), 'response-content-type': attachment.contentType, 'x-id': 'GetObject' },
        headers: { 'x-amz-checksum-mode': 'ENABLED', 'X-Amz-Content-Sha256': 'UNSIGNED-PAYLOAD' },
      },
      ATTACHMENT_LINK_SECONDS,
    );
    return { link };
  }
}

/** The attachment bucket in the function's region, with the function's role. */
export function s3AttachmentFiles(config: { ATTACHMENT_BUCKET?: string | undefined }, region = process.env.AWS_REGION, endpoint = process.env.AWS_ENDPOINT_URL_S3): S3AttachmentFiles {
  if (!config.ATTACHMENT_BUCKET) throw new Error('ATTACHMENT_BUCKET must name the attachment bucket');
  if (!region) throw new Error('AWS_REGION must name the region (Lambda sets it)');
  return new S3AttachmentFiles(config.ATTACHMENT_BUCKET, { region, endpoint });
}
