import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2WithLambdaAuthorizer, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type * as z from 'zod/mini';
import { parsePlainly, problemSummary } from '../zod-messages';
import type { Actor, Role } from '../../domain/actor';
import { POLICY } from '../../domain/policy';
import { type Dependencies, dependencies, type Factories } from '../dependencies';
import type { RouteSpec } from './routes';
import { actorFromAuthorizer, type AuthorizerContext } from './identity';
import { problemResponse, RequestError } from './problem';
import { CORRELATION_HEADER } from './headers';
import { currentCorrelationId, isCorrelationId } from '../../adapters/correlation';
import { lambdaHandler, logger, safeError } from '../observability';

/** As API Gateway hands it on: on an authenticated route, the authorizer's context under `requestContext.authorizer.lambda`. */
export type HttpEvent = APIGatewayProxyEventV2WithLambdaAuthorizer<AuthorizerContext>;
export type HttpResult = APIGatewayProxyStructuredResultV2;
export type HttpHandler = (event: HttpEvent, context?: Context) => Promise<HttpResult>;

/** A route's handler, carrying the declaration it serves: its capability's function dispatches on it. */
export type RouteHandler = HttpHandler & { readonly route: Pick<RouteSpec, 'id' | 'method' | 'path' | 'capability'> };

export const serving = (route: RouteHandler['route'], handler: HttpHandler): RouteHandler => Object.assign(handler, { route });

/** Bodies past this are refused before parsing. */
const MAX_BODY_BYTES = 256 * 1024;

export interface RouteInput<B, Q> {
  readonly actor: Actor;
  readonly body: B;
  readonly query: Q;
  readonly params: Readonly<Record<string, string>>;
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly deps: Dependencies;
}

/** A schema's parsed value, or undefined for a route that takes none. */
type Parsed<S> = S extends z.ZodMiniType ? z.infer<S> : undefined;

