import { generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoIntegrationKey, issueToken, LOCAL_DEMO_INTEGRATION, LOCAL_ISSUER, LOCAL_WEB_CLIENT, signingKey } from '../../bin/local/local-tokens';
import { createDocumentClient } from '#adapters/dynamodb/client';
import { DynamoIntegrationStore } from '#adapters/dynamodb/dynamo-integration-store';
import { integrationAudience, signAssertion } from '#handlers/auth/integration-assertions';
import { ROUTES } from '#handlers/http/routes';
import { aTicket, startTestStack, type TestStack } from '../support/test-stack';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack.stop());

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/*
 * Every authenticated route has the Lambda authorizer, and the twin runs the
 * same one as API Gateway does: no Authorization header is API Gateway's own
 * 401 (its identity source is missing, the authorizer is not asked); a token
 * the authorizer refuses is API Gateway's 403 (a simple response's
 * isAuthorized false), whatever the reason. (With the JWT authorizer an
 * invalid token was 401; a refused one is 403 now, on AWS and here alike.)
 */
describe('the authorizer: who may call', () => {
  it('no token → 401 problem, before any authorizer is asked', async () => {
    for (const [method, path] of [
      ['GET', '/tickets'],
      ['POST', '/tickets'],
      ['GET', '/tickets/ACME-1'],
    ] as const) {
      const { status, body, headers } = await stack.call(method, path, method === 'POST' ? { body: {} } : {});
      expect(status).toBe(401);
      expect(headers.get('content-type')).toBe('application/problem+json');
      expect(body).toMatchObject({ status: 401, type: '/problems/unauthorized' });
    }
  });

  it.each<[string, () => Promise<string>]>([
    ['expired', async () => issueToken(await signingKey(stack.dataDir), { role: 'agent', expiresIn: '-1m' as string })],
    [
      'tampered',
      async () => {
        const token = await stack.token('customer', 'ACME');
        const [header, , signature] = token.split('.');
        return `${header}.${b64({ iss: LOCAL_ISSUER, token_use: 'access', client_id: LOCAL_WEB_CLIENT, sub: 'x', scope: 'sla-desk/admin', 'cognito:groups': ['admins'], exp: 9_999_999_999 })}.${signature}`;
      },
    ],
    [
      'alg none',
      async () =>
        `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ iss: LOCAL_ISSUER, token_use: 'access', client_id: LOCAL_WEB_CLIENT, sub: 'x', scope: 'sla-desk/admin', 'cognito:groups': ['admins'] })}.`,
    ],
    [
      'signed by another key',
      async () => {
        const { privateKey } = await generateKeyPair('ES256');
        return new SignJWT({ token_use: 'access', client_id: LOCAL_WEB_CLIENT, scope: 'sla-desk/admin', 'cognito:groups': ['admins'] })
          .setProtectedHeader({ alg: 'ES256' })
          .setIssuer(LOCAL_ISSUER)
          .setSubject('x')
          .setExpirationTime('1h')
          .sign(privateKey);
      },
    ],
    [
      'of another app client',
      async () => {
        const key = await signingKey(stack.dataDir);
        return new SignJWT({ token_use: 'access', client_id: 'someone-else', scope: 'sla-desk/admin', 'cognito:groups': ['admins'] })
          .setProtectedHeader({ alg: 'ES256' })
          .setIssuer(LOCAL_ISSUER)
          .setSubject('x')
          .setExpirationTime('1h')
          .sign(key.privateKey);
      },
    ],
    ['not a JWT', async () => 'garbage'],
  ])('%s → 403 problem', async (_, make) => {
    const token = await make();
    for (const [method, path] of [
      ['GET', '/tickets'],
      ['POST', '/tickets'],
      ['GET', '/tickets/ACME-1'],
    ] as const) {
      const { status, body, headers } = await stack.call(method, path, { token, ...(method === 'POST' ? { body: {} } : {}) });
      expect(status).toBe(403);
      expect(headers.get('content-type')).toBe('application/problem+json');
      expect(body).toMatchObject({ status: 403, type: '/problems/token-refused' });
      // The gateway's own answer: no function ran, so no correlation id.
      expect(headers.get('x-correlation-id')).toBeNull();
    }
  });

  it('an ID token, or any token without an API scope, is refused by the authorizer: 403, on every authenticated route', async () => {
    const key = await signingKey(stack.dataDir);
    const idToken = await new SignJWT({ token_use: 'id', 'custom:customer_id': 'ACME' })
      .setProtectedHeader({ alg: 'ES256' })
      .setIssuer(LOCAL_ISSUER)
      .setAudience(LOCAL_WEB_CLIENT)
      .setSubject('u1')
      .setExpirationTime('1h')
      .sign(key.privateKey);
    // A person in no group and with no customer: the trigger gives no scope.
    const roleless = await issueToken(key, { role: 'customer' });
    for (const token of [idToken, roleless]) {
      for (const route of ROUTES.filter((r) => r.authenticated)) {
        const path = route.path.replace(/\{[^}]+\}/g, 'ACME-1');
        const { status, body } = await stack.call(route.method, path, { token, ...(route.method === 'GET' || route.method === 'DELETE' ? {} : { body: {} }) });
        expect([route.id, status, body.type]).toEqual([route.id, 403, '/problems/token-refused']);
      }
    }
  });

  it('a valid access token without any role is 403', async () => {
    const key = await signingKey(stack.dataDir);
    const token = await new SignJWT({ token_use: 'access', client_id: LOCAL_WEB_CLIENT, scope: 'sla-desk/agent' })
      .setProtectedHeader({ alg: 'ES256' })
      .setIssuer(LOCAL_ISSUER)
      .setSubject('nobody')
      .setExpirationTime('1h')
      .sign(key.privateKey);
    expect((await stack.call('GET', '/tickets', { token })).status).toBe(403);
  });

  it("the route still decides what a role may do: a customer may not change a ticket (the handler's 403)", async () => {
    const { status, body } = await stack.call('PATCH', '/tickets/ACME-1', { token: await stack.token('customer', 'ACME'), body: { status: 'closed' } });
    expect([status, body.type]).toEqual([403, '/problems/forbidden']);
  });
});

