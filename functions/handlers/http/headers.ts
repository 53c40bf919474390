/** The API's own headers, by name: the handlers use them, and CORS must let the console send and read them. */
export const CORRELATION_HEADER = 'x-correlation-id';
export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
export const REPLAYED_HEADER = 'idempotent-replayed';

/** What the console may send across origins besides the simple headers. */
export const CORS_REQUEST_HEADERS = ['authorization', 'content-type', IDEMPOTENCY_KEY_HEADER, 'if-match', CORRELATION_HEADER];
/** What the console may read of an answer besides the simple headers. */
export const CORS_EXPOSED_HEADERS = ['etag', 'location', REPLAYED_HEADER, CORRELATION_HEADER];
