import middy from '@middy/core';
import { type HttpEvent, type HttpResult, json, problemDetails } from './http-route';
import { openApiDocument } from './openapi-document';

const body = openApiDocument();

/** The document needs nothing from the outside world, so this function loads none of it. */
export const handler = middy<HttpEvent, HttpResult>()
  .use(problemDetails())
  .handler(async () => json(200, body, { 'cache-control': 'public, max-age=300' }));
