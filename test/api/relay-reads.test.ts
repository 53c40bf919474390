import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Cast, castOf, startTestStack, type TestStack } from '../support/test-stack';

/*
 * What the relay's minute round reads, counted on the real store: every read
 * any DynamoDB document client in this process sends while a round runs is
 * recorded, with the items it returned and the read units DynamoDB reports
 * (ReturnConsumedCapacity). The round must read the customers it watches (a
 * go-live agreed, hypercare not settled) and no other: its hypercare steps,
 * the digests included, need no more.
 */

interface Read {
  readonly command: string;
  readonly items: readonly Record<string, unknown>[];
  readonly units: number;
}

const READ_COMMANDS = new Set(['GetCommand', 'QueryCommand', 'ScanCommand', 'BatchGetCommand', 'TransactGetCommand']);
type Send = (this: DynamoDBDocumentClient, command: { constructor: { name: string }; input: Record<string, unknown> }, ...rest: unknown[]) => Promise<Record<string, any>>;
const prototype = DynamoDBDocumentClient.prototype as unknown as { send: Send };
const originalSend = prototype.send;
let recording: Read[] | undefined;

function consumed(capacity: unknown): number {
  const all = Array.isArray(capacity) ? capacity : capacity ? [capacity] : [];
  return all.reduce((sum: number, c: { CapacityUnits?: number }) => sum + (c.CapacityUnits ?? 0), 0);
}

let stack: TestStack;
let tokens: Cast;
const plain: string[] = [];

const admin = () => tokens.admin;
const save = async (id: string, body: Record<string, unknown>) => expect((await stack.call('PUT', `/customers/${id}`, { token: admin(), body: { name: id, contacts: [], ...body } })).status).toBe(200);
const jump = (now: string) => stack.at.jump(now);

/** Runs `work` with every read recorded. */
async function recorded(work: () => Promise<unknown>): Promise<Read[]> {
  recording = [];
  try {
    await work();
    return recording;
  } finally {
    recording = undefined;
  }
}
/** One minute round of the local stack (its timers, then the relay), as on AWS every minute. */
const round = () => recorded(() => stack.runTimers());
const profilesRead = (reads: readonly Read[]) =>
  [
    ...new Set(
      reads
        .flatMap((r) => r.items)
        .filter((i) => i.SK === 'PROFILE')
        .map((i) => i.customerId as string),
    ),
  ].sort();
const units = (reads: readonly Read[]) => reads.reduce((sum, r) => sum + r.units, 0);
const outboxIds = async () =>
  (await readFile(join(stack.dataDir, 'outbox.jsonl'), 'utf8').catch(() => ''))
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { id: string; channel: string })
    .map((l) => l.id);

async function addPlainCustomers(count: number) {
  for (let i = 0; i < count; i++) {
    const id = `C${String(plain.length + 1).padStart(3, '0')}`;
    await save(id, { contacts: [{ email: `ops@${id.toLowerCase()}.example`, receives: ['alerts', 'notices'] }] });
    plain.push(id);
  }
}

beforeAll(async () => {
  prototype.send = async function (command, ...rest) {
    const reading = recording !== undefined && READ_COMMANDS.has(command.constructor.name);
    if (reading) command.input.ReturnConsumedCapacity = 'TOTAL';
    const result = await originalSend.call(this, command, ...rest);
    if (reading) recording?.push({ command: command.constructor.name, items: result.Items ?? (result.Item ? [result.Item] : []), units: consumed(result.ConsumedCapacity) });
    return result;
  };
  // Tuesday 3 November 2026; the timer loop runs only when the test says so.
  stack = await startTestStack({ clockStart: '2026-11-03T09:00:00+01:00', timerIntervalMs: 3_600_000 });
  tokens = await castOf(stack);
  // ACME is in a long hypercare; forty customers are not.
  await save('ACME', { contacts: [{ email: 'pm@acme.example', receives: ['updates'] }], goLiveAt: '2026-11-02T08:00:00+01:00', hypercareWeeks: 12 });
  await addPlainCustomers(40);
  // The go-live digest is queued and delivered; after that a round has nothing to do but look.
  await stack.runTimers();
  await stack.runTimers();
});
afterAll(async () => {
  prototype.send = originalSend;
  await stack?.stop();
});

