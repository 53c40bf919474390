import { json, publicRoute } from './http-route';
import { openApiDocument } from './openapi-document';

const body = openApiDocument();

export const handler = publicRoute(async () => json(200, body, { 'cache-control': 'public, max-age=300' }));
