import { describe, expect, it } from 'vitest';
import { ConflictError, IdempotencyKeyReusedError } from '#domain/errors';
import { idempotent, type IdempotentAnswer, KEY_TAKEN } from '#domain/idempotency';

/** A key whose record never becomes readable while every claim loses: another request holds it. */
const held = { findIdempotentAnswer: async (): Promise<IdempotentAnswer | undefined> => undefined };

describe('Idempotency-Key', () => {
  it('retries run out: a key held by a request still in progress is a 409, after five tries, never a duplicate', async () => {
    let runs = 0;
    const attempt = idempotent({
      answers: held,
      scope: 'ACME',
      key: 'k1',
      request: { a: 1 },
      replay: () => 'replayed',
      run: async () => {
        runs++;
        return KEY_TAKEN;
      },
    });
    await expect(attempt).rejects.toThrow(ConflictError);
    await expect(attempt).rejects.toThrow(/still in progress/);
    expect(runs).toBe(5);
  });

  it('replays the first answer once it can be read, and refuses the key with another request', async () => {
    let stored: IdempotentAnswer | undefined;
    const answers = { findIdempotentAnswer: async () => stored };
    const request = (body: unknown) =>
      idempotent({
        answers,
        scope: 'ACME',
        key: 'k2',
        request: body,
        replay: (known) => `replayed ${known.resourceId}`,
        run: async (claim) => {
          stored = { ...claim('T-1', { ok: true })! };
          return 'created T-1';
        },
      });
    expect(await request({ a: 1 })).toBe('created T-1');
    expect(await request({ a: 1 })).toBe('replayed T-1');
    await expect(request({ a: 2 })).rejects.toThrow(IdempotencyKeyReusedError);
  });
});
