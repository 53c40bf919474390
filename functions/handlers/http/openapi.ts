import { httpHandler, json, serving } from './http-route';
import { openapi } from './routes';

/**
 * Built on the first request, not at import: the document reads every route's
 * schemas, and the function also answers health, which the probe times.
 */
let body: unknown;

/** The document needs nothing from the outside world, so this function loads none of it. */
export const handler = serving(
  openapi,
  httpHandler(async () => json(200, (body ??= (await import('./openapi-document')).openApiDocument()), { 'cache-control': 'public, max-age=300' })),
);
