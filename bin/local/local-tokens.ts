import type { webcrypto } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
// jose's entry points one by one: its index loads three times the modules, a third of what `sla-desk token` costs.
import type { JWK, JWTPayload } from 'jose';
import { exportJWK } from 'jose/key/export';
import { generateKeyPair } from 'jose/key/generate/keypair';
import { importJWK } from 'jose/key/import';
import { SignJWT } from 'jose/jwt/sign';
import { type CallerRole, PROVIDER_GROUPS } from '#domain/actor';
import type { PublicJwk } from '#domain/integrations/public-key';
import { accessTokenAdditions } from '#handlers/auth/token-claims';
import { integrationAudience, signAssertion } from '#handlers/auth/integration-assertions';
import { CUSTOMER_ATTRIBUTE, type UserAccount } from '#adapters/identity/user-directory';

/** The local stand-ins for the user pool's issuer and app clients. */
export const LOCAL_ISSUER = 'https://sla-desk.local/issuer';
export const LOCAL_WEB_CLIENT = 'local-web-client';
/** The audience integrations' assertions name on the local stack (its stage is `local`). */
export const LOCAL_AUDIENCE = integrationAudience('local');
/** The integration the local stack registers for customer DEMO on its first start, so a customer's system can be tried at once. */
export const LOCAL_DEMO_INTEGRATION = 'local-demo';
export const LOCAL_DEMO_CUSTOMER = 'DEMO';
const ALGORITHM = 'ES256';
const KEY_FILE = 'jwt-signing-key.json';
const DEMO_KEY_FILE = 'demo-integration-key.json';

interface KeyPair {
  readonly privateKey: webcrypto.CryptoKey;
  readonly publicKey: webcrypto.CryptoKey;
  /** The public key as a JWK: what an integration's registration holds. */
  readonly publicJwk: PublicJwk;
}

/** No stack has made a signing key under this DATA_DIR, so no token could pass. */
export class NoSigningKeyError extends Error {}

/**
 * The signing key under DATA_DIR, made on the stack's first start so tokens
 * outlive restarts. Only the stack makes it: a token minted with a key of its
 * own would be refused by every request.
 */
export function signingKey(dataDir: string, { create = true } = {}): Promise<KeyPair> {
  return keyPairIn(dataDir, KEY_FILE, create);
}

/**
 * The private key of the local stack's demo integration (customer DEMO), made
 * under DATA_DIR on the stack's first start, which registers its public key.
 */
export function demoIntegrationKey(dataDir: string, { create = true } = {}): Promise<KeyPair> {
  return keyPairIn(dataDir, DEMO_KEY_FILE, create);
}

async function keyPairIn(dataDir: string, name: string, create: boolean): Promise<KeyPair> {
  const file = join(dataDir, name);
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
  return {
    privateKey: (await importJWK(jwk, ALGORITHM)) as webcrypto.CryptoKey,
    publicKey: (await importJWK(publicJwk, ALGORITHM)) as webcrypto.CryptoKey,
    publicJwk: { kty: 'EC', crv: 'P-256', x: publicJwk.x!, y: publicJwk.y! },
  };
}

/** The scope every user-pool access token carries, besides what the trigger adds. */
const COGNITO_USER_SCOPE = 'aws.cognito.signin.user.admin';

/** The local stack's people of each role: their first names, and a customer's person by customer. */
const LOCAL_PEOPLE: Readonly<Record<Exclude<CallerRole, 'customer'>, string>> = { agent: 'Ada Agent', finance: 'Fiona Finance', admin: 'Alan Admin' };
const LOCAL_CUSTOMER_PEOPLE: Readonly<Record<string, string>> = { ACME: 'Alice', GLOBEX: 'Gus', DEMO: 'Dana' };

/**
 * The name and email the local stack's person of a role has, as a user pool
 * account's `name` and `email` attributes: "Ada Agent", "Alice at ACME".
 */
function localPerson(role: CallerRole, customerId?: string): { name: string; email: string } {
  if (role !== 'customer' || !customerId) {
    const name = role === 'customer' ? 'Casey Customer' : LOCAL_PEOPLE[role];
    return { name, email: `${name.toLowerCase().replace(/ /g, '.')}@sla-desk.local` };
  }
  const first = LOCAL_CUSTOMER_PEOPLE[customerId] ?? 'Casey';
  return { name: `${first} at ${customerId}`, email: `${first.toLowerCase()}@${customerId.toLowerCase()}.example` };
}

/**
 * A token shaped like the user pool's access token for a person of this role
 * (the groups that give it, the customer attribute for a customer, and their
 * name and email: the local person of the role unless given).
 */
export function issueToken(key: KeyPair, options: { role: CallerRole; customerId?: string; subject?: string; name?: string; email?: string; expiresIn?: string }): Promise<string> {
  const local = localPerson(options.role, options.customerId);
  return personToken(key, {
    groups: PROVIDER_GROUPS.filter(([, role]) => role === options.role).map(([group]) => group),
    ...(options.customerId ? { customerId: options.customerId } : {}),
    subject: options.subject ?? `local-${options.role}${options.customerId ? `-${options.customerId.toLowerCase()}` : ''}`,
    attributes: { name: options.name ?? local.name, email: options.email ?? local.email },
    ...(options.expiresIn ? { expiresIn: options.expiresIn } : {}),
  });
}

/** The access token the user pool would give this account on sign-in: its email, and its name if it was given one. */
export function issueUserToken(key: KeyPair, account: UserAccount): Promise<string> {
  return personToken(key, {
    groups: account.groups,
    ...(account.customerId ? { customerId: account.customerId } : {}),
    subject: account.sub,
    attributes: { email: account.email, name: account.name },
  });
}

/**
 * The person's groups and attributes make the same additions the user pool's
 * pre token generation trigger makes: the role scope, the customer claim, and
 * the name and email.
 */
async function personToken(
  key: KeyPair,
  person: { groups: readonly string[]; customerId?: string; subject: string; attributes: { name?: string; email?: string }; expiresIn?: string },
): Promise<string> {
  const access = accessTokenAdditions(person.groups, { ...person.attributes, ...(person.customerId ? { [CUSTOMER_ATTRIBUTE]: person.customerId } : {}) });
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

/** An assertion of the local stack's demo integration (customer DEMO), as a customer's system signs one: valid 5 minutes. */
export function issueDemoAssertion(key: KeyPair): Promise<string> {
  return signAssertion(key.privateKey, { integrationId: LOCAL_DEMO_INTEGRATION, audience: LOCAL_AUDIENCE, algorithm: ALGORITHM });
}
