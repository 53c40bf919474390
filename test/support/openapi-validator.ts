import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { openApiDocument } from '#handlers/http/openapi-document';
import { ROUTES, routePattern } from '#handlers/http/routes';

/**
 * Checks an answer of the API against the OpenAPI document the API publishes:
 * the status must be documented for the route, and the body must match the
 * schema for it (problem details for every error).
 */
const document = openApiDocument();
const ajv = new Ajv2020({ allErrors: true, strict: false });
(addFormats as unknown as (a: Ajv2020) => void)(ajv);
const validators = new Map<string, ValidateFunction>();
const patterns = ROUTES.map((r) => ({ route: r, pattern: routePattern(r.path) }));

function validatorFor(key: string, schema: object): ValidateFunction {
  let validate = validators.get(key);
  if (!validate) validators.set(key, (validate = ajv.compile(schema)));
  return validate;
}

/** Why an answer breaks the document, or undefined when it keeps to it. */
export function documentViolation(method: string, url: string, status: number, contentType: string | null, body: unknown): string | undefined {
  const path = new URL(url, 'http://x').pathname;
  if (path === '/_dev/clock' || path === '/_dev/token') return undefined; // the local stack's own, never deployed
  // The console's files, not the API's (CloudFront serves them on AWS).
  if (method === 'GET' && (path === '/' || path === '/index.html' || path === '/config.json' || path.startsWith('/assets/'))) return undefined;
  const route = patterns.find((p) => p.route.method === method && p.pattern.test(path))?.route;
  const where = `${method} ${path} → ${status}`;
  if (status >= 400 || !route) {
    if (contentType !== 'application/problem+json') return `${where}: an error must be application/problem+json, not ${contentType}`;
    const validate = validatorFor('Problem', document.components.schemas.Problem);
    return validate(body) ? undefined : `${where}: not a problem document: ${ajv.errorsText(validate.errors)}`;
  }
  const operation = document.paths[route.path]![route.method.toLowerCase()] as { responses: Record<string, { content?: Record<string, { schema: object }> }> };
  const answer = operation.responses[String(status)];
  if (!answer) return `${where}: the document names no ${status} for ${route.id}`;
  const contents = Object.entries(answer.content ?? {});
  if (contents.length === 0) return body === undefined || body === '' ? undefined : `${where}: the document says no body`;
  const [type, media] = contents.find(([documented]) => contentType?.startsWith(documented.split(';')[0]!)) ?? [];
  if (!type || !media) return `${where}: content type ${contentType}, the document says ${contents.map(([t]) => t).join(' or ')}`;
  if (type !== 'application/json') return undefined;
  const validate = validatorFor(`${route.id} ${status}`, media.schema);
  return validate(body) ? undefined : `${where}: ${ajv.errorsText(validate.errors)}`;
}
