import type { APIGatewayRequestAuthorizerEventV2, Context } from 'aws-lambda';
import { type CryptoKey, createRemoteJWKSet, decodeJwt, decodeProtectedHeader, errors, importJWK, type JWTPayload, type JWTVerifyGetKey, jwtVerify, type KeyObject } from 'jose';
import * as z from 'zod/mini';
import { type Integration, integrationActor, type IntegrationStore, isIntegrationId } from '../../domain/integrations/integration';
import { ASSERTION_ALGORITHMS, type AssertionAlgorithm } from '../../domain/integrations/public-key';
import { type PersonStore, personOf, personRecorder } from '../../domain/people/people';
import { type AuthorizerContext, authorizerContext, personActor } from '../http/identity';
import { lambdaHandler, logger, safeError } from '../observability';
import { CLOCK_TOLERANCE_SECONDS, INTEGRATION_CACHE_SECONDS, MAX_ASSERTION_LIFETIME_SECONDS } from './integration-assertions';

export type AuthorizerEvent = APIGatewayRequestAuthorizerEventV2;
/** A simple response (payload 2.0): API Gateway answers 403 itself when isAuthorized is false. */
export type AuthorizerResult = { readonly isAuthorized: true; readonly context: AuthorizerContext } | { readonly isAuthorized: false };
export type Authorizer = (event: AuthorizerEvent, context?: Context) => Promise<AuthorizerResult>;

/** What the authorizer trusts: the user pool's people client, and the integrations registered in the table. */
export interface AuthorizerParts {
  readonly people: {
    /** The user pool's issuer (`iss` of its tokens). */
    readonly issuer: string;
    /** The people client: a person's access token must name it as `client_id`. */
    readonly clientId: string;
    /** The pool's signing keys: its JWKS on AWS, the local stack's key locally. */
    readonly keys: JWTVerifyGetKey | CryptoKey | KeyObject;
    readonly algorithms: readonly string[];
  };
  readonly integrations: {
    /** The audience an integration's assertion must name (integrationAudience of the stage). */
    readonly audience: string;
    readonly store: Pick<IntegrationStore, 'getIntegration'>;
    /** How long a record read is reused; at most INTEGRATION_CACHE_SECONDS (the bound on revocation counts on it). */
    readonly cacheSeconds: number;
  };
  /**
   * People's records, written from their tokens (name, email, role) when a
   * token says something new, so answers can name them. @default none kept
   */
  readonly records?: Pick<PersonStore, 'remember'>;
  /**
   * Erased people, whose tokens are refused though still signed and unexpired:
   * a person's record is read again at most every `cacheSeconds`, as an
   * integration's is (at most INTEGRATION_CACHE_SECONDS). @default none refused
   */
  readonly erased?: { readonly store: Pick<PersonStore, 'people'>; readonly cacheSeconds: number };
  /** The clock expiry and the cache are judged by, in ms. */
  readonly now: () => number;
  /** Told why a token was refused (never the token). @default an INFO log line */
  readonly refused?: (reason: string) => void;
}

/** A refusal, with the reason only the authorizer's log is told. */
class Refusal extends Error {}

interface Cached {
  readonly readAt: number;
  readonly integration: Integration;
  key?: Promise<CryptoKey | KeyObject>;
}

/** At most this many integrations' records are kept per warm container (10,000 customers fit). */
const CACHE_ENTRIES = 10_000;

/**
 * The HTTP API's Lambda authorizer for every authenticated route (REQUEST,
 * payload 2.0, simple responses, identity source the Authorization header).
 * A bearer token is either a person's Cognito access token, or an
 * integration's assertion signed with the key registered for it. The answer's
 * context is who is calling; each route's function reads it (actorFromAuthorizer).
 */
