import { type CryptoKey, exportJWK, generateKeyPair, type JWTPayload, SignJWT } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { ensureTable } from '../../bin/local/dynamodb-local';
import { createDocumentClient } from '#adapters/dynamodb/client';
import { DynamoCustomerStore } from '#adapters/dynamodb/dynamo-customer-store';
import { DynamoIntegrationStore } from '#adapters/dynamodb/dynamo-integration-store';
import { DynamoPersonStore } from '#adapters/dynamodb/dynamo-person-store';
import { DynamoPersonalData } from '#adapters/dynamodb/dynamo-personal-data';
import { IntegrationService } from '#domain/integrations/integration';
import type { Person } from '#domain/people/people';
import { type Authorizer, type AuthorizerEvent, type AuthorizerParts, authorizer } from '#handlers/auth/authorizer';
import { INTEGRATION_CACHE_SECONDS, integrationAudience, MAX_ASSERTION_LIFETIME_SECONDS, REVOCATION_EFFECTIVE_WITHIN_SECONDS, signAssertion } from '#handlers/auth/integration-assertions';

/*
 * The Lambda authorizer itself, against DynamoDB Local (the real store) and
 * real signed tokens: Cognito's access tokens for people (RS256, as the pool
 * signs), and assertions integrations sign with keys registered in the table.
 * The clock is injected: expiry and the record cache are judged by it.
 */

const ISSUER = 'https://cognito-idp.eu-north-1.amazonaws.com/eu-north-1_Test';
const PEOPLE_CLIENT = 'people-client-id';
const AUDIENCE = integrationAudience('test');
const admin = { subject: 'admin-1', role: 'admin' as const };

