import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
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

  it("names the person: the role's local person unless --name and --email say otherwise", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'sla-desk-key-'));
    await signingKey(dataDir);
    const claims = async (...args: string[]) => {
      const { code, stdout, stderr } = await run(dataDir, ...args);
      expect(stderr).toBe('');
      expect(code).toBe(0);
      return decodeJwt(stdout.trim().split('\n').at(-1)!);
    };
    expect(await claims('--role', 'agent')).toMatchObject({ sub: 'local-agent', name: 'Ada Agent', email: 'ada.agent@sla-desk.local' });
    expect(await claims('--role', 'customer', '--customer', 'GLOBEX')).toMatchObject({ sub: 'local-customer-globex', name: 'Gus at GLOBEX', email: 'gus@globex.example' });
    expect(await claims('--role', 'customer', '--customer', 'INITECH')).toMatchObject({ name: 'Casey at INITECH', email: 'casey@initech.example' });
    expect(await claims('--role', 'finance', '--name', ' Bea Hansen ', '--email', 'bea@provider.example')).toMatchObject({
      sub: 'local-finance',
      name: 'Bea Hansen',
      email: 'bea@provider.example',
      scope: 'aws.cognito.signin.user.admin sla-desk/finance',
    });
    // No name at all, as an account onboarded without one: the API names them by email, or role.
    const unnamed = await claims('--role', 'admin', '--name', '');
    expect(unnamed).not.toHaveProperty('name');
    expect(unnamed).toMatchObject({ email: 'alan.admin@sla-desk.local' });
  });

  it("loads jose and none of the Lambda functions' libraries (zod, Powertools, the AWS SDK) to sign a token", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'sla-desk-key-'));
    await signingKey(dataDir);
    // A module hook, after tsx's, that says every module the command resolves.
    await writeFile(join(dataDir, 'hook.mjs'), 'export async function resolve(s, c, next) { const r = await next(s, c); process.stderr.write("resolved " + r.url + "\\n"); return r; }');
    await writeFile(join(dataDir, 'register.mjs'), "import { register } from 'node:module'; register('./hook.mjs', import.meta.url);");
    const { stdout, stderr } = await promisify(execFile)('node', ['--import', 'tsx', '--import', join(dataDir, 'register.mjs'), 'bin/sla-desk.ts', 'token', '--role', 'agent'], {
      env: { ...process.env, DATA_DIR: dataDir },
    });
    expect(decodeJwt(stdout.trim())).toMatchObject({ sub: 'local-agent', scope: 'aws.cognito.signin.user.admin sla-desk/agent' });
    const packages = new Set([...stderr.matchAll(/^resolved .*\/node_modules\/((?:@[^/]+\/)?[^/]+)\//gm)].map((m) => m[1]));
    expect([...packages]).toEqual(['jose']);
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
    [['--integration', 'acme-erp', '--private-key', 'k.pem', '--role', 'admin'], /--integration takes no --role, --customer, --name or --email/],
    [['--integration', 'acme-erp', '--private-key', 'k.pem', '--expires-in', '10m'], /at most 5m/],
    [['--integration', 'acme-erp', '--private-key', '/nonexistent.pem'], /--private-key \/nonexistent\.pem: no such file/],
    [['--machine', '--audience', 'urn:sla-desk:prod'], /--machine takes no --audience/],
    [['--machine', '--name', 'Bea'], /--machine takes no --name/],
    [['--integration', 'acme-erp', '--private-key', 'k.pem', '--email', 'erp@acme.example'], /--integration takes no --role, --customer, --name or --email/],
    [['--role', 'agent', '--email', 'bea'], /--email bea is no email address/],
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
