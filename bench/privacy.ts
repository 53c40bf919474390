import { type DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { type DynamoDbLocal, ensureTable, startDynamoDbLocal } from '../bin/local/dynamodb-local';
import { createDocumentClient } from '../functions/adapters/dynamodb/client';
import { dynamoStores } from '../functions/adapters/dynamodb/stores';
import { CHILD, eventOfVersion, keys, toAlertItem, toCommentItem, toCustomerItem, toEventItem, toTicketItem, toWindowItem } from '../functions/adapters/dynamodb/table';
import type { Actor } from '../functions/domain/actor';
import type { ScheduledWindow } from '../functions/domain/availability/service-windows';
import type { Contact } from '../functions/domain/customers/customer';
import { danishCalendar } from '../functions/domain/calendar/danish-calendar';
import type { AlertMessage } from '../functions/domain/notifications/alerts';
import type { Person } from '../functions/domain/people/people';
import { PersonalDataService } from '../functions/domain/people/personal-data';
import { PRIORITIES } from '../functions/domain/sla/sla-policy';
import { openedEvent, openTicket } from '../functions/domain/tickets/ticket';
import pMap from 'p-map';
import { batchWrite, mulberry32, progress, type Row, type Suite, type SuiteResult } from './suite';

/**
 * The workload: one customer's year of tickets, each partition holding the
 * ticket, its opening (and for about half a closing) event, one comment and
 * two kept emails; service windows with a notice to each of the customers told.
 * The person erased opened some of the tickets and wrote some of the comments.
 * Each run erases another customer's person, seeded the same.
 */
const TICKETS = 2_000;
const OPENED_BY_PERSON = 100;
const COMMENTS_BY_PERSON = 200;
/** The colleagues who opened the rest of the customer's tickets. */
const COLLEAGUES = 9;
const WINDOWS = 50;
const CUSTOMERS_TOLD = 20;
/** Erasures timed, each of a fresh customer's person; the best is kept, and so for the baseline. */
const RUNS = 3;
const YEAR_FROM = Date.parse('2025-12-01T08:00:00+01:00');
const YEAR_MS = 365 * 86_400_000;
const SEED = 0x0e2a_5e23;
const TABLE = 'privacy-bench';
/** Partitions the baseline reads: every ticket of the customer, the customer's own, and each window's (the erasure reads each of them, and may read more). */
const PARTITIONS = TICKETS + 1 + WINDOWS;
/** Partitions the erasure's store reads at once (its PARALLEL_PARTITIONS): the reads-alone figure uses the same. */
const AT_ONCE = 16;

const calendar = danishCalendar();
const admin: Actor = { subject: 'admin-1', role: 'admin' };
const agent: Actor = { subject: 'agent-1', role: 'agent' };
const AGENT_NAME = 'Sara at the desk';
const customerId = (n: number) => `PRIV${String(n).padStart(2, '0')}`;
const deskAddress = (customer: string) => `it@${customer.toLowerCase()}.example`;

interface Seeded {
  readonly customerId: string;
  readonly person: Person;
  readonly items: Record<string, unknown>[];
  /** Kept emails that address or name the person: what the erasure must change. */
  readonly naming: number;
  readonly ticketPartitions: readonly string[];
}

/** A delivered email as the outbox keeps it: sent, off the queue. */
function kept(message: AlertMessage, createdAt: number): Record<string, unknown> {
  const item = toAlertItem(message, createdAt);
  delete item.GSI2PK;
  delete item.GSI2SK;
  return { ...item, status: 'sent', sentAt: createdAt + 60_000 };
}

/** Whether a message addresses or names the person (independent of the erasure's own scrubber). */
const names = (message: AlertMessage, person: Person) =>
  Boolean(message.recipients?.includes(person.email!) || [message.subject, message.body].some((text) => text.includes(person.name!) || text.includes(person.email!)));

/** `count` distinct indexes below `of`, drawn from `random`. */
function pick(count: number, of: number, random: () => number): Set<number> {
  const all = Array.from({ length: of }, (_, i) => i);
  for (let i = all.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [all[i], all[j]] = [all[j]!, all[i]!];
  }
  return new Set(all.slice(0, count));
}

/** One customer's year, the same for every customer (one seed). */
function history(n: number): Seeded {
  const customer = customerId(n);
  const random = mulberry32(SEED);
  const person: Person = {
    subject: `mette-${customer}`,
    name: 'Mette Holm',
    email: `mette.holm@${customer.toLowerCase()}.example`,
    role: 'customer',
    customerId: customer,
    issuedAt: YEAR_FROM,
    updatedAt: YEAR_FROM,
  };
  const colleagues = Array.from({ length: COLLEAGUES }, (_, k) => ({ subject: `user-${customer}-${k}`, name: `Colleague ${k}`, email: `colleague${k}@${customer.toLowerCase()}.example` }));
  const opened = pick(OPENED_BY_PERSON, TICKETS, random);
  const commented = pick(COMMENTS_BY_PERSON, TICKETS, random);
  const items: Record<string, unknown>[] = [];
  const ticketPartitions: string[] = [];
  let naming = 0;
  for (let i = 0; i < TICKETS; i++) {
    const id = `${customer}-${i + 1}`;
    const opener = opened.has(i) ? { subject: person.subject, name: person.name!, email: person.email! } : colleagues[i % COLLEAGUES]!;
    const openerActor: Actor = { subject: opener.subject, role: 'customer', customerId: customer };
    const openedAt = YEAR_FROM + Math.floor(random() * YEAR_MS);
    const ticket = openTicket(
      id,
      customer,
      { title: `Sync stopped (${i + 1})`, description: 'No users since 08:00', category: 'synchronization', priority: PRIORITIES[i % 5]! },
      openerActor,
      openedAt,
      calendar,
    );
    const closedAt = random() < 0.5 ? openedAt + 86_400_000 : undefined;
    items.push(toTicketItem(closedAt ? { ...ticket, status: 'closed', closedAt, updatedAt: closedAt, version: 2 } : ticket, calendar.timeZone));
    items.push(toEventItem(openedEvent(ticket, openerActor), eventOfVersion(1), calendar.timeZone));
    if (closedAt)
      items.push(toEventItem({ ticketId: id, at: closedAt, actor: agent, type: 'ticket.updated', changes: { status: { from: 'open', to: 'closed' } } }, eventOfVersion(2), calendar.timeZone));
    const author = commented.has(i) ? { actor: { subject: person.subject, role: 'customer', customerId: customer } as Actor, name: person.name! } : { actor: agent, name: AGENT_NAME };
    const commentAt = openedAt + 3_600_000;
    items.push(toCommentItem({ ticketId: id, id: `comment-${i}`, body: 'The sync runs again after the restart.', visibility: 'public', author: author.actor, createdAt: commentAt }));
    const about = { type: 'ticket' as const, id };
    const messages: [AlertMessage, number][] = [
      [
        {
          id: `${id}:received`,
          channel: 'email',
          kind: 'ticket-received',
          about,
          customerId: customer,
          hypercare: false,
          subject: `[${id}] We received your ticket`,
          body: `Hello ${opener.name}, we received your ticket.`,
          recipients: [opener.email],
        },
        openedAt,
      ],
      [
        {
          id: `${id}:status`,
          channel: 'email',
          kind: 'ticket-status',
          about,
          customerId: customer,
          hypercare: false,
          subject: `[${id}] Your ticket was updated`,
          body: `The latest comment, from ${author.name}, is on the ticket.`,
          recipients: [opener.email, deskAddress(customer)],
        },
        commentAt,
      ],
    ];
    for (const [message, at] of messages) {
      items.push(kept(message, at));
      if (names(message, person)) naming++;
    }
    ticketPartitions.push(keys.ticket(id).PK);
  }
  const contacts: Contact[] = [
    { email: person.email!, name: person.name!, receives: ['notices', 'updates'] },
    { email: deskAddress(customer), receives: ['alerts', 'notices', 'updates', 'reports'] },
  ];
  items.push(toCustomerItem({ customerId: customer, name: `Customer ${customer}`, contacts, updatedAt: YEAR_FROM, version: 1 }));
  // Each window's notice to this customer goes to its notice contacts, the person among them.
  return { customerId: customer, person, items, naming: naming + WINDOWS, ticketPartitions };
}

/** The windows of the year, each with a notice to every customer told; the filler customers' profiles. */
function windows(told: readonly string[], people: readonly Person[]): { items: Record<string, unknown>[]; partitions: string[] } {
  const items: Record<string, unknown>[] = [];
  const partitions: string[] = [];
  for (let w = 0; w < WINDOWS; w++) {
    const start = YEAR_FROM + Math.floor(((w + 0.5) * YEAR_MS) / WINDOWS);
    const window: ScheduledWindow = {
      id: `W${w}`,
      start,
      end: start + 2 * 3_600_000,
      reason: 'Database upgrade',
      createdAt: start - 7 * 86_400_000,
      createdBy: admin.subject,
      noticeMinutes: 7 * 24 * 60,
      retroactive: false,
    };
    items.push(toWindowItem(window));
    partitions.push(keys.window(window.id).PK);
    for (const customer of told) {
      const person = people.find((p) => p.customerId === customer);
      const recipients = [...(person ? [person.email!] : []), deskAddress(customer)];
      const notice: AlertMessage = {
        id: `${window.id}:service-window:email:${customer}`,
        channel: 'email',
        kind: 'service-window',
        about: { type: 'service-window', id: window.id },
        customerId: customer,
        hypercare: false,
        subject: 'Planned service window',
        body: 'The service is down for a database upgrade for two hours.',
        recipients,
      };
      items.push(kept(notice, window.createdAt));
    }
  }
  for (const customer of told.filter((c) => !people.some((p) => p.customerId === c))) {
    items.push(toCustomerItem({ customerId: customer, name: `Customer ${customer}`, contacts: [{ email: deskAddress(customer), receives: ['notices'] }], updatedAt: YEAR_FROM, version: 1 }));
  }
  return { items, partitions };
}

/**
 * The baseline: the kept emails of the same partitions, one plain Query after
 * another (a window's filtered to the customer, as the erasure reads it): what
 * a sequential erasure would at least cost. With `atOnce`, that many Queries
 * in flight: the reads alone of a parallel erasure. How many messages it read.
 */
async function readPartitions(db: DynamoDBDocumentClient, customer: string, partitions: readonly { PK: string; window: boolean }[], atOnce = 1): Promise<number> {
  let read = 0;
  await pMap(
    partitions,
    async ({ PK, window }) => {
      const input: QueryCommandInput = {
        TableName: TABLE,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :alert)',
        ...(window
          ? { FilterExpression: 'message.customerId = :customer', ExpressionAttributeValues: { ':pk': PK, ':alert': CHILD.alert, ':customer': customer } }
          : { ExpressionAttributeValues: { ':pk': PK, ':alert': CHILD.alert } }),
      };
      let start: Record<string, unknown> | undefined;
      do {
        const page = await db.send(new QueryCommand({ ...input, ...(start ? { ExclusiveStartKey: start } : {}) }));
        read += page.Items?.length ?? 0;
        start = page.LastEvaluatedKey;
      } while (start);
    },
    { concurrency: atOnce },
  );
  return read;
}

