import { randomUUID } from 'node:crypto';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '#adapters/dynamodb/client';
import { keys } from '#adapters/dynamodb/table';
import { timerName } from '#domain/sla/sla-timers';
import { LOCAL_TABLE } from '../../bin/local/stack';
import type { StackProcess } from './stack-process';
import { aTicket } from './test-stack';

/** Tickets opened over HTTP against a stack that is killed meanwhile, by Idempotency-Key. */
export interface Ledger {
  /** The request body sent with each key, so a retry sends the same request. */
  readonly bodies: Map<string, Record<string, unknown>>;
  /** Keys answered 201, with the ticket id the answer named. */
  readonly acknowledged: Map<string, string>;
  /** Keys whose request got no answer: the stack died under it. */
  readonly unanswered: Set<string>;
  /** Keys sent again after a restart because the first try got no answer. */
  readonly retried: string[];
  /** Answers other than 201 (there must be none): key and status. */
  readonly refused: { key: string; status: number; body: string }[];
}

export const newLedger = (): Ledger => ({ bodies: new Map(), acknowledged: new Map(), unanswered: new Set(), retried: [], refused: [] });

async function postTicket(url: string, token: string, ledger: Ledger, key: string): Promise<'answered' | 'no-answer'> {
  const body = ledger.bodies.get(key)!;
  let response: Response;
  let text: string;
  try {
    response = await fetch(`${url}/tickets`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': key },
      body: JSON.stringify(body),
    });
    text = await response.text();
  } catch {
    ledger.unanswered.add(key);
    return 'no-answer';
  }
  ledger.unanswered.delete(key);
  if (response.status === 201) ledger.acknowledged.set(key, (JSON.parse(text) as { id: string }).id);
  else ledger.refused.push({ key, status: response.status, body: text.slice(0, 500) });
  return 'answered';
}

/**
 * `concurrency` clients open tickets (each with its own Idempotency-Key) until
 * `crashAfter` more have been acknowledged; then the application is killed
 * with -9 while the others' requests are still in flight.
 */
export async function openTicketsUntilCrash(stack: StackProcess, token: string, ledger: Ledger, { concurrency = 8, crashAfter = 40 } = {}): Promise<void> {
  const target = ledger.acknowledged.size + crashAfter;
  let crash: Promise<void> | undefined;
  const client = async () => {
    while (!crash) {
      const key = randomUUID();
      ledger.bodies.set(key, aTicket({ priority: 'highest', title: `Crash load ${key.slice(0, 8)}` }));
      await postTicket(stack.url, token, ledger, key);
      if (!crash && ledger.acknowledged.size >= target) crash = stack.crash();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, client));
  await crash;
}

/** Sends every unanswered request again with its key, as a client would after a restart. */
export async function retryUnanswered(url: string, token: string, ledger: Ledger): Promise<void> {
  for (const key of [...ledger.unanswered]) {
    ledger.retried.push(key);
    if ((await postTicket(url, token, ledger, key)) === 'no-answer') throw new Error(`the restarted stack did not answer the retry of ${key}`);
  }
}

interface TableContents {
  readonly tickets: Map<string, Record<string, unknown>>;
  readonly events: Map<string, Record<string, unknown>[]>;
  readonly timers: Set<string>;
  readonly idempotency: Map<string, Record<string, unknown>>;
}

/** Everything in the stack's table, read straight from its DynamoDB Local engine. */
async function readTable(endpoint: string): Promise<TableContents> {
  const db = createDocumentClient({ endpoint });
  const contents: TableContents = { tickets: new Map(), events: new Map(), timers: new Set(), idempotency: new Map() };
  try {
    let start: Record<string, unknown> | undefined;
    do {
      const page = await db.send(new ScanCommand({ TableName: LOCAL_TABLE, ConsistentRead: true, ...(start ? { ExclusiveStartKey: start } : {}) }));
      for (const item of page.Items ?? []) {
        const pk = String(item.PK);
        const sk = String(item.SK);
        if (item.entity === 'ticket') contents.tickets.set(String(item.id), item);
        else if (item.entity === 'event' && pk.startsWith('TICKET#')) {
          const id = pk.slice('TICKET#'.length);
          contents.events.set(id, [...(contents.events.get(id) ?? []), item]);
        } else if (item.entity === 'timer') contents.timers.add(pk.slice('TIMER#'.length));
        else if (sk === 'IDEMPOTENCY') contents.idempotency.set(pk, item);
      }
      start = page.LastEvaluatedKey;
    } while (start);
  } finally {
    db.destroy();
  }
  return contents;
}

