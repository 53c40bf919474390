import { httpHandler, json } from './http-route';
import { openApiDocument } from './openapi-document';

/** Built on the first request, not at import: the function also answers health, which the probe times. */
let body: ReturnType<typeof openApiDocument> | undefined;

/** The document needs nothing from the outside world, so this function loads none of it. */
export const handler = httpHandler(async () => json(200, (body ??= openApiDocument()), { 'cache-control': 'public, max-age=300' }));