async function timed<T>(run: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await run();
  return { ms: performance.now() - start, value };
}

async function run(): Promise<SuiteResult> {
  let dynamo: DynamoDbLocal | undefined;
  try {
    progress('privacy: starting DynamoDB Local (in memory)');
    dynamo = await startDynamoDbLocal();
    await ensureTable(dynamo.endpoint, TABLE);
    const db = createDocumentClient({ endpoint: dynamo.endpoint });
    // The partitions the erasure queries (the table, not an index): it cannot pass by reading nothing.
    let read: string[] | undefined;
    db.middlewareStack.add(
      (next, context) => async (args) => {
        const input = args.input as { IndexName?: string; ExpressionAttributeValues?: Record<string, unknown> };
        if (read && context.commandName === 'QueryCommand' && !input.IndexName) read.push(String(input.ExpressionAttributeValues?.[':pk']));
        return next(args);
      },
      { step: 'initialize', name: 'recordPartitionReads' },
    );
    const stores = dynamoStores(db, TABLE, calendar.timeZone);
    const service = new PersonalDataService({ ...stores, now: () => Date.parse('2026-12-06T10:00:00+01:00') });

    const customers = Array.from({ length: RUNS }, (_, n) => history(n));
    const told = [...customers.map((c) => c.customerId), ...Array.from({ length: CUSTOMERS_TOLD - RUNS }, (_, n) => `FILL${String(n).padStart(2, '0')}`)];
    const year = windows(
      told,
      customers.map((c) => c.person),
    );
    progress(`privacy: seeding ${RUNS} customers of ${TICKETS} tickets each, ${WINDOWS} service windows told to ${CUSTOMERS_TOLD} customers`);
    const seeding = await timed(() => batchWrite(db, TABLE, [...customers.flatMap((c) => c.items), ...year.items]));
    progress(`privacy: seeded in ${(seeding.ms / 1000).toFixed(1)} s`);
    for (const c of customers) await stores.people.remember(c.person);

    let partitionsRead = 0;
    const best = { erasureMs: Number.POSITIVE_INFINITY, baselineMs: Number.POSITIVE_INFINITY, readsAtOnceMs: Number.POSITIVE_INFINITY };
    let scrubbed = 0;
    let redacted = 0;
    for (const [i, c] of customers.entries()) {
      progress(`privacy: run ${i + 1} of ${RUNS}: the partitions one by one, ${AT_ONCE} at a time, then the erasure of ${c.person.subject}`);
      const partitions = [...c.ticketPartitions, keys.customer(c.customerId).PK].map((PK) => ({ PK, window: false })).concat(year.partitions.map((PK) => ({ PK, window: true })));
      const baseline = await timed(() => readPartitions(db, c.customerId, partitions));
      const readsAtOnce = await timed(() => readPartitions(db, c.customerId, partitions, AT_ONCE));
      // Each ticket keeps two emails, each window one for this customer.
      for (const reads of [baseline, readsAtOnce]) {
        if (reads.value !== 2 * TICKETS + WINDOWS) throw new Error(`privacy: the partitions held ${reads.value} messages, not ${2 * TICKETS + WINDOWS}`);
      }
      read = [];
      const erasure = await timed(() => service.erase(admin, c.person.subject, { reason: 'Erasure request (benchmark)', redactText: true }));
      const queried = new Set(read);
      partitionsRead = read.length;
      read = undefined;
      const result = erasure.value;
      if (!result.erased || !result.contact) throw new Error(`privacy: ${c.person.subject} was not erased: ${JSON.stringify(result)}`);
      if (result.messages !== c.naming) throw new Error(`privacy: the erasure scrubbed ${result.messages} messages, ${c.naming} name or address the person`);
      if (result.redactedComments !== COMMENTS_BY_PERSON) throw new Error(`privacy: the erasure redacted ${result.redactedComments} comments, the person wrote ${COMMENTS_BY_PERSON}`);
      const unread = partitions.filter((p) => !queried.has(p.PK));
      if (unread.length) throw new Error(`privacy: the erasure did not read ${unread.length} of the ${PARTITIONS} partitions seeded, e.g. ${unread[0]!.PK}`);
      scrubbed = result.messages;
      redacted = result.redactedComments;
      best.erasureMs = Math.min(best.erasureMs, erasure.ms);
      best.baselineMs = Math.min(best.baselineMs, baseline.ms);
      best.readsAtOnceMs = Math.min(best.readsAtOnceMs, readsAtOnce.ms);
    }
    db.destroy();
    return {
      privacy: {
        tickets: TICKETS,
        partitionsRead,
        partitionsSeeded: PARTITIONS,
        erasureMs: best.erasureMs,
        baselineMs: best.baselineMs,
        readsAtOnceMs: best.readsAtOnceMs,
        fasterThanOneByOne: best.baselineMs / best.erasureMs,
        messagesScrubbed: scrubbed,
        commentsRedacted: redacted,
      },
    };
  } finally {
    await dynamo?.stop();
  }
}

