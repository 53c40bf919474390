import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { type DynamoDbLocal, ensureTable, startDynamoDbLocal } from '../bin/local/dynamodb-local';
import { issueToken, signingKey } from '../bin/local/local-tokens';
import { LOCAL_INBOUND_DOMAIN, localReplySecret } from '../bin/local/reply-secret';
import { type LocalStack, startLocalStack } from '../bin/local/stack';
import { createDocumentClient } from '../functions/adapters/dynamodb/client';
import { toCommentItem } from '../functions/adapters/dynamodb/table';
import { hmacSha256 } from '../functions/adapters/inbound/hmac';
import { parseMime } from '../functions/adapters/inbound/mime-parser';
import { replyAddress, supportAddress } from '../functions/domain/inbound/reply-address';
import { percentile, round2 } from './api';
import { mulberry32, progress, type Row, type Suite, type SuiteResult } from './suite';
import { plainMessage } from '../test/support/mail';

const MESSAGES = 1_000;
/** Tickets the replies go to, opened through the API before the clock starts. */
const TICKETS = 40;
const CUSTOMER = 'ACME';
const CONTACTS = ['bob', 'alice', 'carl', 'dina', 'erik'].map((name) => `${name}@acme.example`);
const API_TABLE = 'bench-inbound';
const RAW_TABLE = 'bench-inbound-raw';
const ADDRESSES = { domain: LOCAL_INBOUND_DOMAIN };

/** What each of the 1,000 messages is, by share: the mix a desk's mailbox sees. */
const MIX = [
  ['reply', 0.8],
  ['new', 0.1],
  ['repeat', 0.06],
  ['refused', 0.04],
] as const;
type Kind = (typeof MIX)[number][0];
type Refusal = 'unknown-sender' | 'bad-signature' | 'failed-verdict';

interface Message {
  readonly kind: Kind;
  readonly raw: string;
  readonly verdicts: Readonly<Record<string, string>>;
  /** What the ingest must answer. */
  readonly expect: { readonly action: 'comment' | 'open' | 'refuse'; readonly repeated: boolean; readonly reason?: Refusal };
}

const QUOTE = ['', 'On Mon, 2 Nov 2026 at 09:05, SLA Desk wrote:', '> Could you check the sync and tell us what the log says?', '> ', '> Kind regards, the desk'].join('\r\n');
const SIGNATURE = ['', '-- ', 'Bob Berg | IT, Acme A/S', '+45 12 34 56 78'].join('\r\n');

/**
 * The corpus, the same every run: replies to the tickets from the customer's
 * contacts (quoted text and signatures to strip), new messages to the support
 * address, deliveries repeated with their Message-ID, and refusals (an
 * unknown sender, a forged signature, a failed verdict).
 */