describe("the relay's minute round reads only what it needs", () => {
  it('reads the customer in hypercare and no other; forty more customers outside hypercare add no read unit', async () => {
    const before = await round();
    expect(profilesRead(before)).toEqual(['ACME']);
    // Its digests so far are known queued (noted on its profile): none is looked up again.
    expect(before.filter((r) => r.command === 'GetCommand')).toEqual([]);
    await addPlainCustomers(40);
    const after = await round();
    expect(profilesRead(after)).toEqual(['ACME']);
    expect(units(after)).toBe(units(before));
    // The round costs less than one read of every customer, which is what it used to read each minute.
    const everyone = await recorded(() => stack.call('GET', '/customers?limit=100', { token: tokens.agent }));
    expect(profilesRead(everyone)).toHaveLength(81);
    expect(units(after)).toBeLessThan(units(everyone));
  });

  it('a customer entering hypercare is read from the next round on, and no more once its hypercare has concluded', async () => {
    // C001, so far outside hypercare, agrees its go-live.
    await save('C001', { contacts: [{ email: 'pm@c001.example', receives: ['updates'] }], goLiveAt: '2026-11-03T08:00:00+01:00', hypercareWeeks: 4 });
    const entered = await round();
    expect(profilesRead(entered)).toEqual(['ACME', 'C001']);
    expect(await outboxIds()).toContain('C001:hypercare-digest:go-live');

    // Both sign-offs and the transition now; two weeks of operation conclude it on Tuesday 17 November at 08:00.
    const customer = await stack.token('customer', 'C001');
    expect((await stack.call('POST', '/customers/C001/hypercare/signoff', { token: customer })).status).toBe(200);
    expect((await stack.call('POST', '/customers/C001/hypercare/signoff', { token: tokens.agent })).status).toBe(200);
    expect((await stack.call('POST', '/customers/C001/hypercare/transition', { token: admin(), body: {} })).status).toBe(200);
    expect(profilesRead(await round())).toEqual(['ACME', 'C001']);
    await jump('2026-11-17T08:00:00+01:00');

    // The round after the jump recorded the conclusion and queued the last digests; from then on C001 is not read.
    const events = await stack.call('GET', '/customers/C001/events', { token: admin() });
    expect(events.body.items.filter((e: { type: string }) => e.type === 'hypercare.concluded').map((e: { at: string }) => e.at)).toEqual(['2026-11-17T08:00:00.000+01:00']);
    const left = await round();
    expect(profilesRead(left)).toEqual(['ACME']);
    // The clock jumped over two Mondays in one step: the round sends the latest digest, never a backlog.
    expect((await outboxIds()).filter((id) => id.startsWith('C001:hypercare-digest:')).sort()).toEqual(['C001:hypercare-digest:2026-11-16', 'C001:hypercare-digest:go-live']);
    // Its hypercare as the API tells it is unchanged by leaving the round.
    expect((await stack.call('GET', '/customers/C001/hypercare', { token: admin() })).body).toMatchObject({ status: 'concluded', concludedAt: '2026-11-17T08:00:00.000+01:00' });
  });

  it("on Monday at 08:00 the round queues the week's digest of each customer in hypercare, still reading no other", async () => {
    // Monday 23 November, 08:00: the clock's jump runs a round.
    const monday = await recorded(() => jump('2026-11-23T08:00:00+01:00'));
    expect(profilesRead(monday)).toEqual(['ACME']);
    const digests = (await outboxIds()).filter((id) => id.includes(':hypercare-digest:'));
    expect(digests).toContain('ACME:hypercare-digest:2026-11-23');
    // Concluded on the 17th, C001 has no digest after it; each digest is queued once.
    expect(digests.filter((id) => id.startsWith('C001:'))).toHaveLength(2);
    expect(new Set(digests).size).toBe(digests.length);
    // How far they are queued is noted: the next round looks none up.
    expect((await round()).filter((r) => r.command === 'GetCommand')).toEqual([]);
  });
});
