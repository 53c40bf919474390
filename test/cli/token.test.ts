import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { signingKey } from '../../bin/local/local-tokens';
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
});
