import { randomUUID } from 'node:crypto';
import type { Dependencies } from '#handlers/dependencies';
import { invocation } from './invocation';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import type { UserDirectory } from '#adapters/identity/user-directory';
import { CALLER_ROLES } from '#domain/actor';
import { InvalidInputError } from '#domain/errors';
import { isCustomerId } from '#domain/identifiers';
import { parseInstant } from '#domain/instant';
import { timeText } from '#domain/wording';
import type { Verdicts, VerdictStatus } from '#domain/inbound/inbound-message';
import type { Authorizer, AuthorizerEvent } from '#handlers/auth/authorizer';
import { actorFromAuthorizer, type AuthorizerContext } from '#handlers/http/identity';
import type { HttpEvent, HttpResult } from '#handlers/http/http-route';
import { problemResponse, RequestError, unauthorized } from '#handlers/http/problem';
import { LOCAL_UPLOAD_PATH } from '#adapters/attachments/local-attachment-files';
import { ATTACHMENT_LIMITS } from '#domain/tickets/attachments';
import { capabilityEntry, ROUTES, type RouteSpec, routeKey, routePattern } from '#handlers/http/routes';
import type { LocalClock } from './local-clock';
import { safeError } from '#handlers/observability';
import { consoleFile } from './console';
import { issueToken, issueUserToken, type signingKey } from './local-tokens';

type Handler = (event: HttpEvent, context: Context) => Promise<HttpResult>;

/** API Gateway's own payload limit; the handlers enforce the API's smaller one. */
const GATEWAY_MAX_BODY = 10 * 1024 * 1024;

export interface LocalApiOptions {
  readonly port: number;
  readonly host?: string;
  /** What the local sign-in signs people's tokens with. */
  readonly key: Awaited<ReturnType<typeof signingKey>>;
  /** The authorizer every authenticated route has, as on AWS: the same handler, given the stack's issuer, key and table. */
  readonly authorizer: Authorizer;
  readonly clock: LocalClock;
  /** The years the clock may be set within (the calendar's, less its last, so deadlines still fit). */
  readonly years: { readonly from: number; readonly to: number };
  /** Fires what a clock jump made due before the jump is answered. */
  readonly afterClockJump?: () => Promise<void>;
  readonly root?: string;
  /** One line per request, and why a token was refused. @default console.log */
  readonly log?: (line: string) => void;
  /** The stack's own dependencies, handed to every function it invokes. */
  readonly dependencies: Dependencies;
  /** The accounts the onboard command made under DATA_DIR: the local sign-in by email. */
  readonly users?: Pick<UserDirectory, 'find'>;
  /** Takes an attachment's bytes at the URL its upload was signed for, as S3 takes a presigned PUT (`PUT /_dev/uploads/<ticket>/<id>`). */
  readonly upload?: (
    ticketId: string,
    attachmentId: string,
    upload: { expires: string | null; signature: string | null; contentType: string | undefined; ifNoneMatch: string | undefined; body: Buffer },
  ) => Promise<void>;
  /** Ingests one raw message as SES's receipt would hand it over (`POST /_dev/inbound-email`). */
  readonly inboundEmail?: (raw: Buffer, verdicts: Verdicts) => Promise<unknown>;
}

const VERDICT_CHECKS = ['spf', 'dkim', 'dmarc', 'spam', 'virus'] as const;
const VERDICT_STATUSES: readonly VerdictStatus[] = ['PASS', 'FAIL', 'GRAY', 'PROCESSING_FAILED', 'DISABLED'];

/** A local delivery passes every check, unless the request says otherwise: `x-ses-spf-verdict: FAIL` and the like. */
function verdictsOf(request: IncomingMessage): Verdicts {
  const verdict = (check: (typeof VERDICT_CHECKS)[number]): VerdictStatus => {
    const said = request.headers[`x-ses-${check}-verdict`];
    if (said === undefined) return 'PASS';
    const status = VERDICT_STATUSES.find((s) => s === String(said).trim().toUpperCase());
    if (!status) throw new RequestError(400, 'validation-error', 'Bad Request', `x-ses-${check}-verdict is one of ${VERDICT_STATUSES.join(', ')}`);
    return status;
  };
  return { spf: verdict('spf'), dkim: verdict('dkim'), dmarc: verdict('dmarc'), spam: verdict('spam'), virus: verdict('virus') };
}

interface CompiledRoute {
  readonly spec: RouteSpec;
  readonly pattern: RegExp;
  readonly names: readonly string[];
}

