import { httpHandler } from './http-route';
import { RequestError } from './problem';

/**
 * The HTTP API's `$default` route: a request no declared route takes. A
 * path that exists with another method is 405 with `Allow`; any other is 404.
 * A browser's CORS preflight (OPTIONS) lands here too, since `$default` takes
 * every method: it is answered 204, and API Gateway adds the configured CORS
 * headers to it. The route table is loaded on the first such request, not at
 * import: it holds every route's schemas, which health does not need.
 */
export const handler = httpHandler(async (event) => {
  const path = event.rawPath ?? '/';
  const method = event.requestContext?.http?.method ?? 'GET';
  if (method === 'OPTIONS') return { statusCode: 204 };
  const { allowedMethods } = await import('./routes');
  const allowed = allowedMethods(path);
  if (allowed.length === 0) throw new RequestError(404, 'no-such-route', 'Not Found', `no route ${method} ${path}`);
  throw new RequestError(405, 'method-not-allowed', 'Method Not Allowed', `${path} answers ${allowed.join(', ')}, not ${method}`, undefined, { allow: allowed.join(', ') });
});
