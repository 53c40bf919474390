import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { MAX_RAW_BYTES, parseMime, tooLarge, type Unreadable } from './mime-parser';
import type { ParsedMessage } from '../../domain/inbound/inbound-message';

/** Where SES's S3 action puts a message: the rule's prefix and SES's message id. */
export const rawMessageKey = (prefix: string, sesMessageId: string) => `${prefix}${sesMessageId}`;

/**
 * Reads a received message from the inbound bucket and parses it. One larger
 * than the cap is refused from its length, before its body is read.
 */
export async function readRawMessage(s3: S3Client, bucket: string, key: string): Promise<ParsedMessage | Unreadable> {
  const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  if ((object.ContentLength ?? 0) > MAX_RAW_BYTES) {
    await object.Body?.transformToWebStream().cancel();
    return tooLarge(object.ContentLength!);
  }
  if (!object.Body) return { refused: 'unreadable', detail: 'the stored message is empty' };
  return parseMime(await object.Body.transformToByteArray());
}
