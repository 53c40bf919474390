import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { issueToken, signingKey } from '../../bin/local/local-tokens';
import { startLocalStack } from '../../bin/local/stack';
import { aTicket } from '../support/test-stack';

describe('the local stack keeps its data on disk', () => {
  it('a restart keeps tickets, ticket numbers and the signing key', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'sla-desk-restart-'));
    const post = async (url: string, token: string) =>
      (await fetch(`${url}/tickets`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(aTicket()) })).json() as Promise<{ id: string }>;

    const first = await startLocalStack({ dataDir, port: 0 });
    const token = await issueToken(await signingKey(dataDir), { role: 'customer', customerId: 'ACME' });
    const before = await post(first.url, token);
    await first.stop();

    const second = await startLocalStack({ dataDir, port: 0 });
    try {
      const seen = await fetch(`${second.url}/tickets/${before.id}`, { headers: { authorization: `Bearer ${token}` } });
      expect(seen.status).toBe(200);
      expect((await post(second.url, token)).id).toBe('ACME-2');
    } finally {
      await second.stop();
    }
  }, 120_000);
});
