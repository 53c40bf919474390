import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueToken, LOCAL_ISSUER, LOCAL_WEB_CLIENT, signingKey } from '../../bin/local/local-tokens';
import { ROUTES } from '../../functions/handlers/http/routes';
import { startTestStack, type TestStack } from '../support/test-stack';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack.stop());

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('tokens are verified the way the JWT authorizer does', () => {
  it.each<[string, () => Promise<string | undefined>]>([
    ['missing', async () => undefined],
    ['expired', async () => issueToken(await signingKey(stack.dataDir), { role: 'agent', expiresIn: '-1m' as string })],
    [
      'tampered',
      async () => {
        const token = await stack.token('customer', 'ACME');
        const [header, , signature] = token.split('.');
        return `${header}.${b64({ iss: LOCAL_ISSUER, aud: LOCAL_WEB_CLIENT, sub: 'x', 'cognito:groups': ['admins'], exp: 9_999_999_999 })}.${signature}`;
      },
    ],
    ['alg none', async () => `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ iss: LOCAL_ISSUER, aud: LOCAL_WEB_CLIENT, sub: 'x', 'cognito:groups': ['admins'] })}.`],
    [
      'signed by another key',
      async () => {
        const { privateKey } = await import('jose').then((j) => j.generateKeyPair('ES256'));
        return new SignJWT({ 'cognito:groups': ['admins'] }).setProtectedHeader({ alg: 'ES256' }).setIssuer(LOCAL_ISSUER).setAudience(LOCAL_WEB_CLIENT).setSubject('x').setExpirationTime('1h').sign(privateKey);
      },
    ],
    [
      'for another audience',
      async () => {
        const key = await signingKey(stack.dataDir);
        return new SignJWT({ 'cognito:groups': ['admins'] }).setProtectedHeader({ alg: 'ES256' }).setIssuer(LOCAL_ISSUER).setAudience('someone-else').setSubject('x').setExpirationTime('1h').sign(key.privateKey);
      },
    ],
  ])('%s → 401 problem', async (_, make) => {
    const token = await make();
    for (const [method, path] of [['GET', '/tickets'], ['POST', '/tickets'], ['GET', '/tickets/ACME-1']] as const) {
      const { status, body, headers } = await stack.call(method, path, { ...(token ? { token } : {}), ...(method === 'POST' ? { body: {} } : {}) });
      expect(status).toBe(401);
      expect(headers.get('content-type')).toBe('application/problem+json');
      expect(body.status).toBe(401);
    }
  });

  it('an ID token, or any token without an API scope, is refused as the authorizer refuses it: 403, on every authenticated route', async () => {
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
        expect([route.id, status, body.type]).toEqual([route.id, 403, '/problems/insufficient-scope']);
      }
    }
  });

  it('a valid token without any role is 403', async () => {
    const key = await signingKey(stack.dataDir);
    const token = await new SignJWT({}).setProtectedHeader({ alg: 'ES256' }).setIssuer(LOCAL_ISSUER).setAudience(LOCAL_WEB_CLIENT).setSubject('nobody').setExpirationTime('1h').sign(key.privateKey);
    expect((await stack.call('GET', '/tickets', { token })).status).toBe(403);
  });
});