/** What a check after a restart found. */
export interface Findings {
  /** Tickets acknowledged with 201 before the crash (or on a retry). */
  readonly acknowledged: number;
  /** Of those, the ones the restarted stack still has (by id, and in the list). */
  readonly found: number;
  readonly missing: readonly string[];
  /** Tickets in the table that are not whole, with why. */
  readonly halfWritten: readonly string[];
  /** Keys that made more than one ticket, or tickets no request asked for. */
  readonly strays: readonly string[];
  readonly listed: number;
}

/**
 * Ticket creation is: arm the warning and breach timers, then one
 * TransactWriteItems of ticket, its `ticket.opened` event and the
 * Idempotency-Key's record. A ticket is whole when all of those are there;
 * anything less is half-written. (Timers without a ticket are allowed: they
 * find no ticket when they fire and do nothing.) `timersArmed` is false once
 * the clock has passed the deadlines and the timers have fired.
 */
export async function inspect(stack: StackProcess, agentToken: string, ledger: Ledger, { timersArmed = true } = {}): Promise<Findings> {
  const engine = await stack.engine();
  const table = await readTable(`http://127.0.0.1:${engine.port}`);
  const listed = new Set<string>();
  let cursor: string | null = null;
  do {
    const page = await getJson(stack.url, `/tickets?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, agentToken);
    for (const item of page.body.items as { id: string }[]) listed.add(item.id);
    cursor = page.body.nextCursor as string | null;
  } while (cursor);

  const missing: string[] = [];
  for (const id of ledger.acknowledged.values()) {
    const { status } = await getJson(stack.url, `/tickets/${id}`, agentToken);
    if (status !== 200 || !listed.has(id) || !table.tickets.has(id)) missing.push(`${id}: GET ${status}, ${listed.has(id) ? '' : 'not '}listed`);
  }

  const halfWritten: string[] = [];
  const owners = new Map<string, string>();
  for (const [id, ticket] of table.tickets) {
    const why: string[] = [];
    if (typeof ticket.firstResponseDueAt !== 'number' || typeof ticket.openedAt !== 'number') why.push('no deadline');
    const opened = (table.events.get(id) ?? []).filter((e) => e.type === 'ticket.opened');
    if (opened.length !== 1) why.push(`${opened.length} ticket.opened events`);
    if (timersArmed) {
      const due = new Date(ticket.firstResponseDueAt as number).toISOString();
      if (!table.timers.has(timerName({ ticketId: id, kind: 'breach', dueAt: due }))) why.push('no breach timer');
      if (![...table.timers].some((name) => name.startsWith(`sla-${id}-warning-`))) why.push('no warning timer');
    }
    const key = [...ledger.bodies.keys()].find((k) => table.idempotency.get(keys.idempotency(String(ticket.customerId), k).PK)?.resourceId === id);
    if (!key) why.push('no Idempotency-Key record');
    else if (owners.has(key)) why.push(`key ${key} also made ${owners.get(key)}`);
    else owners.set(key, id);
    if (!listed.has(id)) why.push('not listed');
    if (why.length) halfWritten.push(`${id}: ${why.join(', ')}`);
  }
  const strays = [...listed].filter((id) => !table.tickets.has(id)).map((id) => `${id}: listed but not in the table`);
  for (const [key, id] of ledger.acknowledged) if (owners.get(key) !== id) strays.push(`${key}: acknowledged as ${id}, its record names ${owners.get(key)}`);
  const acknowledged = ledger.acknowledged.size;
  return { acknowledged, found: acknowledged - missing.length, missing, halfWritten, strays, listed: listed.size };
}

async function getJson(url: string, path: string, token: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}