function compile(spec: RouteSpec): CompiledRoute {
  return { spec, pattern: routePattern(spec.path), names: [...spec.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!) };
}

async function readBody(request: IncomingMessage, max = GATEWAY_MAX_BODY): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > max) throw new RequestError(413, 'body-too-large', 'Content Too Large', 'the body exceeds the gateway limit');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function send(response: ServerResponse, result: HttpResult): void {
  response.writeHead(result.statusCode ?? 200, result.headers as Record<string, string>);
  response.end(result.isBase64Encoded && result.body ? Buffer.from(result.body, 'base64') : (result.body ?? ''));
}

/**
 * The deployment's HTTP API on one machine: on an authenticated route it asks
 * the same Lambda authorizer API Gateway does, builds an HTTP API v2 event with
 * its answer and calls the same handler Lambda would.
 */
export async function startLocalApi(options: LocalApiOptions): Promise<{ server: Server; url: string; close(): Promise<void> }> {
  const root = options.root ?? process.cwd();
  const log = options.log ?? ((line: string) => console.log(line));
  const routes = ROUTES.map(compile);

  /** A capability's function, loaded on its first request as Lambda would. */
  const functions = new Map<string, Promise<Handler>>();
  function handlerOf(entry: string): Promise<Handler> {
    let handler = functions.get(entry);
    if (!handler) {
      handler = import(pathToFileURL(resolve(root, entry)).href).then((m: { handler: Handler }) => m.handler);
      functions.set(entry, handler);
    }
    return handler;
  }

  /**
   * As API Gateway with the Lambda authorizer: no Authorization header (its
   * identity source) is 401 without asking the authorizer; a refusal
   * (isAuthorized false, a simple response) is 403, whatever the reason (the
   * authorizer logs it: locally, on the console); an authorizer that fails is
   * a 500. API Gateway answers these with its own bodies; the twin keeps to the
   * problem details the OpenAPI document promises. No result cache here: every
   * request asks the authorizer, so a revocation is refused at once locally
   * (on AWS within a minute, see integration-assertions.ts).
   */
  async function authorize(request: IncomingMessage, url: URL, method: string, routeKey: string, pathParameters?: Record<string, string>): Promise<AuthorizerContext> {
    const identity = request.headers.authorization;
    if (!identity) throw unauthorized('a bearer token is required');
    const { body: _body, isBase64Encoded: _encoded, ...asked } = httpEvent(request, url, method, Buffer.alloc(0), routeKey, pathParameters);
    const event = {
      ...asked,
      type: 'REQUEST',
      routeArn: `arn:aws:execute-api:local:000000000000:local/$default/${method}${url.pathname}`,
      identitySource: [identity],
      cookies: [],
    } as unknown as AuthorizerEvent;
    const answer = await options.authorizer(event, invocation('authorizer', options.dependencies));
    if (!answer.isAuthorized)
      throw new RequestError(
        403,
        'token-refused',
        'Forbidden',
        'the bearer token was refused: it is malformed, expired, revoked, signed with a key not registered, or not an access token for this API',
      );
    return answer.context;
  }

  async function devClock(request: IncomingMessage, url: URL, body: Buffer): Promise<HttpResult> {
    const actor = actorFromAuthorizer(await authorize(request, url, request.method ?? 'GET', `${request.method ?? 'GET'} /_dev/clock`));
    if (request.method === 'GET') return json(200, clockAnswer(options.clock.now()));
    if (actor.role !== 'admin') throw new RequestError(403, 'forbidden', 'Forbidden', 'only admins may move the clock');
    let now: number;
    let backwards: unknown;
    try {
      const request = JSON.parse(body.toString('utf8')) as { now?: unknown; backwards?: unknown };
      backwards = request.backwards;
      now = parseInstant(request.now);
    } catch (error) {
      if (error instanceof InvalidInputError) throw new RequestError(400, 'invalid-instant', 'Bad Request', error.message);
      throw new RequestError(400, 'malformed-json', 'Bad Request', 'send {"now": "<ISO instant>"}');
    }
    // The calendar answers for its years only; a clock outside them would break every deadline.
    const year = new Date(now).getUTCFullYear();
    if (year < options.years.from || year >= options.years.to) {
      throw new RequestError(400, 'invalid-instant', 'Bad Request', `the clock must stay within ${options.years.from}–${options.years.to - 1}`);
    }
    // Time running backwards puts later tickets before earlier ones: only when asked for in so many words.
    const was = options.clock.now();
    let warning: string | undefined;
    if (now < was) {
      if (backwards !== true) {
        throw new RequestError(409, 'clock-backwards', 'Conflict', `the clock is at ${timeText(was)} in Copenhagen; to move it back, send "backwards": true as well`);
      }
      warning = `the clock moved back from ${new Date(was).toISOString()}: records made after that instant now lie in the future`;
      log(`local api: warning: ${warning}`);
    }
    options.clock.set(now);
    await options.afterClockJump?.();
    return json(200, { ...clockAnswer(options.clock.now()), ...(warning ? { warning } : {}) });
  }

  /** The instant for tools, and the contract's local time for people: "Wed 2 Dec 2026, 10:02". */
  function clockAnswer(at: number) {
    return { now: new Date(at).toISOString(), copenhagen: timeText(at) };
  }

  /** The console's local sign-in: a token for one of the local identities (this route exists only here). */
  async function devToken(request: IncomingMessage, body: Buffer): Promise<HttpResult> {
    // Tokens for the asking, so only to this machine's own pages: no other host name (DNS rebinding), no form posts.
    const host = (request.headers.host ?? '').replace(/:\d+$/, '');
    if (!['127.0.0.1', 'localhost', '[::1]'].includes(host)) throw new RequestError(403, 'forbidden', 'Forbidden', 'the local sign-in answers on localhost only');
    if (!/^application\/json\b/i.test(request.headers['content-type'] ?? '')) throw new RequestError(415, 'unsupported-media-type', 'Unsupported Media Type', 'send the body as application/json');
    let wanted: { role?: unknown; customerId?: unknown; email?: unknown };
    try {
      wanted = JSON.parse(body.toString('utf8')) as typeof wanted;
    } catch {
      throw new RequestError(400, 'malformed-json', 'Bad Request', 'send {"email": "alice@acme.example"}, {"role": "customer", "customerId": "ACME"} or {"role": "agent"}');
    }
    // An onboarded person signs in as themselves: their own sub, groups and customer, as the user pool would give them.
    if (wanted.email !== undefined) {
      const account = typeof wanted.email === 'string' ? await options.users?.find(wanted.email) : undefined;
      if (!account?.enabled) throw new RequestError(404, 'no-such-user', 'Not Found', `no local account ${String(wanted.email)}: make it with sla-desk onboard`);
      return json(200, { token: await issueUserToken(options.key, account) });
    }
    const role = CALLER_ROLES.find((r) => r === wanted.role);
    if (!role) throw new RequestError(400, 'validation-error', 'Bad Request', `role is one of ${CALLER_ROLES.join(', ')}`);
    if (role === 'customer' && !isCustomerId(wanted.customerId)) throw new RequestError(400, 'validation-error', 'Bad Request', 'a customer needs its customerId, e.g. ACME');
    const token = await issueToken(options.key, { role, ...(role === 'customer' ? { customerId: wanted.customerId as string } : {}) });
    return json(200, { token });
  }

  /** A received email, as SES would hand it to the ingest function (this route exists only here): admins only. */
  async function devInboundEmail(request: IncomingMessage, url: URL, body: Buffer): Promise<HttpResult> {
    const actor = actorFromAuthorizer(await authorize(request, url, 'POST', 'POST /_dev/inbound-email'));
    if (actor.role !== 'admin') throw new RequestError(403, 'forbidden', 'Forbidden', 'only admins may deliver email');
    if (!/^message\/rfc822\b/i.test(request.headers['content-type'] ?? '')) throw new RequestError(415, 'unsupported-media-type', 'Unsupported Media Type', 'send the raw message as message/rfc822');
    if (!options.inboundEmail) throw new RequestError(404, 'no-such-route', 'Not Found', 'this stack receives no email');
    return json(200, await options.inboundEmail(body, verdictsOf(request)));
  }

  async function handle(request: IncomingMessage): Promise<HttpResult> {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const method = request.method ?? 'GET';
    const upload = method === 'PUT' ? new RegExp(`^${LOCAL_UPLOAD_PATH}([^/]+)/([^/]+)$`).exec(url.pathname) : null;
    // An upload is as large as an attachment may be, beyond the gateway's limit: it goes to storage, not the API.
    const body = await readBody(request, upload ? ATTACHMENT_LIMITS.maxBytes : GATEWAY_MAX_BODY);
    if (upload && options.upload) {
      await options.upload(decodePathPart(upload[1]!), decodePathPart(upload[2]!), {
        expires: url.searchParams.get('expires'),
        signature: url.searchParams.get('signature'),
        contentType: request.headers['content-type'],
        ifNoneMatch: request.headers['if-none-match'],
        body,
      });
      return { statusCode: 200, headers: {}, body: '' };
    }
    if (url.pathname === '/_dev/clock' && (method === 'GET' || method === 'POST')) return devClock(request, url, body);
    if (url.pathname === '/_dev/token' && method === 'POST') return devToken(request, body);
    if (url.pathname === '/_dev/inbound-email' && method === 'POST') return devInboundEmail(request, url, body);
    if (url.pathname === '/config.json' && method === 'GET') return json(200, { auth: 'local', now: new Date(options.clock.now()).toISOString() });
    if (method === 'GET') {
      const file = await consoleFile(url.pathname);
      if (file) return file;
    }
    const route = routes.find((r) => r.spec.method === method && r.pattern.test(url.pathname));
    // What no route takes goes to the HTTP API's $default route: the same handler Lambda runs there.
    if (!route) return (await noRouteHandler())(httpEvent(request, url, method, body, '$default'), invocation('public', options.dependencies));
    const values = route.pattern.exec(url.pathname)!.slice(1);
    const pathParameters = route.names.length ? Object.fromEntries(route.names.map((n, i) => [n, decodePathPart(values[i]!)])) : undefined;
    const authorized = route.spec.authenticated ? await authorize(request, url, method, `${method} ${route.spec.path}`, pathParameters) : undefined;
    return (await handlerOf(route.spec.entry))(httpEvent(request, url, method, body, routeKey(route.spec), pathParameters, authorized), invocation(route.spec.capability, options.dependencies));
  }

  // What no route takes is the public function's, as the $default route is on AWS.
  const noRouteHandler = () => handlerOf(capabilityEntry('public'));

  /** An HTTP API v2 event, as API Gateway builds it. */
  function httpEvent(request: IncomingMessage, url: URL, method: string, body: Buffer, routeKey: string, pathParameters?: Record<string, string>, authorizer?: AuthorizerContext): HttpEvent {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value;
    const query: Record<string, string> = {};
    for (const [name, value] of url.searchParams) query[name] = name in query ? `${query[name]},${value}` : value;
    const now = Date.now();
    return {
      version: '2.0',
      routeKey,
      rawPath: url.pathname,
      rawQueryString: url.search.slice(1),
      headers,
      ...(url.search ? { queryStringParameters: query } : {}),
      ...(pathParameters ? { pathParameters } : {}),
      requestContext: {
        accountId: '000000000000',
        apiId: 'local',
        domainName: headers.host ?? 'localhost',
        domainPrefix: 'local',
        http: { method, path: url.pathname, protocol: 'HTTP/1.1', sourceIp: request.socket.remoteAddress ?? '127.0.0.1', userAgent: headers['user-agent'] ?? '' },
        requestId: randomUUID(),
        routeKey,
        stage: '$default',
        time: new Date(now).toUTCString(),
        timeEpoch: now,
        // What the authorizer's simple response gave as its context, as API Gateway passes it on.
        ...(authorizer ? { authorizer: { lambda: authorizer } } : {}),
      },
      ...(body.length ? { body: body.toString('utf8') } : {}),
      isBase64Encoded: false,
    } as unknown as HttpEvent;
  }

  const server = createServer((request, response) => {
    const started = performance.now();
    const done = (result: HttpResult) => {
      send(response, result);
      log(`${request.method} ${request.url} ${result.statusCode ?? 200} ${Math.round(performance.now() - started)} ms`);
    };
    handle(request).then(done, (error: unknown) => {
      const { response: problem, unexpected } = problemResponse(error, request.url);
      if (unexpected) console.error('local api: unexpected error', JSON.stringify(safeError(error)));
      done(problem);
    });
  });
  await new Promise<void>((ready, fail) => {
    server.once('error', fail);
    server.listen(options.port, options.host ?? '127.0.0.1', () => {
      server.off('error', fail);
      ready();
    });
  });
  const { port } = server.address() as { port: number };
  return {
    server,
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    close: () =>
      new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
}

/** API Gateway refuses a malformed escape before any handler sees it. */
function decodePathPart(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new RequestError(404, 'no-such-route', 'Not Found', 'the path is not well formed');
  }
}

function json(statusCode: number, body: unknown): HttpResult {
  return { statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}