const db = createDocumentClient({ endpoint: inject('dynamoEndpoint') });
const tableName = `authz${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const integrations = new DynamoIntegrationStore(db, tableName);
const customers = new DynamoCustomerStore(db, tableName);
let now = Date.parse('2026-06-10T10:00:00Z');
const service = new IntegrationService({ integrations, customers, now: () => now });
const pool = await generateKeyPair('RS256');
const erpKey = await generateKeyPair('ES256', { extractable: true });
const rsaKey = await generateKeyPair('RS256', { extractable: true });

let refusals: string[];
let authorize: Authorizer;
const parts = (over: Partial<AuthorizerParts['integrations']> = {}): AuthorizerParts => ({
  people: { issuer: ISSUER, clientId: PEOPLE_CLIENT, keys: pool.publicKey, algorithms: ['RS256'] },
  integrations: { audience: AUDIENCE, store: integrations, cacheSeconds: INTEGRATION_CACHE_SECONDS, ...over },
  now: () => now,
  refused: (reason) => refusals.push(reason),
});

beforeAll(async () => {
  await ensureTable(inject('dynamoEndpoint'), tableName);
  for (const customerId of ['ACME', 'GLOBEX']) {
    await customers.putCustomer({ customerId, name: customerId, contacts: [], updatedAt: now, version: 1 } as never, 0);
  }
  await service.register(admin, 'acme-erp', { customerId: 'ACME', publicKey: await exportJWK(erpKey.publicKey) });
  await service.register(admin, 'globex-crm', { customerId: 'GLOBEX', publicKey: await exportJWK(rsaKey.publicKey) });
});
afterAll(() => db.destroy());
beforeEach(() => {
  refusals = [];
  authorize = authorizer(parts());
});

/** The request as API Gateway hands it to the authorizer: the Authorization header is its identity source. */
const event = (authorization: string): AuthorizerEvent =>
  ({
    version: '2.0',
    type: 'REQUEST',
    routeArn: 'arn:aws:execute-api:eu-north-1:123456789012:abc/$default/GET/tickets',
    identitySource: [authorization],
    routeKey: 'GET /tickets',
    rawPath: '/tickets',
    rawQueryString: '',
    cookies: [],
    headers: { authorization },
    requestContext: { requestId: 'r1', http: { method: 'GET', path: '/tickets' } },
  }) as unknown as AuthorizerEvent;

const bearer = (token: string) => authorize(event(`Bearer ${token}`));
const seconds = () => Math.floor(now / 1000);

/** A person's access token as the user pool issues it, after the trigger. */
function accessToken(claims: JWTPayload, options: { key?: CryptoKey; issuer?: string; lifetime?: number } = {}) {
  return new SignJWT({ token_use: 'access', client_id: PEOPLE_CLIENT, scope: 'aws.cognito.signin.user.admin sla-desk/agent', 'cognito:groups': ['agents'], ...claims })
    .setProtectedHeader({ alg: 'RS256', kid: 'pool-key' })
    .setIssuer(options.issuer ?? ISSUER)
    .setSubject('person-1')
    .setIssuedAt(seconds())
    .setExpirationTime(seconds() + (options.lifetime ?? 3600))
    .sign(options.key ?? pool.privateKey);
}

const erp = (over: { lifetimeSeconds?: number; audience?: string; integrationId?: string } = {}) =>
  signAssertion(erpKey.privateKey, { integrationId: 'acme-erp', audience: AUDIENCE, algorithm: 'ES256', now, ...over });

describe('people: Cognito access tokens of the people client', () => {
  it('lets an agent through, with who they are as the context', async () => {
    expect(await bearer(await accessToken({}))).toEqual({ isAuthorized: true, context: { subject: 'person-1', role: 'agent' } });
  });

  it("names a customer's user's customer", async () => {
    const token = await accessToken({ 'cognito:groups': undefined, customer_id: 'ACME', scope: 'sla-desk/customer' });
    expect(await bearer(token)).toEqual({ isAuthorized: true, context: { subject: 'person-1', role: 'customer', customerId: 'ACME' } });
  });

  it.each<[string, () => Promise<string>, RegExp]>([
    ['of another app client', () => accessToken({ client_id: 'someone-else' }), /another app client/],
    ['an ID token', () => accessToken({ token_use: 'id', client_id: undefined, aud: PEOPLE_CLIENT }), /not an access token/],
    ['without an API scope', () => accessToken({ scope: 'aws.cognito.signin.user.admin openid' }), /none of the scopes/],
    ['of a person with no role', () => accessToken({ 'cognito:groups': undefined, scope: 'sla-desk/customer' }), /no sla-desk role/],
    ['expired', () => accessToken({}, { lifetime: -60 }), /exp/],
    ['signed with another key', async () => accessToken({}, { key: (await generateKeyPair('RS256')).privateKey }), /signature/],
    ['of another pool', () => accessToken({}, { issuer: 'https://cognito-idp.eu-north-1.amazonaws.com/eu-north-1_Other' }), /iss|no integration|kid/],
  ])('refuses a token %s', async (_, make, reason) => {
    expect(await bearer(await make())).toEqual({ isAuthorized: false });
    expect(refusals).toEqual([expect.stringMatching(reason)]);
  });

  it("records the person's name and email from the token, once while they stay the same, and lets them through when the record cannot be written", async () => {
    const people = new DynamoPersonStore(db, tableName);
    let writes = 0;
    const counted = {
      remember: (person: Person) => {
        writes++;
        return people.remember(person);
      },
    };
    const authorizeRecording = authorizer({ ...parts(), records: counted });
    const token = await accessToken({ name: 'Ada Lovelace', email: 'Ada@Provider.example' });
    for (let i = 0; i < 3; i++) expect(await authorizeRecording(event(`Bearer ${token}`))).toMatchObject({ isAuthorized: true });
    expect(writes).toBe(1);
    expect((await people.people(['person-1'])).get('person-1')).toMatchObject({ name: 'Ada Lovelace', email: 'ada@provider.example', role: 'agent' });

    const failing = authorizer({ ...parts(), records: { remember: () => Promise.reject(new Error('throttled')) } });
    expect(await failing(event(`Bearer ${token}`))).toEqual({ isAuthorized: true, context: { subject: 'person-1', role: 'agent' } });
  });

  it("refuses an erased person's token, signed and unexpired as it is, once their record has been read again (at most INTEGRATION_CACHE_SECONDS later)", async () => {
    const people = new DynamoPersonStore(db, tableName);
    const personal = new DynamoPersonalData(db, tableName);
    let reads = 0;
    const store = {
      people: (subjects: readonly string[]) => {
        reads++;
        return people.people(subjects);
      },
    };
    const guarded = authorizer({ ...parts(), records: people, erased: { store, cacheSeconds: INTEGRATION_CACHE_SECONDS } });
    const token = await new SignJWT({ token_use: 'access', client_id: PEOPLE_CLIENT, scope: 'sla-desk/customer', customer_id: 'ACME' })
      .setProtectedHeader({ alg: 'RS256', kid: 'pool-key' })
      .setIssuer(ISSUER)
      .setSubject('erased-1')
      .setIssuedAt(seconds())
      .setExpirationTime(seconds() + 3600)
      .sign(pool.privateKey);
    const call = () => guarded(event(`Bearer ${token}`));
    expect(await call()).toMatchObject({ isAuthorized: true });
    expect(await call()).toMatchObject({ isAuthorized: true });
    // One read while the answer is fresh.
    expect(reads).toBe(1);
    await personal.empty({ subject: 'erased-1', type: 'person.erased', at: now, by: 'admin-1', reason: 'Erasure request' });
    now += (INTEGRATION_CACHE_SECONDS - 1) * 1000;
    expect(await call()).toMatchObject({ isAuthorized: true });
    now += 1000;
    expect(await call()).toEqual({ isAuthorized: false });
    expect(refusals).toEqual(['the person was erased']);
    expect(() => authorizer({ ...parts(), erased: { store, cacheSeconds: INTEGRATION_CACHE_SECONDS + 1 } })).toThrow(/at most 30 s/);
  });

  it('refuses what is no bearer token, or no JWT', async () => {
    expect(await authorize(event('Basic YWxpY2U6c2VjcmV0'))).toEqual({ isAuthorized: false });
    expect(await bearer('not-a-jwt')).toEqual({ isAuthorized: false });
    expect(refusals).toEqual(['the Authorization scheme is not Bearer', 'not a JWT']);
  });
});

describe('integrations: assertions signed with the registered key', () => {
  it("lets ACME's system through as a customer of ACME (ES256), and GLOBEX's (RS256)", async () => {
    expect(await bearer(await erp())).toEqual({ isAuthorized: true, context: { subject: 'integration:acme-erp', role: 'customer', customerId: 'ACME' } });
    const crm = await signAssertion(rsaKey.privateKey, { integrationId: 'globex-crm', audience: AUDIENCE, algorithm: 'RS256', now });
    expect(await bearer(crm)).toEqual({ isAuthorized: true, context: { subject: 'integration:globex-crm', role: 'customer', customerId: 'GLOBEX' } });
  });

  it.each<[string, () => Promise<string>, RegExp]>([
    [
      'of an integration nobody registered (unknown kid)',
      () => signAssertion(erpKey.privateKey, { integrationId: 'nobody-here', audience: AUDIENCE, algorithm: 'ES256', now }),
      /no integration nobody-here/,
    ],
    // Past its exp by more than the 30 s clocks may disagree.
    [
      'expired',
      () =>
        erp({ lifetimeSeconds: 60 }).then(async (token) => {
          now += 91_000;
          return token;
        }),
      /exp/,
    ],
    [`living longer than ${MAX_ASSERTION_LIFETIME_SECONDS} s`, () => erp({ lifetimeSeconds: MAX_ASSERTION_LIFETIME_SECONDS + 1 }), /at most 300 s/],
    ['for another audience (another stage)', () => erp({ audience: integrationAudience('prod') }), /aud/],
    ['signed with a key not registered for it', () => signAssertion(rsaKey.privateKey, { integrationId: 'acme-erp', audience: AUDIENCE, algorithm: 'RS256', now }), /signs with ES256/],
    [
      'signed with another key of the same kind',
      async () => signAssertion((await generateKeyPair('ES256')).privateKey, { integrationId: 'acme-erp', audience: AUDIENCE, algorithm: 'ES256', now }),
      /signature/,
    ],
    [
      'whose issuer is not its kid',
      () =>
        new SignJWT({})
          .setProtectedHeader({ alg: 'ES256', kid: 'acme-erp' })
          .setIssuer('globex-crm')
          .setSubject('acme-erp')
          .setAudience(AUDIENCE)
          .setIssuedAt(seconds())
          .setExpirationTime(seconds() + 60)
          .sign(erpKey.privateKey),
      /iss and sub/,
    ],
    [
      'issued in the future',
      () =>
        new SignJWT({})
          .setProtectedHeader({ alg: 'ES256', kid: 'acme-erp' })
          .setIssuer('acme-erp')
          .setSubject('acme-erp')
          .setAudience(AUDIENCE)
          .setIssuedAt(seconds() + 120)
          .setExpirationTime(seconds() + 180)
          .sign(erpKey.privateKey),
      /future/,
    ],
  ])('refuses an assertion %s', async (_, make, reason) => {
    const token = await make();
    expect(await bearer(token)).toEqual({ isAuthorized: false });
    expect(refusals).toEqual([expect.stringMatching(reason)]);
  });

  it(`refuses a revoked integration once its cached record is ${INTEGRATION_CACHE_SECONDS} s old, and at once without a cache`, async () => {
    const key = await generateKeyPair('ES256', { extractable: true });
    await service.register(admin, 'acme-backup', { customerId: 'ACME', publicKey: await exportJWK(key.publicKey) });
    const assertion = () => signAssertion(key.privateKey, { integrationId: 'acme-backup', audience: AUDIENCE, algorithm: 'ES256', now });
    const uncached = authorizer(parts({ cacheSeconds: 0 }));
    const read = now;
    expect((await bearer(await assertion())).isAuthorized).toBe(true);

    now += 1_000;
    await service.revoke(admin, 'acme-backup');
    expect(await uncached(event(`Bearer ${await assertion()}`))).toEqual({ isAuthorized: false });
    // The warm authorizer still has the record it read: until it is 30 s old.
    now = read + INTEGRATION_CACHE_SECONDS * 1000 - 1;
    expect((await bearer(await assertion())).isAuthorized).toBe(true);
    now = read + INTEGRATION_CACHE_SECONDS * 1000;
    expect(await bearer(await assertion())).toEqual({ isAuthorized: false });
    expect(refusals.at(-1)).toBe('integration acme-backup is revoked');
    // API Gateway may reuse the last "yes" for 30 s more: refused everywhere within a minute.
    expect(REVOCATION_EFFECTIVE_WITHIN_SECONDS).toBe(60);
  });

  it('reads a record once per cache period, not once per request', async () => {
    let reads = 0;
    const counting = authorizer({
      ...parts(),
      integrations: {
        audience: AUDIENCE,
        cacheSeconds: INTEGRATION_CACHE_SECONDS,
        store: {
          getIntegration: (id) => {
            reads += 1;
            return integrations.getIntegration(id);
          },
        },
      },
    });
    for (let i = 0; i < 5; i += 1) expect((await counting(event(`Bearer ${await erp()}`))).isAuthorized).toBe(true);
    expect(reads).toBe(1);
  });

  it('fails, rather than refuses, when the table does not answer (API Gateway answers 500 and caches nothing)', async () => {
    const broken = authorizer({ ...parts(), integrations: { audience: AUDIENCE, cacheSeconds: 0, store: { getIntegration: () => Promise.reject(new Error('table unavailable')) } } });
    await expect(broken(event(`Bearer ${await erp()}`))).rejects.toThrow('table unavailable');
  });

  it('keeps a record at most 30 s: a longer cache is refused at start, so revocation stays within a minute', () => {
    expect(() => authorizer(parts({ cacheSeconds: INTEGRATION_CACHE_SECONDS + 1 }))).toThrow(/at most 30 s/);
  });
});
