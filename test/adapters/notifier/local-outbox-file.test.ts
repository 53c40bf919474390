import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalOutboxFile } from '#adapters/notifier/local-outbox-file';
import { AddressedSender } from '#adapters/notifier/addressed-sender';
import { breachEmail, breachSns } from './fixtures';

let dir: string;
const at = Date.parse('2026-06-08T06:31:00.000Z');

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sla-outbox-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const lines = async (path: string) => (await readFile(path, 'utf8')).split('\n');

describe('local outbox file', () => {
  it('appends one JSON line per message with the exact keys, creating the directory', async () => {
    const path = join(dir, 'data', 'outbox.jsonl');
    const logged: string[] = [];
    const outbox = new LocalOutboxFile(
      path,
      (line) => logged.push(line),
      () => at,
    );
    await outbox.send(breachEmail);
    await outbox.send(breachSns);

    const raw = await lines(path);
    expect(raw).toHaveLength(3);
    expect(raw[2]).toBe('');
    const [email, sns] = raw.slice(0, 2).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(Object.keys(email!)).toEqual(['channel', 'kind', 'id', 'ticketId', 'customerId', 'priority', 'hypercare', 'recipients', 'subject', 'body', 'sentAt']);
    expect(email).toEqual({
      channel: 'email',
      kind: 'breach',
      id: 'ACME-42:breach:email',
      ticketId: 'ACME-42',
      customerId: 'ACME',
      priority: 'highest',
      hypercare: true,
      recipients: ['oncall@example.com', 'ops@example.com'],
      subject: breachEmail.subject,
      body: breachEmail.body,
      sentAt: '2026-06-08T06:31:00.000Z',
    });
    expect(Object.keys(sns!)).toEqual(['channel', 'kind', 'id', 'ticketId', 'customerId', 'priority', 'hypercare', 'subject', 'body', 'sentAt']);
    expect(sns).toMatchObject({ channel: 'sns', id: 'ACME-42:breach:sns', sentAt: '2026-06-08T06:31:00.000Z' });

    expect(logged).toEqual([`[email] breach ACME-42 → …@example.com, …@example.com: ${breachEmail.subject}`, `[sns] breach ACME-42 → topic: ${breachSns.subject}`]);
  });

  it("carries a ticket's Reply-To and every email's Message-ID, made from the message's id", async () => {
    const path = join(dir, 'outbox.jsonl');
    const outbox = new LocalOutboxFile(
      path,
      () => {},
      () => at,
    );
    const mac = () => new Uint8Array(10);
    await new AddressedSender(outbox, { domain: 'inbound.sla-desk.local', inbound: { mac, addresses: { domain: 'inbound.sla-desk.local' } } }).send(breachEmail);
    await new AddressedSender(outbox, { domain: 'sla-desk.local' }).send(breachSns);
    const [email, sns] = (await lines(path)).slice(0, 2).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(Object.keys(email!)).toEqual(['channel', 'kind', 'id', 'ticketId', 'customerId', 'priority', 'hypercare', 'recipients', 'replyTo', 'messageId', 'subject', 'body', 'sentAt']);
    expect(email).toMatchObject({ replyTo: 'support+ACME-42.aaaaaaaaaaaaaaaa@inbound.sla-desk.local', messageId: 'acme-42.breach.email@inbound.sla-desk.local' });
    // SNS has no reply and no Message-ID.
    expect(Object.keys(sns!)).not.toContain('messageId');
  });

  it('keeps 20 concurrent sends as 20 intact lines', async () => {
    const path = join(dir, 'outbox.jsonl');
    const outbox = new LocalOutboxFile(
      path,
      () => {},
      () => at,
    );
    const big = 'x'.repeat(20_000);
    await Promise.all(Array.from({ length: 20 }, (_, i) => outbox.send({ ...breachEmail, id: `ACME-${i}:breach:email`, about: { type: 'ticket', id: `ACME-${i}` }, body: `${i} ${big}` })));
    const raw = (await lines(path)).filter((l) => l !== '');
    expect(raw).toHaveLength(20);
    const ids = raw.map((l) => (JSON.parse(l) as { id: string; body: string }).id);
    expect(new Set(ids).size).toBe(20);
    expect([...ids].sort()).toEqual(Array.from({ length: 20 }, (_, i) => `ACME-${i}:breach:email`).sort());
  });

  it('keeps lines intact when two instances share the file', async () => {
    const path = join(dir, 'outbox.jsonl');
    const a = new LocalOutboxFile(
      path,
      () => {},
      () => at,
    );
    const b = new LocalOutboxFile(
      path,
      () => {},
      () => at,
    );
    await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).send({ ...breachSns, id: `S-${i}` })));
    const raw = (await lines(path)).filter((l) => l !== '');
    expect(raw.map((l) => (JSON.parse(l) as { id: string }).id).sort()).toEqual(Array.from({ length: 20 }, (_, i) => `S-${i}`).sort());
  });

  it('refuses an email without recipients, like SES', async () => {
    const path = join(dir, 'outbox.jsonl');
    const outbox = new LocalOutboxFile(
      path,
      () => {},
      () => at,
    );
    await expect(outbox.send({ ...breachEmail, recipients: [] })).rejects.toThrow(/no recipients/);
    await expect(readFile(path, 'utf8')).rejects.toThrow();
  });

  it('rejects when the file cannot be written, and keeps working afterwards', async () => {
    const outbox = new LocalOutboxFile(
      dir,
      () => {},
      () => at,
    );
    await expect(outbox.send(breachSns)).rejects.toThrow();
    const ok = new LocalOutboxFile(
      join(dir, 'outbox.jsonl'),
      () => {},
      () => at,
    );
    await ok.send(breachSns);
    expect((await lines(join(dir, 'outbox.jsonl'))).filter(Boolean)).toHaveLength(1);
  });
});
