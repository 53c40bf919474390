import type { webcrypto } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, importJWK, type JWK, type JWTPayload, jwtVerify, SignJWT } from 'jose';
import type { PreTokenGenerationV2TriggerEvent } from 'aws-lambda';
import { type CallerRole, PROVIDER_GROUPS } from '../../functions/domain/actor';
import { handler as preTokenTrigger } from '../../functions/handlers/auth/pre-token';
import { TICKETS_SCOPE } from '../../functions/handlers/http/identity';
import { CUSTOMER_ATTRIBUTE, type UserAccount } from '../../functions/adapters/identity/user-directory';

/** The local stand-ins for the user pool's issuer and app clients. */
export const LOCAL_ISSUER = 'https://sla-desk.local/issuer';
export const LOCAL_WEB_CLIENT = 'local-web-client';
const ALGORITHM = 'ES256';
const KEY_FILE = 'jwt-signing-key.json';

interface KeyPair {
  readonly privateKey: webcrypto.CryptoKey;
  readonly publicKey: webcrypto.CryptoKey;
}

/** No stack has made a signing key under this DATA_DIR, so no token could pass. */
export class NoSigningKeyError extends Error {}

/**
 * The signing key under DATA_DIR, made on the stack's first start so tokens
 * outlive restarts. Only the stack makes it: a token minted with a key of its
 * own would be refused by every request.
 */
export async function signingKey(dataDir: string, { create = true } = {}): Promise<KeyPair> {
  const file = join(dataDir, KEY_FILE);
  let jwk: JWK;
  try {
    jwk = JSON.parse(await readFile(file, 'utf8')) as JWK;
  } catch {
    if (!create) throw new NoSigningKeyError(`no signing key under DATA_DIR=${dataDir}: start the stack with this DATA_DIR first (npm start), or set DATA_DIR to the one it runs with`);
    const { privateKey } = await generateKeyPair(ALGORITHM, { extractable: true });
    jwk = await exportJWK(privateKey);
    await mkdir(dataDir, { recursive: true });
    await writeFile(file, JSON.stringify(jwk), { mode: 0o600 });
  }
  const { d: _private, ...publicJwk } = jwk;
  return { privateKey: (await importJWK(jwk, ALGORITHM)) as webcrypto.CryptoKey, publicKey: (await importJWK(publicJwk, ALGORITHM)) as webcrypto.CryptoKey };
}

/** The scope every user-pool access token carries, besides what the trigger adds. */
const COGNITO_USER_SCOPE = 'aws.cognito.signin.user.admin';

/**
 * A token shaped like the user pool's access token for a person of this role
 * (the groups that give it, and the customer attribute for a customer).
 */
export function issueToken(key: KeyPair, options: { role: CallerRole; customerId?: string; subject?: string; expiresIn?: string }): Promise<string> {
  return personToken(key, {
    groups: PROVIDER_GROUPS.filter(([, role]) => role === options.role).map(([group]) => group),
    ...(options.customerId ? { customerId: options.customerId } : {}),
    subject: options.subject ?? `local-${options.role}${options.customerId ? `-${options.customerId.toLowerCase()}` : ''}`,
    ...(options.expiresIn ? { expiresIn: options.expiresIn } : {}),
  });
}

/** The access token the user pool would give this account on sign-in. */
export function issueUserToken(key: KeyPair, account: UserAccount): Promise<string> {
  return personToken(key, { groups: account.groups, ...(account.customerId ? { customerId: account.customerId } : {}), subject: account.sub });
}

/**
 * The person's groups and attributes go through the same pre token generation
 * trigger the user pool runs, which adds the role scope and the customer claim.
 */
async function personToken(key: KeyPair, person: { groups: readonly string[]; customerId?: string; subject: string; expiresIn?: string }): Promise<string> {
  const event = {
    version: '2',
    triggerSource: 'TokenGeneration_Authentication',
    request: {
      userAttributes: person.customerId ? { [CUSTOMER_ATTRIBUTE]: person.customerId } : {},
      groupConfiguration: { groupsToOverride: [...person.groups], iamRolesToOverride: [] },
      scopes: [COGNITO_USER_SCOPE],
    },
    response: {},
  } as unknown as PreTokenGenerationV2TriggerEvent;
  const { response } = (await preTokenTrigger(event, {} as never)) as PreTokenGenerationV2TriggerEvent;
  const access = response.claimsAndScopeOverrideDetails?.accessTokenGeneration;
  const claims: JWTPayload = {
    token_use: 'access',
    client_id: LOCAL_WEB_CLIENT,
    scope: [COGNITO_USER_SCOPE, ...(access?.scopesToAdd ?? [])].join(' '),
    ...(person.groups.length ? { 'cognito:groups': [...person.groups] } : {}),
    ...access?.claimsToAddOrOverride,
  };
  return new SignJWT(claims)
    .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
    .setIssuer(LOCAL_ISSUER)
    .setSubject(person.subject)
    .setIssuedAt()
    .setExpirationTime(person.expiresIn ?? '12h')
    .sign(key.privateKey);
}

/** A token shaped like a client-credentials access token of a customer's own system. */
export async function issueMachineToken(key: KeyPair, clientId: string): Promise<string> {
  return new SignJWT({ token_use: 'access', client_id: clientId, scope: TICKETS_SCOPE })
    .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
    .setIssuer(LOCAL_ISSUER)
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(key.privateKey);
}

/**
 * What API Gateway's JWT authorizer checks: signature, algorithm, issuer,
 * expiry, and an audience or, without one, a client_id it knows (route scopes
 * are checked by the local API).
 */
export async function verifyToken(key: KeyPair, token: string, clients: readonly string[]): Promise<JWTPayload> {
  const { payload } = await jwtVerify(token, key.publicKey, { issuer: LOCAL_ISSUER, algorithms: [ALGORITHM], requiredClaims: ['exp'] });
  // As the authorizer: the audience when the token has one, else its client_id.
  const audiences = typeof payload.aud === 'string' ? [payload.aud] : (payload.aud ?? []);
  const allowed = payload.aud !== undefined ? audiences.some((a) => clients.includes(a)) : typeof payload.client_id === 'string' && clients.includes(payload.client_id);
  if (!allowed) throw new Error('token is for another client');
  return payload;
}
