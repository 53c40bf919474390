import { timingSafeEqual } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ForbiddenError } from '../../domain/errors';
import type { Instant } from '../../domain/calendar/business-calendar';
import { ATTACHMENT_LIMITS, type Attachment } from '../../domain/tickets/attachments';
import type { AttachmentFiles, UploadTarget } from '../../domain/tickets/attachment-service';
import { attachmentKey } from './attachment-bucket';

/** The upload route of the local server, as a presigned URL names it. */
export const LOCAL_UPLOAD_PATH = '/_dev/uploads/';

/**
 * Attachments on one machine, as the bucket keeps them on AWS: files under
 * `DATA_DIR/attachments/tickets/<ticket>/<id>`. An upload URL is the local
 * server's, signed with the stack's secret over what S3's presigned URL pins
 * (the key, the type, the length and the expiry), and refused as S3 refuses:
 * 403 for a wrong signature, type or length, or a URL past its time.
 */
export class LocalAttachmentFiles implements AttachmentFiles {
  constructor(
    private readonly dir: string,
    private readonly baseUrl: () => string | undefined,
    private readonly mac: (text: string) => string,
    private readonly now: () => Instant,
  ) {}

  private path(attachment: Pick<Attachment, 'ticketId' | 'id'>): string {
    return join(this.dir, attachmentKey(attachment.ticketId, attachment.id));
  }

  private signature(attachment: Attachment, expires: number): string {
    return this.mac(`upload:${attachmentKey(attachment.ticketId, attachment.id)}:${attachment.contentType}:${attachment.size}:${expires}`);
  }

  async uploadTarget(attachment: Attachment): Promise<UploadTarget> {
    const expiresAt = this.now() + ATTACHMENT_LIMITS.uploadSeconds * 1000;
    const query = new URLSearchParams({ expires: String(expiresAt), signature: this.signature(attachment, expiresAt) });
    const url = `${this.baseUrl() ?? 'http://127.0.0.1'}${LOCAL_UPLOAD_PATH}${attachment.ticketId}/${attachment.id}?${query}`;
    return { url, method: 'PUT', headers: { 'content-type': attachment.contentType, 'if-none-match': '*' }, expiresAt };
  }

  async put(attachment: Attachment, bytes: Uint8Array): Promise<void> {
    await mkdir(dirname(this.path(attachment)), { recursive: true });
    await writeFile(this.path(attachment), bytes);
  }

  async delete(attachment: Attachment): Promise<void> {
    await rm(this.path(attachment), { force: true });
  }

  async serve(attachment: Attachment): Promise<{ bytes: Uint8Array }> {
    return { bytes: await readFile(this.path(attachment)) };
  }

  /** Stores an upload made to a URL this adapter signed for `attachment`; refuses what S3 would; `exists` (S3's 412) when its bytes were stored before. */
  async receive(
    attachment: Attachment,
    upload: { expires: string | null; signature: string | null; contentType: string | undefined; ifNoneMatch: string | undefined; body: Uint8Array },
  ): Promise<'stored' | 'exists'> {
    const expires = Number(upload.expires);
    const expected = Buffer.from(this.signature(attachment, expires));
    const given = Buffer.from(upload.signature ?? '');
    if (!Number.isFinite(expires) || given.length !== expected.length || !timingSafeEqual(given, expected)) throw new ForbiddenError('the upload URL is not valid');
    if (this.now() > expires) throw new ForbiddenError('the upload URL has expired; ask for a new one');
    if (upload.contentType !== attachment.contentType) throw new ForbiddenError(`send the file with content-type ${attachment.contentType}, as announced`);
    if (upload.ifNoneMatch !== '*') throw new ForbiddenError('send the file with if-none-match: *, as the upload URL was signed');
    if (upload.body.byteLength !== attachment.size) throw new ForbiddenError(`send exactly ${attachment.size} bytes, as announced`);
    // Written once, as S3's If-None-Match: checked bytes are never replaced.
    const written = await writeFile(this.path(attachment), upload.body, { flag: 'wx' }).then(
      () => true,
      (error: NodeJS.ErrnoException) => {
        if (error.code === 'EEXIST') return false;
        if (error.code !== 'ENOENT') throw error;
        return mkdir(dirname(this.path(attachment)), { recursive: true }).then(() => writeFile(this.path(attachment), upload.body, { flag: 'wx' }).then(() => true));
      },
    );
    return written ? 'stored' : 'exists';
  }
}
