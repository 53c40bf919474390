import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { type DynamoDbLocal, ensureTable, startDynamoDbLocal } from '../bin/local/dynamodb-local';
import { createDocumentClient } from '../functions/adapters/dynamodb/client';
import { dynamoStores } from '../functions/adapters/dynamodb/stores';
import { INDEX, keys, toBillableEntryItem, toConsultancyItem, toCustomerItem, toSampleItem, toTicketItem } from '../functions/adapters/dynamodb/table';
import { LocalReportFiles } from '../functions/adapters/reports/local-report-files';
import { danishCalendar } from '../functions/domain/calendar/danish-calendar';
import { approve, type ConsultancyRequest, propose } from '../functions/domain/consultancy/consultancy';
import { rateOf } from '../functions/domain/consultancy/money';
import type { BillableEntry } from '../functions/domain/consultancy/statement';
import { parseMonth } from '../functions/domain/month';
import { ReportService } from '../functions/domain/reports/report-service';
import { PRIORITIES } from '../functions/domain/sla/sla-policy';
import { openTicket, type Ticket } from '../functions/domain/tickets/ticket';
import { batchWrite, mulberry32, progress, type Row, type Suite, type SuiteResult } from './suite';

/**
 * The workload: one month, 500 customers, 50,000 tickets, 5 targets,
 * 2,000 time entries. Then 50,000 more tickets, all answered in time: twice
 * what is read, the same breaches to list, so the memory figure shows what
 * reading costs apart from what the report says.
 */
const MONTH = parseMonth('2026-11');
const CUSTOMERS = 500;
const TICKETS = 50_000;
const TARGETS = ['api', 'portal', 'sync', 'graph', 'crm'];
const TIME_ENTRIES = 2_000;
const REQUESTS = 400;
const GOAL_SECONDS = 20;
const TABLE = 'report-bench';

const calendar = danishCalendar();
const customerId = (n: number) => `C${String(n).padStart(4, '0')}`;

/** Tickets opened through November's business hours, a deterministic mix of outcomes. */
function tickets(from: number, count: number, random: () => number, allMet = false): Ticket[] {
  const slots = calendar.operatingSlots(2026, 11);
  const actor = { subject: 'bench', role: 'customer' as const };
  return Array.from({ length: count }, (_, i) => {
    const n = from + i;
    const customer = customerId(n % CUSTOMERS);
    const openedAt = slots[Math.floor(random() * slots.length)]! + Math.floor(random() * 300_000);
    const ticket = openTicket(
      `${customer}-${n + 1}`,
      customer,
      { title: 'Sync stopped', description: 'No users since 08:00', category: 'synchronization', priority: PRIORITIES[n % 5]! },
      actor,
      openedAt,
      calendar,
    );
    const roll = random();
    // The added half of the doubled month is answered within the hour: twice the tickets, the same breaches to list.
    const respondedAt = allMet ? ticket.openedAt + Math.floor(random() * 3_300_000) : roll < 0.85 ? ticket.openedAt + Math.floor(random() * 3 * 3_600_000) : undefined;
    return {
      ...ticket,
      ...(respondedAt !== undefined ? { firstRespondedAt: respondedAt } : {}),
      ...(respondedAt !== undefined && respondedAt >= ticket.firstResponseDueAt ? { breachedAt: ticket.firstResponseDueAt } : {}),
    };
  });
}

function consultancy(random: () => number): { requests: ConsultancyRequest[]; entries: BillableEntry[] } {
  const at = Date.parse('2026-11-02T09:00:00+01:00');
  const rate = rateOf('1250.50', 'DKK');
  const requests = Array.from({ length: REQUESTS }, (_, i) =>
    approve(
      propose({ id: `CR-${String(i).padStart(8, '0')}`, customerId: customerId(i % CUSTOMERS), service: 'crm-flows', description: 'x', estimateHours: 40, proposed: { at, by: 'agent' } }),
      'customer',
      { at, by: 'pm' },
      rate,
    ),
  );
  const entries = Array.from({ length: TIME_ENTRIES }, (_, i): BillableEntry => {
    const request = requests[i % REQUESTS]!;
    return {
      id: `T${i}`,
      requestId: request.id,
      customerId: request.customerId,
      service: request.service,
      rate,
      quarters: 1 + Math.floor(random() * 8),
      date: `2026-11-${String(2 + (i % 27)).padStart(2, '0')}`,
      note: 'work',
      logged: { at: at + i * 60_000, by: 'agent' },
    };
  });
  return { requests, entries };
}

