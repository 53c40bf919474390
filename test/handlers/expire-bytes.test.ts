import type { DynamoDBRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { expiredAttachmentKey } from '#handlers/attachments/expire-bytes';

const removed = (PK: string, SK: string): DynamoDBRecord => ({
  eventName: 'REMOVE',
  userIdentity: { type: 'Service', principalId: 'dynamodb.amazonaws.com' },
  dynamodb: { Keys: { PK: { S: PK }, SK: { S: SK } } },
});

describe('the attachment expiry', () => {
  it("names the object of an attachment record the time to live removed, and nothing else's", () => {
    expect(expiredAttachmentKey(removed('TICKET#ACME-12', `ATTACHMENT#${'a'.repeat(20)}`))).toBe(`tickets/ACME-12/${'a'.repeat(20)}`);
    // A role's delete (the erasure's own), another item of the ticket, an update, a key that names no attachment.
    const { userIdentity: _, ...deleted } = removed('TICKET#ACME-12', `ATTACHMENT#${'a'.repeat(20)}`);
    expect(expiredAttachmentKey(deleted)).toBeUndefined();
    expect(expiredAttachmentKey(removed('TICKET#ACME-12', 'EVENT#2026-06-10T07:00:00.000Z#x'))).toBeUndefined();
    expect(expiredAttachmentKey({ ...removed('TICKET#ACME-12', `ATTACHMENT#${'a'.repeat(20)}`), eventName: 'MODIFY' })).toBeUndefined();
    expect(expiredAttachmentKey(removed('TICKET#ACME-12', 'ATTACHMENT#../../x'))).toBeUndefined();
  });
});
