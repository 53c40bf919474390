import { IDEMPOTENCY_KEY_HEADER, REPLAYED_HEADER } from './headers';
import { RequestError } from './problem';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/** The Idempotency-Key header, if sent: 1–255 visible ASCII characters. */
export function idempotencyKeyOf(headers: Readonly<Record<string, string | undefined>>): string | undefined {
  const key = headers[IDEMPOTENCY_KEY_HEADER];
  if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) {
    throw new RequestError(400, 'invalid-idempotency-key', 'Bad Request', 'Idempotency-Key must be 1–255 visible ASCII characters');
  }
  return key;
}

export const replayedHeader = (replayed: boolean): Record<string, string> => (replayed ? { [REPLAYED_HEADER]: 'true' } : {});