export const privacySuite: Suite = {
  name: 'privacy',
  title: `A person's erasure (redactText) on DynamoDB Local: a customer of ${TICKETS.toLocaleString('en')} tickets, ${WINDOWS} service windows told to ${CUSTOMERS_TOLD} customers; the person opened ${OPENED_BY_PERSON} and commented on ${COMMENTS_BY_PERSON}; against reading the same partitions one by one, best of ${RUNS}`,
  run,
  table(result): Row[] {
    const r = result.privacy!;
    return [
      { label: 'partitions the erasure read', value: r.partitionsRead!, unit: 'partitions' },
      { label: 'erasure', value: r.erasureMs!, unit: 'ms' },
      { label: `the ${r.partitionsSeeded!.toLocaleString('en')} partitions seeded, one Query after another`, value: r.baselineMs!, unit: 'ms' },
      { label: `the same, ${AT_ONCE} Queries at a time (the erasure's reads alone)`, value: r.readsAtOnceMs!, unit: 'ms' },
      // Lower is better for the time, so the goal is on its inverse: not slower than one by one.
      { label: 'one by one ÷ erasure: × faster than one by one', value: r.fasterThanOneByOne!, unit: 'ratio', goal: 1 },
      { label: 'kept emails scrubbed (as seeded)', value: r.messagesScrubbed!, unit: 'messages' },
      { label: 'comments redacted (as seeded)', value: r.commentsRedacted!, unit: 'comments' },
    ];
  },
};