export function authorizer(parts: AuthorizerParts): Authorizer {
  for (const cacheSeconds of [parts.integrations.cacheSeconds, parts.erased?.cacheSeconds ?? 0]) {
    if (cacheSeconds < 0 || cacheSeconds > INTEGRATION_CACHE_SECONDS) {
      throw new Error(`the authorizer may keep a record at most ${INTEGRATION_CACHE_SECONDS} s, so a revocation or an erasure takes effect within a minute`);
    }
  }
  const refused = parts.refused ?? ((reason: string) => logger.info('token refused', { reason }));
  const cache = new Map<string, Cached>();
  const record = parts.records ? personRecorder(parts.records) : undefined;

  const erasedAt = new Map<string, { readonly readAt: number; readonly erased: boolean }>();
  /** Whether the person was erased, as their record said at most cacheSeconds ago. */
  async function erased(subject: string): Promise<boolean> {
    if (!parts.erased) return false;
    const now = parts.now();
    const cached = erasedAt.get(subject);
    if (cached && now - cached.readAt < parts.erased.cacheSeconds * 1000) return cached.erased;
    erasedAt.delete(subject);
    const record = (await parts.erased.store.people([subject])).get(subject);
    const answer = record?.erasedAt !== undefined;
    if (parts.erased.cacheSeconds > 0) {
      if (erasedAt.size >= CACHE_ENTRIES) erasedAt.delete(erasedAt.keys().next().value!);
      erasedAt.set(subject, { readAt: now, erased: answer });
    }
    return answer;
  }

  async function integrationOf(integrationId: string): Promise<Cached | undefined> {
    const now = parts.now();
    const cached = cache.get(integrationId);
    if (cached && now - cached.readAt < parts.integrations.cacheSeconds * 1000) return cached;
    cache.delete(integrationId);
    const integration = await parts.integrations.store.getIntegration(integrationId);
    if (!integration) return undefined;
    const entry: Cached = { readAt: now, integration };
    if (parts.integrations.cacheSeconds > 0) {
      // Oldest first out: a Map keeps insertion order.
      if (cache.size >= CACHE_ENTRIES) cache.delete(cache.keys().next().value!);
      cache.set(integrationId, entry);
    }
    return entry;
  }

  async function person(token: string): Promise<AuthorizerContext> {
    const { people } = parts;
    const { payload } = await jwtVerify(token, people.keys as JWTVerifyGetKey, {
      issuer: people.issuer,
      algorithms: [...people.algorithms],
      requiredClaims: ['exp'],
      currentDate: new Date(parts.now()),
    });
    if (payload.token_use !== 'access') throw new Refusal(`not an access token (token_use ${String(payload.token_use)})`);
    if (payload.client_id !== people.clientId) throw new Refusal('an access token of another app client');
    const actor = personActor(payload);
    if ('refused' in actor) throw new Refusal(actor.refused);
    // Their account is gone, but a token they hold stays signed until it expires.
    if (await erased(actor.subject)) throw new Refusal('the person was erased');
    // A record not written leaves the name the last one said: never a reason to refuse the caller.
    await record?.(personOf(actor, payload, parts.now())).catch((error: unknown) => logger.warn('person record not written', { error: safeError(error) }));
    return authorizerContext(actor);
  }

  async function integration(token: string, claims: JWTPayload): Promise<AuthorizerContext> {
    const header = decodeProtectedHeader(token);
    const id = header.kid;
    if (!isIntegrationId(id)) throw new Refusal('an assertion must name its integration as kid');
    if (claims.iss !== id || claims.sub !== id) throw new Refusal("an assertion's iss and sub must be its integration (kid)");
    if (!ASSERTION_ALGORITHMS.includes(header.alg as AssertionAlgorithm)) throw new Refusal(`an assertion is signed with ${ASSERTION_ALGORITHMS.join(' or ')}`);
    // Its time and audience before any read: a stale or stray token costs no lookup.
    const now = Math.floor(parts.now() / 1000);
    if (typeof claims.iat !== 'number' || typeof claims.exp !== 'number') throw new Refusal('an assertion needs iat and exp');
    if (claims.exp - claims.iat > MAX_ASSERTION_LIFETIME_SECONDS) throw new Refusal(`an assertion may live at most ${MAX_ASSERTION_LIFETIME_SECONDS} s (exp - iat)`);
    if (claims.iat > now + CLOCK_TOLERANCE_SECONDS) throw new Refusal('an assertion issued in the future (iat)');
    const entry = await integrationOf(id);
    if (!entry) throw new Refusal(`no integration ${id} is registered`);
    const registered = entry.integration;
    if (registered.revokedAt !== undefined) throw new Refusal(`integration ${id} is revoked`);
    if (header.alg !== registered.algorithm) throw new Refusal(`integration ${id} signs with ${registered.algorithm}, not ${String(header.alg)}`);
    entry.key ??= importJWK(registered.publicKey, registered.algorithm) as Promise<CryptoKey | KeyObject>;
    await jwtVerify(token, await entry.key, {
      issuer: id,
      subject: id,
      audience: parts.integrations.audience,
      algorithms: [registered.algorithm],
      requiredClaims: ['iat', 'exp'],
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      currentDate: new Date(parts.now()),
    });
    return authorizerContext(integrationActor(registered));
  }

  return lambdaHandler(async (event: AuthorizerEvent): Promise<AuthorizerResult> => {
    const header = event.identitySource?.[0] ?? event.headers?.authorization ?? '';
    try {
      const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
      if (!match) throw new Refusal('the Authorization scheme is not Bearer');
      const token = match[1]!;
      let claims: JWTPayload;
      try {
        claims = decodeJwt(token);
      } catch {
        throw new Refusal('not a JWT');
      }
      const context = claims.iss === parts.people.issuer ? await person(token) : await integration(token, claims);
      return { isAuthorized: true, context };
    } catch (error) {
      // Signature, expiry, audience and the like fail inside jose. The pool's keys out of reach, or anything else
      // unexpected, is thrown: API Gateway answers 500 and caches nothing, where a refusal would be cached.
      if (error instanceof Refusal || (error instanceof errors.JOSEError && !(error instanceof errors.JWKSTimeout))) {
        refused(error.message);
        return { isAuthorized: false };
      }
      throw error;
    }
  });
}

