import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt, decodeProtectedHeader, importSPKI, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { demoIntegrationKey, LOCAL_AUDIENCE, signingKey } from '../../bin/local/local-tokens';
import { runCli } from '../support/cli';

const run = (dataDir: string, ...args: string[]) => runCli(['token', ...args], { ...process.env, DATA_DIR: dataDir });

describe('sla-desk token', () => {
  it('refuses, naming DATA_DIR, where no stack has made its signing key, and makes none', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'sla-desk-nokey-'));
    const { code, stdout, stderr } = await run(empty, '--role', 'agent');
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(new RegExp(`no signing key under DATA_DIR=${empty}.*npm start`));
    expect((await run(empty, '--role', 'agent')).code).toBe(2);
  });

  it("signs with the stack's key: an access token with the role's scope", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'sla-desk-key-'));
    await signingKey(dataDir);
    const { code, stdout } = await run(dataDir, '--role', 'customer', '--customer', 'ACME');
    expect(code).toBe(0);
    expect(decodeJwt(stdout.trim().split('\n').at(-1)!)).toMatchObject({ token_use: 'access', customer_id: 'ACME', scope: 'aws.cognito.signin.user.admin sla-desk/customer' });
  });

  it("signs a customer system's assertion with its private key (PEM or JWK), valid at most 5 minutes, for the audience given", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sla-desk-key-'));
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    await writeFile(join(dir, 'rsa.pem'), rsa.privateKey.export({ format: 'pem', type: 'pkcs8' }));
    const { code, stdout } = await run(dir, '--integration', 'acme-erp', '--private-key', join(dir, 'rsa.pem'), '--audience', 'urn:sla-desk:prod', '--expires-in', '90s');
    expect(code).toBe(0);
    const assertion = stdout.trim().split('\n').at(-1)!;
    expect(decodeProtectedHeader(assertion)).toMatchObject({ alg: 'RS256', kid: 'acme-erp' });
    const { payload } = await jwtVerify(assertion, await importSPKI(rsa.publicKey.export({ format: 'pem', type: 'spki' }) as string, 'RS256'), {
      audience: 'urn:sla-desk:prod',
      issuer: 'acme-erp',
      subject: 'acme-erp',
    });
    expect(payload.exp! - payload.iat!).toBe(90);

    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    await writeFile(join(dir, 'ec.jwk'), JSON.stringify(ec.privateKey.export({ format: 'jwk' })));
    const local = decodeJwt((await run(dir, '--integration', 'acme-erp', '--private-key', join(dir, 'ec.jwk'))).stdout.trim().split('\n').at(-1)!);
    expect(local).toMatchObject({ aud: LOCAL_AUDIENCE, iss: 'acme-erp' });
    expect(local.exp! - local.iat!).toBe(300);
  });

  it("--machine signs for the local stack's demo integration (customer DEMO), with its key under DATA_DIR", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'sla-desk-key-'));
    expect((await run(dataDir, '--machine')).stderr).toMatch(/no signing key under DATA_DIR/);
    await demoIntegrationKey(dataDir);
    const assertion = (await run(dataDir, '--machine')).stdout.trim().split('\n').at(-1)!;
    expect(decodeProtectedHeader(assertion)).toMatchObject({ alg: 'ES256', kid: 'local-demo' });
    expect(decodeJwt(assertion)).toMatchObject({ iss: 'local-demo', sub: 'local-demo', aud: LOCAL_AUDIENCE });
  });

  it.each<[string[], RegExp]>([
    [['--integration', 'acme-erp'], /--private-key is required with --integration/],
    [['--private-key', 'k.pem'], /--integration is required/],
    [['--integration', 'acme-erp', '--private-key', 'k.pem', '--role', 'admin'], /--integration takes no --role or --customer/],
    [['--integration', 'acme-erp', '--private-key', 'k.pem', '--expires-in', '10m'], /at most 5m/],
    [['--integration', 'acme-erp', '--private-key', '/nonexistent.pem'], /--private-key \/nonexistent\.pem: no such file/],
    [['--machine', '--audience', 'urn:sla-desk:prod'], /--machine takes no --audience/],
    [['--role', 'customer'], /--customer is required for customers: their customer id, e\.g\. ACME/],
    [['--role', 'customer', '--customer', 'acme'], /^sla-desk: customer ids are upper case: --customer ACME, not acme$/m],
    [['--role', 'customer', '--customer', 'Acme-1'], /--customer Acme-1 is no customer id: 2–16 capitals and digits/],
    [['--role', 'agent', '--customer', 'ACME'], /--customer is only for the customer role/],
  ])('refuses %j with exit 2', async (args, message) => {
    const { code, stderr } = await run(tmpdir(), ...args);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });
});
