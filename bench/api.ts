import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '../functions/adapters/dynamodb/client';
import { keys, toEventItem, toTicketItem, TTL_ATTRIBUTE } from '../functions/adapters/dynamodb/table';
import { danishCalendar, danishContractCalendar } from '../functions/domain/calendar/danish-calendar';
import type { Actor } from '../functions/domain/actor';
import { openedEvent, openTicket } from '../functions/domain/tickets/ticket';
import { ticketView } from '../functions/domain/tickets/ticket-view';
import { type DynamoDbLocal, ensureTable, startDynamoDbLocal } from '../bin/local/dynamodb-local';
import { issueToken, signingKey } from '../bin/local/local-tokens';
import { type LocalStack, startLocalStack } from '../bin/local/stack';
import { type BundleFigures, FLOOR, measureBundles } from './bundles';
import { progress, type Row, type Suite, type SuiteResult } from './suite';

const CONCURRENCY = 16;
const WARM_UP = 200;
/** 3 rounds of 500 = 1,500 measured operations of each kind. */
const ROUNDS = 3;
const PER_ROUND = 500;

const GOAL_THROUGHPUT_RATIO = 0.5;
const GOAL_P99_FACTOR = 2;
/** Each HTTP function's module init, as a multiple of the floor's (a function that only builds the document client), and its size. */
const GOAL_INIT_RATIO = 1.5;
const GOAL_BUNDLE_KIB = 600;

const API_TABLE = 'bench-api';
/** Same definition and indexes as the API's table, so raw writes maintain the same GSIs. */
const RAW_TABLE = 'bench-raw';
const CUSTOMER = 'ACME';

const NEW_TICKET = {
  title: 'Users missing after sync',
  description: 'Since 08:00 no new users arrive from Entra; the last successful run was at 07:45.',
  category: 'synchronization',
  priority: 'high',
} as const;

export interface Timed {
  elapsedMs: number;
  latencies: number[];
}

/** `count` operations with `concurrency` of them in flight at any time. */
export async function drive(count: number, concurrency: number, op: (i: number) => Promise<void>): Promise<Timed> {
  const latencies = new Array<number>(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const t = performance.now();
      await op(i);
      latencies[i] = performance.now() - t;
    }
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { elapsedMs: performance.now() - start, latencies };
}

/** Nearest-rank percentile. */
export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export const round2 = (x: number) => Math.round(x * 100) / 100;

/** POST /tickets through the local stack's HTTP server; anything but 201 stops the suite. */
function postTicket(url: string, token: string): () => Promise<void> {
  const body = JSON.stringify(NEW_TICKET);
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  return async () => {
    const response = await fetch(`${url}/tickets`, { method: 'POST', headers, body });
    const text = await response.text();
    if (response.status !== 201) throw new Error(`api: POST /tickets answered ${response.status}: ${text}`);
  };
}

/**
 * The write POST /tickets ends in, without anything around it: ticket, event
 * and idempotency record built by the real item mappers, so sizes and index
 * keys match what the API writes.
 */
function rawTransactWrite(endpoint: string): { op: (i: number) => Promise<void>; close(): void } {
  const db = createDocumentClient({ endpoint });
  const calendar = danishCalendar();
  const actor: Actor = { subject: 'local-customer-acme', role: 'customer', customerId: CUSTOMER };
  const now = Date.now();
  const template = openTicket(`${CUSTOMER}-0`, CUSTOMER, NEW_TICKET, actor, now, calendar);
  const response = JSON.stringify(ticketView(template, now, calendar, actor));
  let unique = 0;
  return {
    async op() {
      const id = `${CUSTOMER}-raw-${unique++}`;
      const ticket = { ...template, id };
      const event = { ...openedEvent(ticket, actor), at: now };
      await db.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: RAW_TABLE, Item: toTicketItem(ticket, danishContractCalendar.timeZone), ConditionExpression: 'attribute_not_exists(PK)' } },
            { Put: { TableName: RAW_TABLE, Item: toEventItem(event, `${unique}`, danishContractCalendar.timeZone) } },
            {
              Put: {
                TableName: RAW_TABLE,
                Item: { ...keys.idempotency(CUSTOMER, `key-${unique}`), requestHash: 'x'.repeat(43), ticketId: id, response, [TTL_ATTRIBUTE]: Math.floor(now / 1000) + 86_400 },
                ConditionExpression: 'attribute_not_exists(PK)',
              },
            },
          ],
        }),
      );
    },
    close: () => db.destroy(),
  };
}

