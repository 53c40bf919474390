import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import autocannon from 'autocannon';
import { ensureTable } from '../bin/local/dynamodb-local';
import { createDocumentClient } from '../functions/adapters/dynamodb/client';
import { CHILD, INDEX, keys, toCommentItem, toTicketItem } from '../functions/adapters/dynamodb/table';
import type { Actor } from '../functions/domain/actor';
import { danishCalendar, danishContractCalendar } from '../functions/domain/calendar/danish-calendar';
import { openTicket } from '../functions/domain/tickets/ticket';
import { customerSession, NEW_TICKET, SESSION_CUSTOMER as CUSTOMER } from '../test/support/customer-session';
import { type StackProcess, startStackProcess } from '../test/support/stack-process';
import { drive, percentile, round2 } from './api';
import { none, progress, type Row, type Suite, type SuiteResult } from './suite';

const CONNECTIONS = 50;
/** LOAD_SECONDS shortens it for a try. */
const SECONDS = Number(process.env.LOAD_SECONDS ?? 60);
const WARM_UP_SECONDS = 5;
const RAW_TABLE = 'load-raw';

/**
 * The same session as raw DynamoDB calls through the SDK, on the same
 * engine: PutItem the ticket, GetItem it, PutItem a comment, Query the
 * customer's index, Query the comments. Items are built by the real mappers.
 */
function rawSession(endpoint: string) {
  const db = createDocumentClient({ endpoint });
  const calendar = danishCalendar();
  const actor: Actor = { subject: 'local-customer-acme', role: 'customer', customerId: CUSTOMER };
  const now = Date.now();
  const template = openTicket(`${CUSTOMER}-0`, CUSTOMER, JSON.parse(NEW_TICKET) as never, actor, now, calendar);
  const id = (i: number) => `${CUSTOMER}-${Math.floor(i / 5)}`;
  const ops = [
    (i: number) => db.send(new PutCommand({ TableName: RAW_TABLE, Item: toTicketItem({ ...template, id: id(i) }, danishContractCalendar.timeZone) })),
    (i: number) => db.send(new GetCommand({ TableName: RAW_TABLE, Key: keys.ticket(id(i)), ConsistentRead: true })),
    (i: number) =>
      db.send(new PutCommand({ TableName: RAW_TABLE, Item: toCommentItem({ ticketId: id(i), id: `c${i}`, body: 'Here is the sync log.', visibility: 'public', author: actor, createdAt: now + i }) })),
    () =>
      db.send(
        new QueryCommand({
          TableName: RAW_TABLE,
          IndexName: INDEX.byCustomer,
          KeyConditionExpression: `${INDEX.byCustomer}PK = :pk`,
          ExpressionAttributeValues: { ':pk': keys.customerTickets(CUSTOMER) },
          ScanIndexForward: false,
          Limit: 25,
        }),
      ),
    (i: number) =>
      db.send(
        new QueryCommand({
          TableName: RAW_TABLE,
          KeyConditionExpression: 'PK = :pk AND begins_with(SK, :c)',
          ExpressionAttributeValues: { ':pk': keys.ticket(id(i)).PK, ':c': CHILD.comment },
          Limit: 25,
        }),
      ),
  ];
  return { op: async (i: number) => void (await ops[i % ops.length]!(i)), close: () => db.destroy() };
}

