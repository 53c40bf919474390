import { createHash } from 'node:crypto';
import type { Actor } from './actor';
import { ConflictError, IdempotencyKeyReusedError } from './errors';
export const KEY_TAKEN = 'idempotency-key-taken';

/** What a request answered the first time its Idempotency-Key was used. */
export interface IdempotentAnswer {
  readonly requestHash: string;
  /** What the request created: a ticket, comment or service window. */
  readonly resourceId: string;
  readonly response: string;
}

/** An Idempotency-Key claimed together with a write: the caller's scope, the key, and the answer to replay. */
export interface IdempotencyClaim extends IdempotentAnswer {
  readonly scope: string;
  readonly key: string;
}

/**
 * The port for the answers given: read here, and written by each store in the
 * same transaction as the work the key guards (so a claim and its work never part).
 */
export interface IdempotencyStore {
  findIdempotentAnswer(scope: string, key: string): Promise<IdempotentAnswer | undefined>;
}

export interface IdempotentRequest<T> {
  readonly answers: IdempotencyStore;
  readonly scope: string;
  readonly key: string | undefined;
  /** What makes two requests the same request. */
  readonly request: unknown;
  /** Replays the first answer. */
  readonly replay: (known: IdempotentAnswer) => T | Promise<T>;
  /**
   * Does the work once; `claim(resourceId, response)` gives the record to write
   * with it. Answers KEY_TAKEN when a concurrent request with the key got there first.
   */
  readonly run: (claim: (resourceId: string, response: unknown) => IdempotencyClaim | undefined) => Promise<T | typeof KEY_TAKEN>;
}

/**
 * A write that honours an Idempotency-Key.
 * 1. A known key replays its first answer; the same key with another request is refused.
 * 2. Otherwise the work runs, claiming the key in the same write.
 * 3. If a concurrent request claimed it first, its answer is replayed.
 */
export async function idempotent<T>({ answers, scope, key, request, replay, run }: IdempotentRequest<T>): Promise<T> {
  const requestHash = createHash('sha256').update(JSON.stringify(request)).digest('base64url');
  const claim = (resourceId: string, response: unknown) => (key === undefined ? undefined : { scope, key, requestHash, resourceId, response: JSON.stringify(response) });
  for (let attempt = 1; attempt <= 5; attempt++) {
    if (key !== undefined) {
      const known = await answers.findIdempotentAnswer(scope, key);
      if (known && known.requestHash !== requestHash) throw new IdempotencyKeyReusedError();
      if (known) return replay(known);
    }
    const outcome = await run(claim);
    if (outcome !== KEY_TAKEN) return outcome;
  }
  throw new ConflictError('this Idempotency-Key is being used by a request still in progress; retry shortly');
}

/** Keys are the caller's own: a customer's shared by its users, anyone else's by the person. */
export function idempotencyScope(actor: Pick<Actor, 'customerId' | 'subject'>): string {
  return actor.customerId ?? `USER#${actor.subject}`;
}
