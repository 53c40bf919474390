import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { type DynamoDbLocal, ENGINE_PID_FILE, ensureTable, startDynamoDbLocal } from '../../bin/local/dynamodb-local';
import { createDocumentClient } from '#adapters/dynamodb/client';

const TABLE = 'sla-desk';
const started: DynamoDbLocal[] = [];
const dirs: string[] = [];
afterAll(async () => {
  for (const engine of started) await engine.stop();
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

async function engineOn(dataDir: string, options: { stopTimeoutMs?: number; log?: (line: string) => void } = {}) {
  const engine = await startDynamoDbLocal({ dataDir, ...options });
  started.push(engine);
  return engine;
}

/** A process id that no longer runs: the stack that was killed. */
const deadPid = () => spawnSync(process.execPath, ['-e', '']).pid!;

describe('DynamoDB Local is always stopped with SIGTERM', () => {
  it('an engine left by a killed stack is stopped with SIGTERM, and the next one starts on the same files with every acknowledged write', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'sla-desk-engine-'));
    dirs.push(dataDir);
    const orphan = await engineOn(dataDir);
    await ensureTable(orphan.endpoint, TABLE);
    const db = createDocumentClient({ endpoint: orphan.endpoint });
    const item = (n: number) => ({ PK: `TICKET#ACME-${n}`, SK: 'TICKET', title: `written just before the crash ${n}` });
    // The last acknowledged transactions before the crash: what a SIGKILL could lose.
    for (let n = 1; n <= 20; n++)
      await db.send(new TransactWriteCommand({ TransactItems: [{ Put: { TableName: TABLE, Item: item(n) } }, { Put: { TableName: TABLE, Item: { PK: `TICKET#ACME-${n}`, SK: 'EVENT#1' } } }] }));
    db.destroy();
    // The stack that started it dies without stopping it: the pid file names an owner that is gone.
    const pidFile = join(dataDir, ENGINE_PID_FILE);
    const record = JSON.parse(await readFile(pidFile, 'utf8')) as { pid: number; owner: number; port: number };
    expect(record).toMatchObject({ pid: orphan.pid, owner: process.pid });
    await writeFile(pidFile, JSON.stringify({ ...record, owner: deadPid() }));

    const logs: string[] = [];
    const next = await engineOn(dataDir, { log: (line) => logs.push(line) });
    // The JVM ran its shutdown on SIGTERM and exited by itself (143 = 128 + SIGTERM); it was not killed.
    expect(await orphan.exit).toEqual({ code: 143, signal: null });
    expect(logs).toEqual([`DynamoDB Local (pid ${orphan.pid}) was left running by a stack that stopped without it; stopping it with SIGTERM`]);

    const reader = createDocumentClient({ endpoint: next.endpoint });
    try {
      for (let n = 1; n <= 20; n++) expect((await reader.send(new GetCommand({ TableName: TABLE, Key: { PK: `TICKET#ACME-${n}`, SK: 'TICKET' }, ConsistentRead: true }))).Item).toEqual(item(n));
    } finally {
      reader.destroy();
    }

    // An engine whose stack still runs is not an orphan: a second stack on the same data is refused.
    await expect(startDynamoDbLocal({ dataDir })).rejects.toThrow(`the data directory is in use by a running sla-desk (DynamoDB Local pid ${next.pid})`);
    await next.stop();
    expect(await next.exit).toEqual({ code: 143, signal: null });
  }, 120_000);

  it('an engine that does not stop on SIGTERM is killed only after the timeout, with a warning', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'sla-desk-engine-'));
    dirs.push(dataDir);
    const logs: string[] = [];
    const engine = await engineOn(dataDir, { stopTimeoutMs: 1_000, log: (line) => logs.push(line) });
    // Stopped, it cannot act on SIGTERM.
    process.kill(engine.pid, 'SIGSTOP');
    await engine.stop();
    expect(await engine.exit).toEqual({ code: null, signal: 'SIGKILL' });
    expect(logs).toEqual([`warning: DynamoDB Local (pid ${engine.pid}) did not stop within 1 s of SIGTERM; killing it (its last writes may be lost)`]);
  }, 60_000);
});