function corpus(seed: number, tag: string, ticketIds: readonly string[], ticketAddress: (id: string) => string): Message[] {
  const random = mulberry32(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const messages: Message[] = [];
  for (let i = 0; i < MESSAGES; i++) {
    const roll = random();
    let share = 0;
    let kind: Kind = MIX.find(([, s]) => roll < (share += s))?.[0] ?? 'reply';
    if (kind === 'repeat' && !messages.some((m) => m.kind !== 'refused')) kind = 'reply';
    const id = `${tag}.${i}@mail.acme.example`;
    const from = pick(CONTACTS);
    const lines = Array.from({ length: 1 + Math.floor(random() * 6) }, (_, n) => `Line ${n + 1} of what we see: the sync ran at 09:${String(n).padStart(2, '0')} and stopped.`);
    if (kind === 'reply') {
      const body = [lines.join('\r\n'), random() < 0.5 ? SIGNATURE : '', QUOTE].join('\r\n');
      messages.push({ kind, raw: plainMessage(from, ticketAddress(pick(ticketIds)), 'Re: your ticket', body, id), verdicts: {}, expect: { action: 'comment', repeated: false } });
    } else if (kind === 'new') {
      messages.push({ kind, raw: plainMessage(from, supportAddress(ADDRESSES), `Sync stopped (${i})`, lines.join('\r\n'), id), verdicts: {}, expect: { action: 'open', repeated: false } });
    } else if (kind === 'repeat') {
      const first = pick(messages.filter((m) => m.kind !== 'refused' && m.kind !== 'repeat'));
      messages.push({ ...first, kind, expect: { ...first.expect, repeated: true } });
    } else {
      const reason = pick(['unknown-sender', 'bad-signature', 'failed-verdict'] as const);
      const to = ticketAddress(pick(ticketIds));
      const raw =
        reason === 'unknown-sender'
          ? plainMessage(`eve${i}@elsewhere.example`, to, 'Let me in', lines[0]!, id)
          : reason === 'bad-signature'
            ? plainMessage(from, to.replace(/\.[a-z2-7]{16}@/, '.aaaaaaaaaaaaaaaa@'), 'Let me in', lines[0]!, id)
            : plainMessage(from, to, 'Let me in', lines[0]!, id);
      messages.push({ kind, raw, verdicts: reason === 'failed-verdict' ? { dkim: 'FAIL' } : {}, expect: { action: 'refuse', repeated: false, reason } });
    }
  }
  return messages;
}

/**
 * The live heap before a run and the most it holds during it: collected and
 * read every 200 ms (needs --expose-gc), as the reports suite does every 50 ms;
 * a full collection of the whole stack's heap that often would take longer than the ingest.
 */
async function liveHeapMb(run: () => Promise<unknown>): Promise<{ startMb: number; peakMb: number }> {
  const gc = global.gc;
  if (!gc) throw new Error('inbound: run the bench with node --expose-gc (npm run bench does)');
  gc();
  const start = process.memoryUsage().heapUsed;
  let peak = start;
  const sampler = setInterval(() => {
    gc();
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  }, 200);
  await run();
  clearInterval(sampler);
  return { startMb: round2(start / 2 ** 20), peakMb: round2(peak / 2 ** 20) };
}

/** Each message in turn, one in flight (SES hands the ingest one message per invocation): each one's time. */
async function oneByOne(messages: readonly Message[], op: (m: Message) => Promise<void>): Promise<number[]> {
  const times: number[] = [];
  for (const m of messages) {
    const t = performance.now();
    await op(m);
    times.push(performance.now() - t);
  }
  return times;
}

function figures(times: readonly number[]) {
  const sorted = [...times].sort((a, b) => a - b);
  return { meanMs: round2(times.reduce((a, b) => a + b, 0) / times.length), p50Ms: round2(percentile(sorted, 50)), p99Ms: round2(percentile(sorted, 99)) };
}

async function run(): Promise<SuiteResult> {
  const dataDir = await mkdtemp(join(tmpdir(), 'sla-desk-inbound-bench-'));
  let dynamo: DynamoDbLocal | undefined;
  let stack: LocalStack | undefined;
  let client: ReturnType<typeof createDocumentClient> | undefined;
  try {
    progress('inbound: starting DynamoDB Local (in memory) and the local stack');
    dynamo = await startDynamoDbLocal();
    stack = await startLocalStack({ dataDir, port: 0, dynamoEndpoint: dynamo.endpoint, tableName: API_TABLE, log: () => {}, console: false, probe: false, monthlyReports: false });
    await ensureTable(dynamo.endpoint, RAW_TABLE);
    const key = await signingKey(dataDir);
    const admin = await issueToken(key, { role: 'admin' });
    const customer = await issueToken(key, { role: 'customer', customerId: CUSTOMER });
    const call = async (method: string, path: string, token: string, body: unknown) => {
      const response = await fetch(`${stack!.url}${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const text = await response.text();
      if (!response.ok) throw new Error(`inbound: ${method} ${path} answered ${response.status}: ${text}`);
      return JSON.parse(text) as { id: string };
    };
    await call('PUT', `/customers/${CUSTOMER}`, admin, { name: 'Acme A/S', contacts: CONTACTS.map((email) => ({ email, receives: ['updates'] })) });
    const ticketIds: string[] = [];
    for (let i = 0; i < TICKETS; i++) {
      ticketIds.push((await call('POST', '/tickets', customer, { title: `Sync stopped ${i}`, description: 'No new users since 08:00.', category: 'synchronization', priority: 'medium' })).id);
    }
    const mac = hmacSha256(await localReplySecret(dataDir));
    const ticketAddress = (id: string) => replyAddress(id, mac, ADDRESSES);
    const timed = corpus(0x1b0c_0001, 'timed', ticketIds, ticketAddress);
    const sampled = corpus(0x1b0c_0002, 'sampled', ticketIds, ticketAddress);

    const outcomes = new Map<string, number>();
    const ingest = async (m: Message) => {
      const response = await fetch(`${stack!.url}/_dev/inbound-email`, {
        method: 'POST',
        headers: { authorization: `Bearer ${admin}`, 'content-type': 'message/rfc822', ...Object.fromEntries(Object.entries(m.verdicts).map(([k, v]) => [`x-ses-${k}-verdict`, v])) },
        body: m.raw,
      });
      const text = await response.text();
      if (response.status !== 200) throw new Error(`inbound: POST /_dev/inbound-email answered ${response.status}: ${text}`);
      const got = JSON.parse(text) as { action: string; repeated: boolean; reason?: string };
      // Every message must come to what it is: a faster ingest that refuses a reply measures nothing.
      if (got.action !== m.expect.action || got.repeated !== m.expect.repeated || got.reason !== m.expect.reason) {
        throw new Error(`inbound: a ${m.kind} came to ${text}, expected ${JSON.stringify(m.expect)}`);
      }
      const outcome = `${got.repeated ? 'repeated ' : ''}${got.action}`;
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    };

    // The floor of any ingest: read the message with the same MIME parser, then write one item (the comment it carries).
    const db = createDocumentClient({ endpoint: dynamo.endpoint });
    client = db;
    let written = 0;
    const floor = async (m: Message) => {
      const parsed = await parseMime(Buffer.from(m.raw));
      if ('refused' in parsed) throw new Error(`inbound: the parser refused a message: ${parsed.detail}`);
      const comment = {
        ticketId: 'ACME-0',
        id: `raw-${written++}`,
        body: parsed.reply,
        visibility: 'public' as const,
        author: { subject: 'contact', role: 'customer' as const, customerId: CUSTOMER },
        createdAt: Date.now(),
      };
      await db.send(new PutCommand({ TableName: RAW_TABLE, Item: toCommentItem(comment) }));
    };

    progress('inbound: warming up, 50 of each');
    const warm = corpus(0x1b0c_0003, 'warm', ticketIds, ticketAddress).slice(0, 50);
    await oneByOne(warm, floor);
    await oneByOne(warm, ingest);
    outcomes.clear();

    progress(`inbound: ${MESSAGES} messages through the parser and one raw PutItem each, then through the ingest`);
    const floorTimes = await oneByOne(timed, floor);
    const ingestTimes = await oneByOne(timed, ingest);
    const mix = Object.fromEntries(outcomes);

    progress(`inbound: ${MESSAGES} more of each, the live heap read after a collection every 200 ms`);
    const floorHeap = await liveHeapMb(() => oneByOne(sampled, floor));
    const ingestHeap = await liveHeapMb(() => oneByOne(sampled, ingest));

    const i = figures(ingestTimes);
    const f = figures(floorTimes);
    return {
      inbound: {
        messages: MESSAGES,
        ingestMeanMs: i.meanMs,
        ingestP50Ms: i.p50Ms,
        ingestP99Ms: i.p99Ms,
        floorMeanMs: f.meanMs,
        floorP50Ms: f.p50Ms,
        floorP99Ms: f.p99Ms,
        meanRatio: round2(i.meanMs / f.meanMs),
        // The whole process: the stack, its clients and the bench itself.
        ingestStartHeapMb: ingestHeap.startMb,
        ingestPeakHeapMb: ingestHeap.peakMb,
        floorStartHeapMb: floorHeap.startMb,
        floorPeakHeapMb: floorHeap.peakMb,
      },
      mix,
    };
  } finally {
    client?.destroy();
    await stack?.stop();
    await dynamo?.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

function table(result: SuiteResult): Row[] {
  const r = result.inbound ?? {};
  const mix = Object.entries(result.mix ?? {})
    .map(([outcome, n]) => `${n} ${outcome}`)
    .join(', ');
  return [
    { label: `ingest, one message at a time (${mix})`, value: r.ingestMeanMs ?? Number.NaN, unit: 'ms/message' },
    { label: 'ingest p50', value: r.ingestP50Ms ?? Number.NaN, unit: 'ms' },
    { label: 'ingest p99', value: r.ingestP99Ms ?? Number.NaN, unit: 'ms' },
    { label: 'floor: the same messages parsed, and one raw PutItem each', value: r.floorMeanMs ?? Number.NaN, unit: 'ms/message' },
    { label: 'floor p50', value: r.floorP50Ms ?? Number.NaN, unit: 'ms' },
    { label: 'floor p99', value: r.floorP99Ms ?? Number.NaN, unit: 'ms' },
    { label: 'ingest ÷ floor, mean time per message', value: r.meanRatio ?? Number.NaN, unit: '× floor' },
    { label: `peak live heap of the process, ${MESSAGES} ingested (${r.ingestStartHeapMb} MiB before)`, value: r.ingestPeakHeapMb ?? Number.NaN, unit: 'MiB' },
    { label: `peak live heap of the process, ${MESSAGES} through the floor (${r.floorStartHeapMb} MiB before)`, value: r.floorPeakHeapMb ?? Number.NaN, unit: 'MiB' },
  ];
}

export const inboundSuite: Suite = {
  name: 'inbound',
  title: `Ingest of ${MESSAGES.toLocaleString('en')} inbound email messages through the local stack, one at a time, against parsing each and one raw PutItem`,
  run,
  table,
};
