import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { issueToken, signingKey } from '../../bin/local/local-tokens';
import { startLocalStack } from '../../bin/local/stack';
import { aTicket } from '../support/test-stack';

/** Only what these tests look at: no console build, no probe, no monthly report (whose ready notices would join the outbox). */
const QUIET = { console: false, probe: false, monthlyReports: false } as const;

describe('the local stack keeps its data on disk', () => {
  it('timers that came due while the stack was down fire on start', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'sla-desk-timers-'));
    const first = await startLocalStack({ ...QUIET, dataDir, port: 0, clockStart: Date.parse('2026-06-04T15:30:00+02:00'), clockFrozen: true });
    const token = await issueToken(await signingKey(dataDir), { role: 'customer', customerId: 'ACME' });
    const created = await fetch(`${first.url}/tickets`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(aTicket({ priority: 'highest' })),
    });
    expect(created.status).toBe(201);
    await first.stop();

    const second = await startLocalStack({ ...QUIET, dataDir, port: 0, clockStart: Date.parse('2026-06-08T09:00:00+02:00'), clockFrozen: true });
    try {
      const lines = (await readFile(join(dataDir, 'outbox.jsonl'), 'utf8'))
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { kind: string; channel: string });
      const alerts = lines.filter((l) => !l.kind.startsWith('ticket-'));
      expect(alerts.map((l) => `${l.kind}/${l.channel}`).sort()).toEqual(['breach/email', 'breach/sns']);
    } finally {
      await second.stop();
    }
  }, 120_000);

  it('a restart keeps tickets, ticket numbers and the signing key', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'sla-desk-restart-'));
    const post = async (url: string, token: string) =>
      (await fetch(`${url}/tickets`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(aTicket()) })).json() as Promise<{
        id: string;
      }>;

    const first = await startLocalStack({ ...QUIET, dataDir, port: 0 });
    const token = await issueToken(await signingKey(dataDir), { role: 'customer', customerId: 'ACME' });
    const before = await post(first.url, token);
    await first.stop();

    const second = await startLocalStack({ ...QUIET, dataDir, port: 0 });
    try {
      const seen = await fetch(`${second.url}/tickets/${before.id}`, { headers: { authorization: `Bearer ${token}` } });
      expect(seen.status).toBe(200);
      expect((await post(second.url, token)).id).toBe('ACME-2');
    } finally {
      await second.stop();
    }
  }, 120_000);
});