const environment = z.object({
  AUTH_ISSUER: z.url(),
  PEOPLE_CLIENT_ID: z.string().check(z.minLength(1)),
  INTEGRATION_AUDIENCE: z.string().check(z.minLength(1)),
  TABLE_NAME: z.string().check(z.minLength(3)),
  DYNAMODB_ENDPOINT: z.optional(z.url()),
});

/** The variables the authorizer's configuration reads. */
export type AuthorizerVariable = keyof z.input<typeof environment>;

/** On Lambda: the pool's JWKS (fetched once and cached by jose) and the table, once per container. */
async function fromEnvironment(): Promise<Authorizer> {
  const parsed = environment.safeParse(process.env);
  if (!parsed.success) throw new Error(`sla-desk authorizer configuration: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const env = parsed.data;
  const [{ createDocumentClient }, { DynamoIntegrationStore }, { DynamoPersonStore }] = await Promise.all([
    import('../../adapters/dynamodb/client'),
    import('../../adapters/dynamodb/dynamo-integration-store'),
    import('../../adapters/dynamodb/dynamo-person-store'),
  ]);
  const db = createDocumentClient({ endpoint: env.DYNAMODB_ENDPOINT });
  const people = new DynamoPersonStore(db, env.TABLE_NAME);
  return authorizer({
    // Cognito signs with RS256 and publishes its keys at the issuer.
    people: { issuer: env.AUTH_ISSUER, clientId: env.PEOPLE_CLIENT_ID, keys: createRemoteJWKSet(new URL(`${env.AUTH_ISSUER}/.well-known/jwks.json`)), algorithms: ['RS256'] },
    integrations: {
      audience: env.INTEGRATION_AUDIENCE,
      store: new DynamoIntegrationStore(db, env.TABLE_NAME),
      cacheSeconds: INTEGRATION_CACHE_SECONDS,
    },
    records: people,
    erased: { store: people, cacheSeconds: INTEGRATION_CACHE_SECONDS },
    now: Date.now,
  });
}

let onLambda: Promise<Authorizer> | undefined;

export const handler: Authorizer = async (event, context) => {
  onLambda ??= fromEnvironment().catch((error: unknown) => {
    onLambda = undefined;
    throw error;
  });
  return (await onLambda)(event, context);
};
