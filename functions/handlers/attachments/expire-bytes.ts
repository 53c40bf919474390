import '../tracing';
import { DeleteObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { attachmentKey, attachmentOfKey } from '../../adapters/attachments/attachment-bucket';
import { CHILD, PARTITION } from '../../adapters/dynamodb/table';
import { lambdaHandler, logger, traced } from '../observability';

let s3: S3Client | undefined;

/**
 * The object whose record this stream record removed, when DynamoDB's time to
 * live removed an attachment's record; undefined for anything else (a delete by
 * a role, another item), which the event source's filter already keeps out.
 */
export function expiredAttachmentKey(record: DynamoDBRecord): string | undefined {
  const expired = record.eventName === 'REMOVE' && record.userIdentity?.type === 'Service' && record.userIdentity?.principalId === 'dynamodb.amazonaws.com';
  const pk = record.dynamodb?.Keys?.PK?.S ?? '';
  const sk = record.dynamodb?.Keys?.SK?.S ?? '';
  if (!expired || !pk.startsWith(PARTITION.ticket) || !sk.startsWith(CHILD.attachment)) return undefined;
  const key = attachmentKey(pk.slice(PARTITION.ticket.length), sk.slice(CHILD.attachment.length));
  return attachmentOfKey(key) ? key : undefined;
}

/**
 * The table's stream invokes this for each attachment record its time to live
 * removed (a closed ticket's, a year on; an upload never made or rejected):
 * the object goes too, so no bytes outlive their record. Deleting is
 * idempotent, so a retried batch is harmless; one that keeps failing is kept
 * on the failed-invocations queue.
 */
export const handler = lambdaHandler(async (event: DynamoDBStreamEvent) => {
  const bucket = process.env.ATTACHMENT_BUCKET;
  if (!bucket) throw new Error('sla-desk configuration: ATTACHMENT_BUCKET is required here');
  s3 ??= traced(new S3Client({}));
  for (const record of event.Records) {
    const key = expiredAttachmentKey(record);
    if (!key) continue;
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    logger.info('an expired attachment was removed', { key });
  }
});
