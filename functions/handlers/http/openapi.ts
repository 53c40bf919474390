import { httpHandler, json } from './http-route';
import { openApiDocument } from './openapi-document';

const body = openApiDocument();

/** The document needs nothing from the outside world, so this function loads none of it. */
export const handler = httpHandler(async () => json(200, body, { 'cache-control': 'public, max-age=300' }));