/** The floor: every item the report reads, by the same queries, page by page, doing nothing with them. */
async function plainQueries(db: DynamoDBDocumentClient): Promise<number> {
  const queries: QueryCommandInput[] = [
    { TableName: TABLE, IndexName: INDEX.byMonth, KeyConditionExpression: `${INDEX.byMonth}PK = :pk`, ExpressionAttributeValues: { ':pk': keys.month('TICKETS', MONTH) } },
    { TableName: TABLE, IndexName: INDEX.byMonth, KeyConditionExpression: `${INDEX.byMonth}PK = :pk`, ExpressionAttributeValues: { ':pk': keys.month('CONSULTANCY', MONTH) } },
    { TableName: TABLE, IndexName: INDEX.lists, KeyConditionExpression: `${INDEX.lists}PK = :pk`, ExpressionAttributeValues: { ':pk': keys.customers } },
    ...TARGETS.map((target) => ({ TableName: TABLE, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': keys.samples(target, MONTH) } })),
  ];
  let items = 0;
  await Promise.all(
    queries.map(async (input) => {
      let start: Record<string, unknown> | undefined;
      do {
        const page = await db.send(new QueryCommand({ ...input, ...(start ? { ExclusiveStartKey: start } : {}) }));
        items += page.Items?.length ?? 0;
        start = page.LastEvaluatedKey;
      } while (start);
    }),
  );
  return items;
}

/** Milliseconds of one run. */
async function timed<T>(run: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await run();
  return { ms: performance.now() - start, value };
}

/**
 * The most live heap one run holds: collected every 50 ms and read after each
 * collection, so garbage awaiting collection does not count (needs --expose-gc).
 */
async function liveHeapPeakMb(run: () => Promise<unknown>): Promise<number> {
  const gc = global.gc;
  if (!gc) throw new Error('reports: run the bench with node --expose-gc (npm run bench does)');
  gc();
  const base = process.memoryUsage().heapUsed;
  let peak = base;
  const sample = () => {
    gc();
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  };
  const sampler = setInterval(sample, 50);
  await run();
  clearInterval(sampler);
  return (peak - base) / 2 ** 20;
}

async function run(): Promise<SuiteResult> {
  const dir = await mkdtemp(join(tmpdir(), 'sla-desk-report-bench-'));
  let dynamo: DynamoDbLocal | undefined;
  const random = mulberry32(0x2e90_2711);
  try {
    progress('reports: starting DynamoDB Local (in memory)');
    dynamo = await startDynamoDbLocal();
    await ensureTable(dynamo.endpoint, TABLE);
    const db = createDocumentClient({ endpoint: dynamo.endpoint });
    const stores = dynamoStores(db, TABLE, calendar.timeZone);
    const service = (files: string) =>
      new ReportService({
        ...stores,
        reportFiles: new LocalReportFiles(files),
        calendar,
        now: () => Date.parse('2026-12-01T06:00:00+01:00'),
        probeTargets: TARGETS.map((name) => ({ name })),
        finance: ['finance@example.com'],
      });

    progress(`reports: seeding ${CUSTOMERS} customers, ${TARGETS.length} targets of samples and ${TIME_ENTRIES} time entries`);
    await batchWrite(
      db,
      TABLE,
      Array.from({ length: CUSTOMERS }, (_, n) =>
        toCustomerItem({ customerId: customerId(n), name: `Customer ${n}`, contacts: [{ email: `finance@c${n}.example`, receives: ['reports'] }], updatedAt: 0, version: 1 }),
      ),
    );
    const samples = TARGETS.flatMap((target) => calendar.operatingSlots(2026, 11).map((at) => toSampleItem({ target, at: at + 5_000, ok: random() > 0.002, latencyMs: 40 }, MONTH)));
    await batchWrite(db, TABLE, samples);
    const { requests, entries } = consultancy(random);
    await batchWrite(db, TABLE, [...requests.map(toConsultancyItem), ...entries.map(toBillableEntryItem)]);

    const sizes: { tickets: number; reportMs: number; baselineMs: number; peakHeapMb: number; items: number }[] = [];
    for (const size of [TICKETS, 2 * TICKETS]) {
      const have = sizes.at(-1)?.tickets ?? 0;
      progress(`reports: seeding tickets up to ${size}`);
      await batchWrite(
        db,
        TABLE,
        tickets(have, size - have, random, have > 0).map((t) => toTicketItem(t, calendar.timeZone)),
      );
      progress(`reports: ${size} tickets: plain queries, then the report (twice each, the better kept)`);
      let best: (typeof sizes)[number] | undefined;
      for (let round = 0; round < 2; round++) {
        const baseline = await timed(() => plainQueries(db));
        const report = await timed(() => service(join(dir, `${size}-${round}`)).generate(MONTH, 'bench', 'benchmark'));
        const figures = { tickets: size, reportMs: report.ms, baselineMs: baseline.ms, peakHeapMb: 0, items: baseline.value };
        if (!best || figures.reportMs < best.reportMs) best = figures;
      }
      best!.peakHeapMb = await liveHeapPeakMb(() => service(join(dir, `${size}-memory`)).generate(MONTH, 'bench', 'benchmark'));
      sizes.push(best!);
    }
    db.destroy();
    const [one, two] = sizes as [(typeof sizes)[number], (typeof sizes)[number]];
    return {
      reports: {
        tickets: one.tickets,
        itemsRead: one.items,
        reportSeconds: one.reportMs / 1000,
        baselineSeconds: one.baselineMs / 1000,
        reportOverBaseline: one.reportMs / one.baselineMs,
        peakHeapMb: one.peakHeapMb,
        doubledTickets: two.tickets,
        doubledReportSeconds: two.reportMs / 1000,
        doubledBaselineSeconds: two.baselineMs / 1000,
        doubledPeakHeapMb: two.peakHeapMb,
        peakHeapGrowthOnDoubling: two.peakHeapMb / one.peakHeapMb,
      },
    };
  } finally {
    await dynamo?.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

export const reportsSuite: Suite = {
  name: 'reports',
  title: `A month's report from DynamoDB Local: ${CUSTOMERS} customers, ${TICKETS.toLocaleString('en')} tickets (then twice that), ${TARGETS.length} targets, ${TIME_ENTRIES.toLocaleString('en')} time entries, against plain paginated queries of the same items`,
  run,
  table(result): Row[] {
    const r = result.reports!;
    return [
      { label: `report, ${r.tickets} tickets`, value: r.reportSeconds!, unit: 's' },
      { label: `plain queries of the same ${r.itemsRead} items`, value: r.baselineSeconds!, unit: 's' },
      { label: 'report ÷ plain queries', value: r.reportOverBaseline!, unit: 'ratio' },
      { label: `headroom to ${GOAL_SECONDS} s`, value: GOAL_SECONDS - r.reportSeconds!, unit: 's', goal: 0 },
      { label: 'peak live heap while generating', value: r.peakHeapMb!, unit: 'MiB' },
      { label: `report, ${r.doubledTickets} tickets`, value: r.doubledReportSeconds!, unit: 's' },
      { label: `plain queries, ${r.doubledTickets} tickets`, value: r.doubledBaselineSeconds!, unit: 's' },
      { label: `peak live heap, ${r.doubledTickets} tickets`, value: r.doubledPeakHeapMb!, unit: 'MiB' },
      // Flat: twice the tickets may not take more than half as much memory again.
      { label: 'live heap on doubling: headroom to 1.5×', value: 1.5 - r.peakHeapGrowthOnDoubling!, unit: 'ratio', goal: 0 },
    ];
  },
};