export const json = (statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpResult => ({
  statusCode,
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

/** Turns any thrown error into problem+json; unexpected ones are logged, never shown. */
const problemDetails = (): MiddlewareObj<HttpEvent, HttpResult> => ({
  onError: (request) => {
    const { response, unexpected } = problemResponse(request.error, request.event?.rawPath);
    // Only what the error is, never the input: the message is redacted and clipped, other fields left out.
    // The gateway's request id too: the access log's key, when the caller named the request with its own id.
    if (unexpected)
      logger.error('unexpected error', { error: safeError(request.error), route: request.event?.routeKey, path: request.event?.rawPath, api_request_id: request.event?.requestContext?.requestId });
    request.response = response;
  },
});

/** Every answer, error or not, names the correlation id its logs carry. */
const correlationHeader = (): MiddlewareObj<HttpEvent, HttpResult> => {
  const stamp = (request: { response: HttpResult | undefined | null }) => {
    const id = currentCorrelationId();
    if (request.response && id) request.response = { ...request.response, headers: { ...request.response.headers, [CORRELATION_HEADER]: id } };
  };
  return { after: stamp, onError: stamp };
};

/**
 * An HTTP function: traced, logged and measured as every function is, under
 * the caller's correlation id when it sends a sane one, else API Gateway's
 * request id; errors become problem+json.
 */
export function httpHandler(run: (event: HttpEvent, context: Context) => Promise<HttpResult>) {
  return lambdaHandler<HttpEvent, HttpResult>(run, {
    correlationIdOf: (event) => {
      const sent = event.headers?.[CORRELATION_HEADER];
      return isCorrelationId(sent) ? sent : event.requestContext?.requestId;
    },
    use: [correlationHeader(), problemDetails()],
  });
}

/** Parses one part of the request, or refuses it with a sentence per field and a short summary. */
function valid<S extends z.ZodMiniType>(schema: S, value: unknown, prefix: 'body' | 'query'): z.infer<S> {
  const parsed = parsePlainly(schema, value, prefix);
  if ('issues' in parsed) throw new RequestError(400, 'validation-error', 'Bad Request', problemSummary(parsed.issues, prefix), parsed.issues);
  return parsed.data;
}

function parseBody<B extends z.ZodMiniType>(event: HttpEvent, schema: B): z.infer<B> {
  const raw = event.body === undefined ? '' : event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  // No body at all reads as `{}`: a POST whose fields are all optional (an approval) needs none.
  if (raw === '') return valid(schema, {}, 'body');
  const type = event.headers?.['content-type'] ?? '';
  if (!/^application\/(.+\+)?json\b/i.test(type)) throw new RequestError(415, 'unsupported-media-type', 'Unsupported Media Type', 'send the body as application/json');
  if (Buffer.byteLength(raw) > MAX_BODY_BYTES) throw new RequestError(413, 'body-too-large', 'Content Too Large', `the body exceeds ${MAX_BODY_BYTES} bytes`);
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new RequestError(400, 'malformed-json', 'Bad Request', 'the body is not valid JSON');
  }
  return valid(schema, value, 'body');
}

function parseQuery<Q extends z.ZodMiniType>(event: HttpEvent, schema: Q | undefined): z.infer<Q> {
  const raw = event.queryStringParameters ?? {};
  if (!schema) {
    if (Object.keys(raw).length) throw new RequestError(400, 'validation-error', 'Bad Request', 'this route takes no query parameters');
    return undefined as z.infer<Q>;
  }
  return valid(schema, raw, 'query');
}

/**
 * A thin Lambda handler for one authenticated route, as its declaration says:
 * identity as the authorizer decided it, role check, zod at the edge, then the use
 * case. `factories` are the clients beyond DynamoDB the function uses
 * (Scheduler, for the routes that arm timers); they must match the declaration.
 */
export function httpRoute<B extends z.ZodMiniType | undefined, Q extends z.ZodMiniType | undefined>(
  spec: RouteSpec<B, Q>,
  run: (input: RouteInput<Parsed<B>, Parsed<Q>>) => Promise<HttpResult>,
  factories: Factories = {},
) {
  if (spec.armsTimers !== (factories.scheduler !== undefined)) {
    throw new Error(`route ${spec.id}: its declaration says armsTimers ${spec.armsTimers}, its handler ${factories.scheduler ? 'passes' : 'passes no'} scheduler`);
  }
  if ((spec.reports === 'read') !== (factories.reportFiles !== undefined) || (spec.reports === 'request') !== (factories.reportRequests !== undefined)) {
    throw new Error(`route ${spec.id}: its declaration says reports ${spec.reports}, its handler's factories do not match`);
  }
  if (spec.probeTargets !== (factories.probeTargets === true)) {
    throw new Error(`route ${spec.id}: its declaration says probeTargets ${spec.probeTargets}, its handler ${factories.probeTargets ? 'reads' : 'does not read'} them`);
  }
  const roles: readonly Role[] = spec.roles;
  return serving(
    spec,
    httpHandler(async (event, context) => {
      const deps = await dependencies(factories, context);
      const actor = actorFromAuthorizer(event.requestContext?.authorizer?.lambda);
      // The policy's own words: what the caller's role may not do, never a route.
      if (!roles.includes(actor.role)) throw new RequestError(403, 'forbidden', 'Forbidden', spec.action ? POLICY[spec.action].refused : `the ${actor.role} role may not do this`);
      const query = parseQuery(event, spec.query) as Parsed<Q>;
      const body = (spec.body ? parseBody(event, spec.body) : undefined) as Parsed<B>;
      const headers = Object.fromEntries(Object.entries(event.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
      return run({ actor, body, query, params: (event.pathParameters ?? {}) as Record<string, string>, headers, deps });
    }),
  );
}

/** A route without a token that uses the table (health). */
export function publicRoute(spec: RouteSpec, run: (deps: Dependencies) => Promise<HttpResult>) {
  return serving(
    spec,
    httpHandler(async (_event, context) => run(await dependencies({}, context))),
  );
}
