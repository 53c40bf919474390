import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The correlation id of the work under way: an API request's, carried on by the
 * timers it arms and the alerts they raise. Kept per async context, so requests
 * that run at once in one process (the local stack) never borrow each other's.
 */
const current = new AsyncLocalStorage<string>();

/**
 * What a client may send as its own id: short, and nothing that could forge a
 * log line. `=` because API Gateway's HTTP API request ids end in it (base64).
 */
export const CORRELATION_ID = /^[A-Za-z0-9._:=-]{1,128}$/;

export const isCorrelationId = (value: unknown): value is string => typeof value === 'string' && CORRELATION_ID.test(value);

export function withCorrelationId<T>(id: string, work: () => T): T {
  return current.run(id, work);
}

/**
 * What raised the work keeps its id; otherwise it takes the one under way.
 * Timers and alerts carry it, so the work they do later logs under it.
 */
export function correlated<T extends { readonly correlationId?: string | undefined }>(work: T): T {
  if (isCorrelationId(work.correlationId)) return work;
  const id = currentCorrelationId();
  return id === undefined ? work : { ...work, correlationId: id };
}

export function currentCorrelationId(): string | undefined {
  return current.getStore();
}