function summary({ elapsedMs, latencies }: Timed) {
  const sorted = [...latencies].sort((a, b) => a - b);
  return { perSecond: (latencies.length * 1000) / elapsedMs, p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
}

async function run(): Promise<SuiteResult> {
  // Before DynamoDB Local starts, so the JVM does not compete with the cold imports.
  const bundles = await measureBundles();

  const dataDir = await mkdtemp(join(tmpdir(), 'sla-desk-bench-'));
  let dynamo: DynamoDbLocal | undefined;
  let stack: LocalStack | undefined;
  let raw: ReturnType<typeof rawTransactWrite> | undefined;
  try {
    progress('api: starting DynamoDB Local (in memory) and the local stack');
    dynamo = await startDynamoDbLocal();
    // The local server's line per request is API Gateway's access log on AWS, written outside the function: not timed here.
    stack = await startLocalStack({ dataDir, port: 0, dynamoEndpoint: dynamo.endpoint, tableName: API_TABLE, log: () => undefined });
    await ensureTable(dynamo.endpoint, RAW_TABLE);
    const token = await issueToken(await signingKey(dataDir), { role: 'customer', customerId: CUSTOMER });
    const api = postTicket(stack.url, token);
    raw = rawTransactWrite(dynamo.endpoint);

    progress(`api: warming up, ${WARM_UP} of each at ${CONCURRENCY} in flight`);
    await drive(WARM_UP, CONCURRENCY, raw.op);
    await drive(WARM_UP, CONCURRENCY, api);

    // Alternating rounds spread the JVM's warming and the tables' growth over both figures alike.
    const apiRuns: Timed = { elapsedMs: 0, latencies: [] };
    const rawRuns: Timed = { elapsedMs: 0, latencies: [] };
    for (let round = 1; round <= ROUNDS; round++) {
      progress(`api: round ${round}/${ROUNDS}: ${PER_ROUND} raw TransactWriteItems, then ${PER_ROUND} POST /tickets`);
      for (const [op, into] of [
        [raw.op, rawRuns],
        [api, apiRuns],
      ] as const) {
        const { elapsedMs, latencies } = await drive(PER_ROUND, CONCURRENCY, op);
        into.elapsedMs += elapsedMs;
        into.latencies.push(...latencies);
      }
    }

    const a = summary(apiRuns);
    const r = summary(rawRuns);
    const result: Record<string, unknown> = {
      api: {
        ticketsPerSecond: Math.round(a.perSecond),
        p50Ms: round2(a.p50),
        p99Ms: round2(a.p99),
        rawTransactWritesPerSecond: Math.round(r.perSecond),
        rawP99Ms: round2(r.p99),
      },
      bundles,
    };
    // bundles nests one level deeper than SuiteResult says; run.ts only serialises it.
    return result as SuiteResult;
  } finally {
    raw?.close();
    await stack?.stop();
    await dynamo?.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

function table(result: SuiteResult): Row[] {
  const { ticketsPerSecond = Number.NaN, p50Ms = Number.NaN, p99Ms = Number.NaN, rawTransactWritesPerSecond = Number.NaN, rawP99Ms = Number.NaN } = result.api ?? {};
  const bundles = (result.bundles ?? {}) as unknown as Record<string, BundleFigures>;
  return [
    { label: `POST /tickets via the local API (${CONCURRENCY} in flight)`, value: ticketsPerSecond, unit: 'tickets/s' },
    { label: 'POST /tickets p50', value: p50Ms, unit: 'ms' },
    { label: 'POST /tickets p99', value: p99Ms, unit: 'ms' },
    { label: `raw TransactWriteItems, 3 Puts (${CONCURRENCY} in flight)`, value: rawTransactWritesPerSecond, unit: 'writes/s' },
    { label: 'raw TransactWriteItems p99', value: rawP99Ms, unit: 'ms' },
    { label: 'throughput API ÷ raw', value: ticketsPerSecond / rawTransactWritesPerSecond, unit: '× raw', goal: GOAL_THROUGHPUT_RATIO },
    // The table only knows lower bounds: "API p99 ≤ 2 × raw p99" is "raw p99 ÷ API p99 ≥ 0.5".
    { label: `p99 raw ÷ API (API p99 ≤ ${GOAL_P99_FACTOR} × raw p99)`, value: rawP99Ms / p99Ms, unit: '× API', goal: 1 / GOAL_P99_FACTOR },
    // Likewise "≤ 600 KiB" is "600 KiB − size ≥ 0", and "init ≤ 1.5 × the floor's" is "1.5 − ratio ≥ 0".
    {
      label: `floor (document client only): init ${bundles[FLOOR]?.initMs.toFixed(1)} ms, ${Math.round((bundles[FLOOR]?.bytes ?? Number.NaN) / 1024)} KiB`,
      value: bundles[FLOOR]?.initMs ?? Number.NaN,
      unit: 'ms',
    },
    { label: 'floor: init and a first request', value: bundles[FLOOR]?.firstAnswerMs ?? Number.NaN, unit: 'ms' },
    ...Object.entries(bundles)
      .filter(([name]) => name !== FLOOR)
      .flatMap(([name, { bytes, initMs, initRatio, firstAnswerMs, firstAnswerRatio }]) => [
        {
          label: `${name}: ${Math.round(bytes / 1024).toLocaleString('en')} KiB; headroom to ${GOAL_BUNDLE_KIB} KiB`,
          value: GOAL_BUNDLE_KIB - bytes / 1024,
          unit: 'KiB',
          goal: 0,
        },
        { label: `${name}: init ${initMs.toFixed(1)} ms, ${initRatio.toFixed(2)}× the floor; headroom to ${GOAL_INIT_RATIO}×`, value: GOAL_INIT_RATIO - initRatio, unit: '× floor', goal: 0 },
        { label: `${name}: init and its first request (dependencies built) ${firstAnswerMs.toFixed(1)} ms`, value: firstAnswerRatio, unit: '× floor' },
      ]),
  ];
}

export const apiSuite: Suite = {
  name: 'api',
  title: `POST /tickets through the local API against raw TransactWriteItems on one DynamoDB Local; function bundles and module init`,
  run,
  table,
};