async function run(): Promise<SuiteResult> {
  const dataDir = await mkdtemp(join(tmpdir(), 'sla-desk-bench-load-'));
  let stack: StackProcess | undefined;
  let raw: ReturnType<typeof rawSession> | undefined;
  try {
    progress('load: starting the local stack as `npm start` runs it (its own process, DynamoDB Local on disk)');
    stack = await startStackProcess({ dataDir, clock: new Date().toISOString() });
    const token = await stack.token('customer', CUSTOMER);
    const requests = customerSession(token);
    progress(`load: warming up for ${WARM_UP_SECONDS} s`);
    await autocannon({ url: stack.url, connections: CONNECTIONS, duration: WARM_UP_SECONDS, requests });
    progress(`load: ${CONNECTIONS} clients for ${SECONDS} s: create, read, comment, list, read comments`);
    const api = await autocannon({ url: stack.url, connections: CONNECTIONS, duration: SECONDS, timeout: 30, requests });
    const total = api.requests.total;

    const engine = await stack.engine();
    const endpoint = `http://127.0.0.1:${engine.port}`;
    await ensureTable(endpoint, RAW_TABLE);
    raw = rawSession(endpoint);
    progress(`load: the same ${total.toLocaleString('en')} operations as raw SDK calls on the same DynamoDB Local, ${CONNECTIONS} in flight`);
    await drive(Math.min(5_000, total), CONNECTIONS, raw.op);
    const baseline = await drive(total, CONNECTIONS, raw.op);
    const sorted = [...baseline.latencies].sort((a, b) => a - b);

    const result = {
      load: {
        connections: CONNECTIONS,
        seconds: api.duration,
        requests: total,
        requestsPerSecond: round2(total / api.duration),
        p50Ms: api.latency.p50,
        p99Ms: api.latency.p99,
        non2xx: api.non2xx,
        errors: api.errors,
        timeouts: api.timeouts,
        rawOperations: sorted.length,
        rawPerSecond: round2((sorted.length * 1000) / baseline.elapsedMs),
        rawP50Ms: round2(percentile(sorted, 50)),
        rawP99Ms: round2(percentile(sorted, 99)),
      },
    };
    const l = result.load;
    // For docs/benchmarks.md, as it stands.
    progress(
      [
        '',
        `| ${CONNECTIONS} clients, ${Math.round(l.seconds)} s | requests | per second | p50 | p99 | non-2xx |`,
        '|---|---|---|---|---|---|',
        `| API (create, read, comment, list, read comments) | ${l.requests.toLocaleString('en')} | ${Math.round(l.requestsPerSecond).toLocaleString('en')} | ${l.p50Ms} ms | ${l.p99Ms} ms | ${l.non2xx + l.errors + l.timeouts} |`,
        `| raw DynamoDB Local (Put, Get, Put, Query, Query) | ${l.rawOperations.toLocaleString('en')} | ${Math.round(l.rawPerSecond).toLocaleString('en')} | ${l.rawP50Ms} ms | ${l.rawP99Ms} ms | – |`,
        '',
      ].join('\n'),
    );
    return result;
  } finally {
    raw?.close();
    await stack?.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

function table(result: SuiteResult): Row[] {
  const l = result.load ?? {};
  const v = (k: string) => l[k] ?? Number.NaN;
  return [
    { label: `API requests (${CONNECTIONS} clients, ${Math.round(v('seconds'))} s: create, read, comment, list, read comments)`, value: v('requests'), unit: '×' },
    { label: 'API throughput', value: v('requestsPerSecond'), unit: 'requests/s' },
    { label: 'API p50', value: v('p50Ms'), unit: 'ms' },
    { label: 'API p99', value: v('p99Ms'), unit: 'ms' },
    // Lower bounds only: "no failures" is "0 − failures ≥ 0".
    { label: 'non-2xx, errors and timeouts (0 − count)', value: none(v('non2xx') + v('errors') + v('timeouts')), unit: '×', goal: 0 },
    { label: `raw SDK throughput, same operations (${CONNECTIONS} in flight)`, value: v('rawPerSecond'), unit: 'calls/s' },
    { label: 'raw SDK p50', value: v('rawP50Ms'), unit: 'ms' },
    { label: 'raw SDK p99', value: v('rawP99Ms'), unit: 'ms' },
    { label: 'API p99 ÷ raw p99', value: v('p99Ms') / v('rawP99Ms'), unit: '×' },
  ];
}

export const loadSuite: Suite = {
  name: 'load',
  title: `${CONNECTIONS} concurrent clients for ${SECONDS} s against the local stack (autocannon), against the same calls made raw on its DynamoDB Local`,
  run,
  table,
};
