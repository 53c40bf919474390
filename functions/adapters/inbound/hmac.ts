import { createHash, createHmac } from 'node:crypto';
import type { Mac } from '../../domain/inbound/reply-address';
import type { MessageKey } from '../../domain/inbound/inbound-ports';

/** HMAC-SHA-256 under the stage's reply-address secret: the only place the secret is used. */
export function hmacSha256(secret: string): Mac {
  if (secret.length < 32) throw new Error('the reply-address secret must be at least 32 characters');
  return (message) => createHmac('sha256', secret).update(message, 'utf8').digest();
}

/**
 * A message's key: a hash of its Message-ID, which senders write in any case
 * and length (angle brackets and spaces dropped, lower case), else SES's own id.
 */
export function messageKey(messageId: string | undefined, sesMessageId: string): MessageKey {
  const id = messageId?.trim().replace(/^<|>$/g, '').toLowerCase();
  return createHash('sha256')
    .update(id ? `message-id:${id}` : `ses:${sesMessageId}`)
    .digest('base64url');
}
