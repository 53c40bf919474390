import '../tracing';
import { GetObjectCommand, PutObjectTaggingCommand, S3Client } from '@aws-sdk/client-s3';
import type { S3Event } from 'aws-lambda';
import { attachmentOfKey, REJECTED_TAG } from '../../adapters/attachments/attachment-bucket';
import { HEAD_BYTES } from '../../domain/tickets/attachments';
import { uploadedContent } from '../../adapters/attachments/content-type';
import { dependencies } from '../dependencies';
import { lambdaHandler, logger, traced } from '../observability';
import { attachmentsOf } from '../services';

let s3: S3Client | undefined;

/** The first bytes of an object (fewer when it is shorter): a ranged GetObject. */
async function headOf(client: S3Client, bucket: string, key: string): Promise<Uint8Array> {
  const { Body } = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key, Range: `bytes=0-${HEAD_BYTES - 1}` }));
  return Body ? await Body.transformToByteArray() : new Uint8Array();
}

/**
 * S3 invokes this for each object uploaded to the attachment bucket: its first
 * bytes are checked against the declared type (`file-type`), and the
 * attachment becomes available, or rejected with the reason; a rejected
 * object is tagged, and the bucket's lifecycle rule removes it a day later.
 * A repeated event (S3 delivers at least once) finds the attachment settled
 * and does nothing; a failed run is retried by Lambda, then kept on the
 * failed-invocations queue.
 */
export const handler = lambdaHandler(async (event: S3Event, context) => {
  const deps = await dependencies({}, context);
  s3 ??= traced(new S3Client({}));
  const client = s3;
  for (const record of event.Records) {
    const bucket = record.s3.bucket.name;
    // S3 writes the key form-encoded in its events.
    const key = decodeURIComponent(record.s3.object.key.replace(/\+/g, ' '));
    const named = attachmentOfKey(key);
    if (!named) {
      logger.warn('an object that is no attachment was uploaded', { key });
      continue;
    }
    const size = record.s3.object.size;
    const checked = await attachmentsOf(deps).check(named.ticketId, named.id, async () => uploadedContent(size, await headOf(client, bucket, key)));
    // Rejected, or no longer asked for (its record expired): tagged, so the lifecycle rule removes it.
    if (!checked || checked.status === 'rejected') {
      await client.send(new PutObjectTaggingCommand({ Bucket: bucket, Key: key, Tagging: { TagSet: [{ Key: REJECTED_TAG.key, Value: REJECTED_TAG.value }] } }));
    }
    logger.info('attachment checked', { ticketId: named.ticketId, attachmentId: named.id, status: checked?.status ?? 'unknown', ...(checked?.reason ? { reason: checked.reason } : {}) });
  }
});