describe("an integration: a customer's system with a registered key", () => {
  it("acts as its customer, and sees no other customer's data", async () => {
    const acme = await stack.call('POST', '/tickets', { token: await stack.token('customer', 'ACME'), body: aTicket() });
    expect(acme.status).toBe(201);
    const machine = await stack.machineToken();
    const own = await stack.call('POST', '/tickets', { token: machine, body: aTicket() });
    expect([own.status, own.body.customerId]).toEqual([201, 'DEMO']);
    const events = await stack.call('GET', `/tickets/${own.body.id}/events`, { token: machine });
    expect(events.body.items[0]).toMatchObject({ type: 'ticket.opened', actor: { subject: `integration:${LOCAL_DEMO_INTEGRATION}`, role: 'customer' } });
    expect((await stack.call('GET', `/tickets/${acme.body.id}`, { token: machine })).status).toBe(404);
    expect((await stack.call('GET', '/tickets?customerId=ACME', { token: machine })).status).toBe(403);
    expect((await stack.call('GET', '/tickets', { token: machine })).body.items.map((t: { id: string }) => t.id)).toEqual([own.body.id]);
  });

  it("is refused with another stage's audience, or once revoked (at once on the twin: it caches nothing)", async () => {
    const key = await demoIntegrationKey(stack.dataDir);
    const forProd = await signAssertion(key.privateKey, { integrationId: LOCAL_DEMO_INTEGRATION, audience: integrationAudience('prod'), algorithm: 'ES256' });
    expect((await stack.call('GET', '/tickets', { token: forProd })).status).toBe(403);
    const machine = await stack.machineToken();
    expect((await stack.call('GET', '/tickets', { token: machine })).status).toBe(200);
    const db = createDocumentClient({ endpoint: stack.dynamoEndpoint });
    await new DynamoIntegrationStore(db, stack.tableName).revokeIntegration(LOCAL_DEMO_INTEGRATION, Date.now(), 'test');
    db.destroy();
    expect((await stack.call('GET', '/tickets', { token: machine })).status).toBe(403);
    expect(stack.logs.some((line) => line === `local api: refused a token: integration ${LOCAL_DEMO_INTEGRATION} is revoked`)).toBe(true);
  });
});
