import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { type Sample, slotOf } from '../../domain/availability/availability';
import type { FanOut, ScheduledWindow } from '../../domain/availability/service-windows';
import type { ConsultancyRequest } from '../../domain/consultancy/consultancy';
import type { ConsultancyEvent } from '../../domain/consultancy/consultancy-store';
import type { ReportVersion } from '../../domain/reports/report-archive';
import type { BillableEntry } from '../../domain/consultancy/statement';
import type { CustomerEvent, CustomerProfile, WatchedCustomer } from '../../domain/customers/customer';
import type { AlertMessage } from '../../domain/notifications/alerts';
import { correlated } from '../correlation';
import type { SlaTimer } from '../../domain/sla/sla-timers';
import { customerOfTicket } from '../../domain/identifiers';
import { type LocalMonth, monthOf, parseMonth } from '../../domain/month';
import { awaitsSlaOutcome, type Comment, type SlaState, type Ticket, type TicketEvent } from '../../domain/tickets/ticket';
import type { IdempotencyClaim } from '../../domain/idempotency';
import type { Integration } from '../../domain/integrations/integration';
import type { Person } from '../../domain/people/people';
import type { PersonDataEvent } from '../../domain/people/personal-data';
import type { Attachment } from '../../domain/tickets/attachments';
import { isDesk } from '../../domain/policy';
import { INTEGRATION_SUBJECT, isSystem } from '../../domain/actor';
import { REFUSALS, refusalsOf } from '../../domain/inbound/inbound-message';

/**
 * The single table: every key shape and item mapper lives here.
 *
 * Access patterns
 * | pattern                              | where   | key                                                  |
 * |--------------------------------------|---------|------------------------------------------------------|
 * | ticket by id                         | table   | PK=TICKET#<id>, SK=TICKET                            |
 * | a ticket's audit events, in order    | table   | PK=TICKET#<id>, SK begins_with EVENT#                |
 * | a ticket's comments, in order        | table   | PK=TICKET#<id>, SK begins_with COMMENT#              |
 * | a customer's tickets, newest first   | GSI1    | GSI1PK=CUSTOMER#<customerId>, GSI1SK=<openedAt>#<id> |
 * | all tickets (agents), newest first   | GSI2    | GSI2PK=TICKETS, GSI2SK=<openedAt>#<id>               |
 * | next ticket number of a customer     | table   | PK=CUSTOMER#<customerId>, SK=SEQUENCE                |
 * | an Idempotency-Key's first answer    | table   | PK=IDEMPOTENCY#<scope>#<key>, SK=IDEMPOTENCY         |
 * | a ticket's alerts (outbox)           | table   | PK=TICKET#<id>, SK=ALERT#<kind>#<channel>            |
 * | undelivered alerts, oldest first     | GSI2    | GSI2PK=OUTBOX, GSI2SK=<createdAt>#<id> (sparse)      |
 * | a customer's profile                 | table   | PK=CUSTOMER#<customerId>, SK=PROFILE                 |
 * | a consultancy request                 | table   | PK=CONSULTANCY#<id>, SK=REQUEST                      |
 * | a consultancy request's audit events | table   | PK=CONSULTANCY#<id>, SK begins_with EVENT#           |
 * | a consultancy request's time entries | table   | PK=CONSULTANCY#<id>, SK=ENTRY#<entryId>              |
 * | a customer's consultancy, newest first | GSI1  | GSI1PK=CUSTOMER#<customerId>#CONSULTANCY, GSI1SK=<proposedAt>#<id> |
 * | all consultancy, newest first        | GSI2    | GSI2PK=CONSULTANCY, GSI2SK=<proposedAt>#<id>         |
 * | a customer's audit events, in order  | table   | PK=CUSTOMER#<customerId>, SK begins_with EVENT#      |
 * | its hypercare's conclusion, once     | table   | PK=CUSTOMER#<customerId>, SK=CONCLUDED               |
 * | local timers due by now (local only) | GSI2    | GSI2PK=TIMERS, GSI2SK=<dueAt>#<name>                 |
 * | a target's probe samples of a month  | table   | PK=SAMPLES#<target>#<YYYY-MM>, SK=<slot start, UTC>  |
 * | every customer (for notices)         | GSI2    | GSI2PK=CUSTOMERS, GSI2SK=<customerId>                |
 * | a service window                     | table   | PK=SERVICE_WINDOW#<id>, SK=WINDOW                    |
 * | service windows by start             | GSI2    | GSI2PK=WINDOWS, GSI2SK=<start>#<id>                  |
 * | a month's report versions, in order  | table   | PK=REPORT#<YYYY-MM>, SK=VERSION#<000001>             |
 * | report versions by month (a year's)  | GSI2    | GSI2PK=REPORTS, GSI2SK=<YYYY-MM>#<000001>            |
 * | running tickets by first-response due| GSI3    | GSI3PK=SLA#RUNNING, GSI3SK=<dueAt>#<id> (sparse)     |
 * | service windows with notices pending | GSI3    | GSI3PK=FANOUT, GSI3SK=<createdAt>#<id> (sparse)      |
 * | customers the relay watches each minute | GSI3 | GSI3PK=HYPERCARE, GSI3SK=<customerId> (sparse)       |
 * | what happened in a month, by kind    | GSI4    | GSI4PK=<KIND>#<YYYY-MM>, GSI4SK=<customerId>#<at>#<id> |
 * | an integration's key (the authorizer)| table   | PK=INTEGRATION#<integrationId>, SK=INTEGRATION       |
 * | the deployment's probe targets       | table   | PK=SETTINGS#probe-targets, SK=SETTINGS (deploy-time) |
 * | a person's record (name, email)      | table   | PK=PERSON#<subject>, SK=PERSON                       |
 * | who may own tickets (agents, admins) | GSI2    | GSI2PK=PEOPLE#agent, GSI2SK=<name, lower case>#<subject> |
 * | people by email address              | GSI1    | GSI1PK=EMAIL#<address, lower case>, GSI1SK=<subject> |
 * | what was done with a person's data   | table   | PK=PERSON#<subject>, SK=EVENT#<at>#<unique> (exported, erased: who, when, why) |
 * | what a person did (export, erasure)  | GSI1    | GSI1PK=ACTS#<subject>, GSI1SK=<at>#<PK>#<SK>: events, comments, attachments, customer and consultancy events, time entries |
 * | a ticket's message of one occasion   | table   | PK=TICKET#<id>, SK=ALERT#<message id> (assignment, received, reply, status, urgent) |
 * | a ticket's attachments               | table   | PK=TICKET#<id>, SK=ATTACHMENT#<attachmentId> (TTL while pending or rejected) |
 * | its attachment list's version        | table   | PK=TICKET#<id>, SK=UPLOADS (each addition moves it on) |
 * | the polite refusals to one address  | table   | PK=INBOUND#refusals, SK begins_with ALERT#inbound-refused#<address>#  (one a day) |
 * | a received email's claim (once each) | table   | PK=INBOUND#<hash of its Message-ID>, SK=MESSAGE (TTL 30 days); a known sender's filed under ACTS# with its raw key |
 *
 * GSI3 holds a ticket while its first-response outcome is still to be
 * recorded (see `awaitsSlaOutcome`): the sweep reads what is overdue there,
 * and agents' "what breaches next" reads it in due order.
 *
 * GSI3 also holds the customers the relay's minute round watches: a profile
 * with a go-live agreed is filed under HYPERCARE by every save of it (the
 * mark is part of the item the conditional put writes), until the relay
 * settles it once its hypercare has concluded, the conclusion is recorded and
 * the last digests are queued (`settleWatch`: the mark goes, `hypercareSettledAt`
 * stays as its trace). A later save files it again, and the next round settles
 * it again. The minute round reads only this partition, never the full list.
 *
 * GSI4 answers "what happened in month M" without a Scan: each audit event
 * that is a ticket outcome (opened, first response, breach, closed) is filed
 * under its kind and local month, and so is each consultancy time entry
 * (CONSULTANCY#<YYYY-MM>, by the day the work was done), and each ticket item
 * itself under the month it was opened (TICKETS#<YYYY-MM>): the monthly report
 * reads the month's tickets, as they stand, in one Query.
 *
 * GSI2 has one partition for all tickets: a helpdesk opens far fewer tickets
 * than a partition's write limit, and agents need one ordered list.
 */
/**
 * The global secondary indexes, named in code by what they hold (their
 * physical names stay: a deployed index is not renamed in place).
 * - byCustomer: one customer's tickets and consultancy, newest first;
 * - lists: the ordered lists across customers (all tickets, the outbox, consultancy, customers, windows, reports);
 * - pending: sparse, what still awaits something (running tickets, window notices to write, watched customers);
 * - byMonth: what happened in a month, by kind.
 */
export const INDEX = { byCustomer: 'GSI1', lists: 'GSI2', pending: 'GSI3', byMonth: 'GSI4' } as const;
export const TTL_ATTRIBUTE = 'expiresAt';

/** An audit event's key suffix from its record's version: unique per record, so two events of one instant stay apart, in order. */
export const eventOfVersion = (version: number) => `v${String(version).padStart(10, '0')}`;

/** Report version numbers sort as text. */
const versionNumber = (version: number) => String(version).padStart(6, '0');

/**
 * Every partition key starts with one of these. The IAM conditions that scope
 * a function to some partitions (dynamodb:LeadingKeys) are built from them
 * (`partitionsUnder`), so a renamed prefix moves its grants with it.
 */
export const PARTITION = {
  ticket: 'TICKET#',
  customer: 'CUSTOMER#',
  idempotency: 'IDEMPOTENCY#',
  consultancy: 'CONSULTANCY#',
  timer: 'TIMER#',
  samples: 'SAMPLES#',
  serviceWindow: 'SERVICE_WINDOW#',
  report: 'REPORT#',
  target: 'TARGET#',
  /** Integrations' keys: the authorizer reads these and nothing else. */
  integration: 'INTEGRATION#',
  /** The deployment's settings, written at deploy rather than into every function's environment, which Lambda caps at 4 KB. */
  settings: 'SETTINGS#',
  /** People's records, by their token's subject: the authorizer writes these and nothing else. */
  person: 'PERSON#',
  /** Received emails' claims: the ingest function writes these and nothing else. */
  inbound: 'INBOUND#',
} as const;

/** The sort-key prefixes of a record's children, kept in its partition. */
export const CHILD = { event: 'EVENT#', comment: 'COMMENT#', alert: 'ALERT#', entry: 'ENTRY#', version: 'VERSION#', attachment: 'ATTACHMENT#' } as const;

/** The dynamodb:LeadingKeys pattern of every partition under a prefix. */
export const partitionsUnder = (prefix: (typeof PARTITION)[keyof typeof PARTITION]) => `${prefix}*`;

/** A service window's email notices: one alert item per customer told. */
export const windowNoticesPrefix = `${CHILD.alert}service-window#email#`;

export const keys = {
  settings: (name: 'probe-targets') => ({ PK: `${PARTITION.settings}${name}`, SK: 'SETTINGS' }),
  integration: (integrationId: string) => ({ PK: `${PARTITION.integration}${integrationId}`, SK: 'INTEGRATION' }),
  person: (subject: string) => ({ PK: `${PARTITION.person}${subject}`, SK: 'PERSON' }),
  inboundMessage: (messageKey: string) => ({ PK: `${PARTITION.inbound}${messageKey}`, SK: 'MESSAGE' }),
  ticket: (id: string) => ({ PK: `${PARTITION.ticket}${id}`, SK: 'TICKET' }),
  attachment: (ticketId: string, id: string) => ({ PK: `${PARTITION.ticket}${ticketId}`, SK: `${CHILD.attachment}${id}` }),
  uploads: (ticketId: string) => ({ PK: `${PARTITION.ticket}${ticketId}`, SK: 'UPLOADS' }),
  event: (ticketId: string, at: number, unique: string) => ({ PK: `${PARTITION.ticket}${ticketId}`, SK: `${CHILD.event}${stamp(at)}#${unique}` }),
  comment: (ticketId: string, at: number, id: string) => ({ PK: `${PARTITION.ticket}${ticketId}`, SK: `${CHILD.comment}${stamp(at)}#${id}` }),
  sequence: (customerId: string) => ({ PK: `${PARTITION.customer}${customerId}`, SK: 'SEQUENCE' }),
  idempotency: (customerId: string, key: string) => ({ PK: `${PARTITION.idempotency}${customerId}#${key}`, SK: 'IDEMPOTENCY' }),
  /** An alert lives beside what it is about: its ticket, or its service window. */
  alert: (message: Pick<AlertMessage, 'id' | 'about' | 'customerId' | 'kind' | 'channel'>) =>
    message.about.type === 'customer' ||
    message.about.type === 'target' ||
    message.about.type === 'report' ||
    message.about.type === 'inbound' ||
    (message.about.type === 'ticket' && OCCASIONAL.has(message.kind))
      ? // About a customer (beside its profile), a probe target, a report, received email (its polite refusals), or a ticket's message of an occasion
        // that recurs (an assignment): one item per message, its id naming the occasion.
        { PK: `${PARTITION[message.about.type]}${message.about.id}`, SK: `${CHILD.alert}${message.id}` }
      : {
          PK: `${message.about.type === 'ticket' ? PARTITION.ticket : PARTITION.serviceWindow}${message.about.id}`,
          // A notice goes to each customer by email: one item each.
          SK: `${CHILD.alert}${message.kind}#${message.channel}${message.about.type !== 'ticket' && message.customerId ? `#${message.customerId}` : ''}`,
        },
  /** The polite refusals sent to one address: one partition, their sort keys starting with it. */
  refusalsTo: (email: string) => keys.alert({ id: refusalsOf(email), about: { type: 'inbound', id: REFUSALS }, kind: 'inbound-refused', channel: 'email' }),
  customer: (customerId: string) => ({ PK: `${PARTITION.customer}${customerId}`, SK: 'PROFILE' }),
  customerEvent: (customerId: string, at: number, unique: string) => ({ PK: `${PARTITION.customer}${customerId}`, SK: `${CHILD.event}${stamp(at)}#${unique}` }),
  consultancy: (id: string) => ({ PK: `${PARTITION.consultancy}${id}`, SK: 'REQUEST' }),
  consultancyEvent: (id: string, at: number, unique: string) => ({ PK: `${PARTITION.consultancy}${id}`, SK: `${CHILD.event}${stamp(at)}#${unique}` }),
  consultancyEntry: (id: string, entryId: string) => ({ PK: `${PARTITION.consultancy}${id}`, SK: `${CHILD.entry}${entryId}` }),
  customerConsultancy: (customerId: string) => `${PARTITION.customer}${customerId}#CONSULTANCY`,
  allConsultancy: 'CONSULTANCY',
  conclusion: (customerId: string) => ({ PK: `${PARTITION.customer}${customerId}`, SK: 'CONCLUDED' }),
  timer: (name: string) => ({ PK: `${PARTITION.timer}${name}`, SK: 'TIMER' }),
  sample: (target: string, month: string, slot: number) => ({ PK: keys.samples(target, month), SK: stamp(slot) }),
  samples: (target: string, month: string) => `${PARTITION.samples}${target}#${month}`,
  window: (id: string) => ({ PK: `${PARTITION.serviceWindow}${id}`, SK: 'WINDOW' }),
  reportVersion: (month: string, version: number) => ({ PK: keys.reportVersions(month), SK: `${CHILD.version}${versionNumber(version)}` }),
  /** A month's report versions: one partition. */
  reportVersions: (month: string) => `${PARTITION.report}${month}`,
  /** Every version in GSI2's `REPORTS` partition, by month then number; `reportsOfYear` is a year's prefix. */
  reportOrder: (month: string, version: number) => `${month}#${versionNumber(version)}`,
  reportsOfYear: (year: number) => `${year}-`,
  reports: 'REPORTS',
  outbox: 'OUTBOX',
  /** Queued alerts sort by when they may next be tried. */
  outboxOrder: (at: number, alertId: string) => `${stamp(at)}#${alertId}`,
  customers: 'CUSTOMERS',
  windows: 'WINDOWS',
  timers: 'TIMERS',
  customerTickets: (customerId: string) => `${PARTITION.customer}${customerId}`,
  allTickets: 'TICKETS',
  runningTickets: 'SLA#RUNNING',
  fanOuts: 'FANOUT',
  watchedCustomers: 'HYPERCARE',
  /** Sorts running tickets by due time; `dueBy` bounds a query to those due at or before an instant. */
  running: (dueAt: number, ticketId: string) => `${stamp(dueAt)}#${ticketId}`,
  dueBy: (instant: number) => `${stamp(instant)}#~`,
  /** The people who may own tickets (agents and admins), by name: the assign menu. */
  deskPeople: 'PEOPLE#agent',
  /** A person's place in that list: by the name people read, then subject (two of one name stay apart). */
  deskOrder: (person: Pick<Person, 'subject' | 'name' | 'email'>) => `${(person.name ?? person.email ?? '').toLocaleLowerCase('en')}#${person.subject}`,
  /** People by address: who wrote an email, whose data is asked for. */
  personEmail: (email: string) => `EMAIL#${email.toLowerCase()}`,
  /** Everything a person did, in time order: their data's export and erasure read it. */
  acts: (subject: string) => `ACTS#${subject}`,
  /** A kind of happening in a local month, and its place there: by customer, then time. */
  month: (kind: MonthKind, month: LocalMonth) => `${kind}#${month}`,
  inMonth: (customerId: string, at: number, id: string) => `${customerId}#${stamp(at)}#${id}`,
  /** One customer's slice of a month's partition: the prefix of its `inMonth` keys. */
  inMonthOf: (customerId: string) => `${customerId}#`,
};

/**
 * Where a person's erasure may delete (its function's only DeleteItem, as
 * dynamodb:LeadingKeys patterns): attachment records, in their tickets'
 * partitions, and the polite refusals to their address, whose keys hold it.
 */
export const ERASED_FROM = [partitionsUnder(PARTITION.ticket), keys.refusalsTo('').PK] as const;

/** A ticket's messages of an occasion (an assignment, a comment, a status, its opening): keyed by their ids, which name the occasion; its SLA alerts are once per kind and channel. */
const OCCASIONAL: ReadonlySet<AlertMessage['kind']> = new Set(['ticket-assigned', 'ticket-received', 'ticket-reply', 'ticket-status', 'ticket-urgent', 'ticket-customer-reply']);

/** What the months index files: the ticket outcomes a month's report counts, consultancy time, and the tickets themselves by the month they were opened. */
const MONTH_KINDS = ['OPENED', 'RESPONDED', 'BREACHED', 'CLOSED', 'CONSULTANCY', 'TICKETS'] as const;
export type MonthKind = (typeof MONTH_KINDS)[number];

/** The kind a ticket event is filed under in its month, if it is an outcome. */
function monthKindOf(event: TicketEvent): MonthKind | undefined {
  if (event.type === 'ticket.opened') return 'OPENED';
  if (event.type === 'ticket.first-response') return 'RESPONDED';
  if (event.type === 'sla.breached') return 'BREACHED';
  if (event.type === 'ticket.updated' && event.changes.status?.to === 'closed') return 'CLOSED';
  return undefined;
}

/** The items of an index partition whose time-ordered sort key is at or before `instant`, earliest first. */
export function dueQuery(index: (typeof INDEX)[keyof typeof INDEX], partition: string, instant: number, limit: number) {
  return {
    IndexName: index,
    KeyConditionExpression: `${index}PK = :partition AND ${index}SK <= :due`,
    ExpressionAttributeValues: { ':partition': partition, ':due': keys.dueBy(instant) },
    Limit: limit,
  };
}

/** Fixed-width UTC time, so sort keys order by time. */
const stamp = (t: number) => new Date(t).toISOString();

/** What the relay keeps on a watched profile besides the mark: how far its digests are known queued, and that it was settled. */
const WATCH_ATTRIBUTES = ['digestsQueuedThrough', 'hypercareSettledAt'] as const;

/** Attributes the table keeps for itself: keys, index keys, the entity tag, the expiry, the relay's watch. */
const STORAGE_ATTRIBUTES = new Set(['PK', 'SK', ...Object.values(INDEX).flatMap((index) => [`${index}PK`, `${index}SK`]), 'entity', 'fanOut', 'titleSearch', TTL_ATTRIBUTE, ...WATCH_ATTRIBUTES]);

/** An item read back as the entity it stores: every item is written as keys plus the entity itself. */
function entityOf<T>(item: Record<string, unknown>): T {
  return Object.fromEntries(Object.entries(item).filter(([name]) => !STORAGE_ATTRIBUTES.has(name))) as T;
}

/** A ticket, filed by customer, among all tickets, while running by due time, and under the month it was opened (in `timeZone`). */
export function toTicketItem(ticket: Ticket, timeZone: string): Record<string, unknown> {
  const order = `${stamp(ticket.openedAt)}#${ticket.id}`;
  return {
    ...keys.ticket(ticket.id),
    GSI1PK: keys.customerTickets(ticket.customerId),
    GSI1SK: order,
    GSI2PK: keys.allTickets,
    GSI2SK: order,
    ...runningIndexOf(ticket),
    [`${INDEX.byMonth}PK`]: keys.month('TICKETS', monthOf(ticket.openedAt, timeZone)),
    [`${INDEX.byMonth}SK`]: keys.inMonth(ticket.customerId, ticket.openedAt, ticket.id),
    entity: 'ticket',
    ...ticket,
    // Titles are searched without regard to case: DynamoDB's contains() is case-sensitive.
    titleSearch: ticket.title.toLocaleLowerCase('en'),
  };
}

/** A ticket's place among the running tickets, while its first-response outcome is still to be recorded. */
function runningIndexOf(ticket: Ticket): Record<string, string> {
  return awaitsSlaOutcome(ticket) ? { GSI3PK: keys.runningTickets, GSI3SK: keys.running(ticket.firstResponseDueAt, ticket.id) } : {};
}

/**
 * A filter over ticket items: any of the statuses, a priority, a customer, an
 * owner (or none), and the first-response SLA state at `now`, in DynamoDB's words. The SLA states
 * mirror `slaOf` (a test lists tickets in every state both ways).
 */
export function ticketFilter(filter: {
  customerId?: string;
  status?: readonly string[];
  priority?: string;
  sla?: SlaState;
  title?: string;
  answered?: boolean;
  /** A subject, or null for tickets no one owns. */
  assignee?: string | null;
  now: number;
}) {
  const parts: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  if (filter.customerId !== undefined) {
    parts.push('customerId = :customer');
    values[':customer'] = filter.customerId;
  }
  if (filter.assignee === null) parts.push('attribute_not_exists(assignee)');
  else if (filter.assignee !== undefined) {
    parts.push('assignee = :assignee');
    values[':assignee'] = filter.assignee;
  }
  if (filter.status?.length) {
    names['#status'] = 'status';
    parts.push(`#status IN (${filter.status.map((_, i) => `:status${i}`).join(', ')})`);
    for (const [i, status] of filter.status.entries()) values[`:status${i}`] = status;
  }
  if (filter.priority !== undefined) {
    names['#priority'] = 'priority';
    parts.push('#priority = :priority');
    values[':priority'] = filter.priority;
  }
  if (filter.sla !== undefined) {
    const due = 'firstResponseDueAt';
    const unstopped = 'attribute_not_exists(firstRespondedAt) AND attribute_not_exists(closedAt)';
    const late = `(attribute_exists(breachedAt) OR firstRespondedAt >= ${due} OR (attribute_not_exists(firstRespondedAt) AND closedAt >= ${due}) OR (${unstopped} AND ${due} <= :now))`;
    const met = `(attribute_not_exists(breachedAt) AND (firstRespondedAt < ${due} OR (attribute_not_exists(firstRespondedAt) AND closedAt < ${due})))`;
    const running = `(attribute_not_exists(breachedAt) AND ${unstopped} AND ${due} > :now)`;
    parts.push({ running, met, breached: late }[filter.sla]);
    if (filter.sla !== 'met') values[':now'] = filter.now;
  }
  if (filter.answered !== undefined) parts.push(filter.answered ? 'attribute_exists(firstRespondedAt)' : 'attribute_not_exists(firstRespondedAt)');
  if (filter.title) {
    // Items written before titles were searchable match on the title as written.
    names['#title'] = 'title';
    parts.push('(contains(titleSearch, :titleSearch) OR contains(#title, :title))');
    values[':titleSearch'] = filter.title.toLocaleLowerCase('en');
    values[':title'] = filter.title;
  }
  return { expression: parts.join(' AND '), names, values };
}

/** The update clause that leaves the running tickets once the outcome is settled. */
export const LEAVE_RUNNING = 'REMOVE GSI3PK, GSI3SK';

export const fromTicketItem = (item: Record<string, unknown>) => entityOf<Ticket>(item);

/**
 * An item filed under the person who acted (GSI1, `ACTS#<subject>`), so their
 * data can be found without a scan; the desk's own acts and integrations' are
 * no person's.
 */
export function actedBy(subject: string, at: number, key: { PK: string; SK: string }): Record<string, unknown> {
  if (isSystem({ subject }) || subject.startsWith(INTEGRATION_SUBJECT)) return { ...key };
  return { ...key, [`${INDEX.byCustomer}PK`]: keys.acts(subject), [`${INDEX.byCustomer}SK`]: `${stamp(at)}#${key.PK}#${key.SK}` };
}

/**
 * An audit event; an outcome is also filed under its kind and local month (in
 * `timeZone`): a breach under the month of the deadline it missed (it may be
 * recorded later), everything else under the month it happened.
 */
export function toEventItem(event: TicketEvent, unique: string, timeZone: string): Record<string, unknown> {
  const kind = monthKindOf(event);
  const due = event.changes.dueAt?.to;
  const when = kind === 'BREACHED' && typeof due === 'number' ? due : event.at;
  const filed = kind ? { [`${INDEX.byMonth}PK`]: keys.month(kind, monthOf(when, timeZone)), [`${INDEX.byMonth}SK`]: keys.inMonth(customerOfTicket(event.ticketId), when, event.ticketId) } : {};
  return { ...actedBy(event.actor.subject, event.at, keys.event(event.ticketId, event.at, unique)), ...filed, entity: 'event', ...event };
}

export const fromEventItem = (item: Record<string, unknown>) => entityOf<TicketEvent>(item);

export const toAttachmentItem = (attachment: Attachment): Record<string, unknown> => ({
  ...actedBy(attachment.by, attachment.createdAt, keys.attachment(attachment.ticketId, attachment.id)),
  entity: 'attachment',
  ...attachment,
});
export const fromAttachmentItem = (item: Record<string, unknown>) => entityOf<Attachment>(item);

export function toCommentItem(comment: Comment): Record<string, unknown> {
  return { ...actedBy(comment.author.subject, comment.createdAt, keys.comment(comment.ticketId, comment.createdAt, comment.id)), entity: 'comment', ...comment };
}

export const fromCommentItem = (item: Record<string, unknown>) => entityOf<Comment>(item);

export function toAlertItem(message: AlertMessage, createdAt: number): Record<string, unknown> {
  return {
    ...keys.alert(message),
    GSI2PK: keys.outbox,
    GSI2SK: keys.outboxOrder(createdAt, message.id),
    entity: 'alert',
    status: 'pending',
    attempts: 0,
    createdAt,
    // The request (or timer) that raised it, so its delivery logs under the same correlation id.
    message: correlated(message),
  };
}

/** A customer among all customers, and, with a go-live agreed, among those the relay's minute round watches. */
export function toCustomerItem(profile: CustomerProfile): Record<string, unknown> {
  return { ...keys.customer(profile.customerId), [`${INDEX.lists}PK`]: keys.customers, [`${INDEX.lists}SK`]: profile.customerId, ...watchMark(profile), entity: 'customer', ...profile };
}

/** The mark that files a customer among those the relay watches each minute: every save of a profile with a go-live writes it. */
function watchMark(profile: CustomerProfile): Record<string, string> {
  return profile.hypercare ? { [`${INDEX.pending}PK`]: keys.watchedCustomers, [`${INDEX.pending}SK`]: profile.customerId } : {};
}

/** The customers the relay watches, a query of the sparse partition. */
export const watchedQuery = {
  IndexName: INDEX.pending,
  KeyConditionExpression: `${INDEX.pending}PK = :watched`,
  ExpressionAttributeValues: { ':watched': keys.watchedCustomers },
};

/** A watched profile as stored, with how far its digests are known queued (0: none known). */
export function fromWatchedItem(item: Record<string, unknown>): WatchedCustomer {
  return { ...fromCustomerItem(item), digestsQueuedThrough: (item.digestsQueuedThrough as number | undefined) ?? 0 };
}

/** The condition that the profile is still the watched one the relay read: same version, still filed. */
const STILL_WATCHED = `#version = :version AND ${INDEX.pending}PK = :watched`;

/** Notes that a watched customer's digests are queued through an occasion, if it is still the version read. */
export function digestsQueuedUpdate(profile: Pick<CustomerProfile, 'customerId' | 'version'>, through: number) {
  return {
    Key: keys.customer(profile.customerId),
    UpdateExpression: 'SET digestsQueuedThrough = :through',
    ConditionExpression: `${STILL_WATCHED} AND (attribute_not_exists(digestsQueuedThrough) OR digestsQueuedThrough < :through)`,
    ExpressionAttributeNames: { '#version': 'version' },
    ExpressionAttributeValues: { ':version': profile.version, ':watched': keys.watchedCustomers, ':through': through },
  };
}

/** Takes a customer off the relay's minute round, if it is still the version read; when is kept as its trace. */
export function settleWatch(profile: Pick<CustomerProfile, 'customerId' | 'version'>, at: number) {
  return {
    Key: keys.customer(profile.customerId),
    UpdateExpression: `SET hypercareSettledAt = :at REMOVE ${INDEX.pending}PK, ${INDEX.pending}SK, digestsQueuedThrough`,
    ConditionExpression: STILL_WATCHED,
    ExpressionAttributeNames: { '#version': 'version' },
    ExpressionAttributeValues: { ':version': profile.version, ':watched': keys.watchedCustomers, ':at': at },
  };
}

/** A profile as stored. */
export const fromCustomerItem = (item: Record<string, unknown>) => entityOf<CustomerProfile>(item);

/** A customer's audit event; `unique` keeps two events of one instant apart. */
export function toCustomerEventItem(event: CustomerEvent, unique: string): Record<string, unknown> {
  return { ...actedBy(event.by, event.at, keys.customerEvent(event.customerId, event.at, unique)), entity: 'customer-event', ...event };
}

export const fromCustomerEventItem = (item: Record<string, unknown>) => entityOf<CustomerEvent>(item);

export function toConsultancyItem(request: ConsultancyRequest): Record<string, unknown> {
  const order = `${stamp(request.proposed.at)}#${request.id}`;
  return {
    ...keys.consultancy(request.id),
    [`${INDEX.byCustomer}PK`]: keys.customerConsultancy(request.customerId),
    [`${INDEX.byCustomer}SK`]: order,
    [`${INDEX.lists}PK`]: keys.allConsultancy,
    [`${INDEX.lists}SK`]: order,
    entity: 'consultancy',
    ...request,
  };
}

/** A time entry as billed, filed under the month of the day the work was done (a Copenhagen date already). */
export function toBillableEntryItem(entry: BillableEntry): Record<string, unknown> {
  return {
    ...actedBy(entry.logged.by, entry.logged.at, keys.consultancyEntry(entry.requestId, entry.id)),
    [`${INDEX.byMonth}PK`]: keys.month('CONSULTANCY', parseMonth(entry.date.slice(0, 7))),
    [`${INDEX.byMonth}SK`]: keys.inMonth(entry.customerId, entry.logged.at, `${entry.requestId}#${entry.id}`),
    entity: 'consultancy-entry',
    ...entry,
  };
}

export const fromBillableEntryItem = (item: Record<string, unknown>) => entityOf<BillableEntry>(item);
export const fromConsultancyItem = (item: Record<string, unknown>) => entityOf<ConsultancyRequest>(item);
export const toConsultancyEventItem = (event: ConsultancyEvent, unique: string) => ({
  ...actedBy(event.by, event.at, keys.consultancyEvent(event.requestId, event.at, unique)),
  entity: 'consultancy-event',
  ...event,
});
export const fromConsultancyEventItem = (item: Record<string, unknown>) => entityOf<ConsultancyEvent>(item);

export function toReportVersionItem(version: ReportVersion): Record<string, unknown> {
  return {
    ...keys.reportVersion(version.month, version.version),
    [`${INDEX.lists}PK`]: keys.reports,
    [`${INDEX.lists}SK`]: keys.reportOrder(version.month, version.version),
    entity: 'report-version',
    ...version,
  };
}

export const fromReportVersionItem = (item: Record<string, unknown>) => entityOf<ReportVersion>(item);

/** The contract's figures must stay checkable for at least 25 months. */
const SAMPLE_RETENTION_SECONDS = 26 * 31 * 86_400;

export function toSampleItem(sample: Sample, month: string): Record<string, unknown> {
  return { ...keys.sample(sample.target, month, slotOf(sample.at)), entity: 'sample', ...sample, [TTL_ATTRIBUTE]: Math.floor(sample.at / 1000) + SAMPLE_RETENTION_SECONDS };
}

export const fromSampleItem = (item: Record<string, unknown>) => entityOf<Sample>(item);

export function toWindowItem(window: ScheduledWindow, fanOut?: FanOut): Record<string, unknown> {
  return {
    ...keys.window(window.id),
    [`${INDEX.lists}PK`]: keys.windows,
    [`${INDEX.lists}SK`]: `${stamp(window.start)}#${window.id}`,
    ...(fanOut ? fanOutMark(window, fanOut) : {}),
    entity: 'service-window',
    ...window,
  };
}

/** A window whose notices are not all written yet: among the pending fan-outs, which the relay completes. */
function fanOutMark(window: ScheduledWindow, fanOut: FanOut): Record<string, string> {
  return { fanOut, [`${INDEX.pending}PK`]: keys.fanOuts, [`${INDEX.pending}SK`]: `${stamp(window.createdAt)}#${window.id}` };
}

/** The update clause that takes a window off the pending fan-outs. */
export const FAN_OUT_DONE = `REMOVE fanOut, ${INDEX.pending}PK, ${INDEX.pending}SK`;

/** A local timer: by name, and in the due order the local timer loop reads. */
export function toTimerItem(name: string, timer: SlaTimer): Record<string, unknown> {
  return { ...keys.timer(name), [`${INDEX.lists}PK`]: keys.timers, [`${INDEX.lists}SK`]: `${timer.dueAt}#${name}`, entity: 'timer', timer };
}

export const fromWindowItem = (item: Record<string, unknown>) => entityOf<ScheduledWindow>(item);

/** An integration's registered key, and whether it is revoked. */
export function toIntegrationItem(integration: Integration): Record<string, unknown> {
  return { ...keys.integration(integration.integrationId), entity: 'integration', ...integration };
}

export const fromIntegrationItem = (item: Record<string, unknown>) => entityOf<Integration>(item);

/** Idempotency records outlive any sensible client retry. */
const IDEMPOTENCY_TTL_SECONDS = 24 * 3600;

/** An Idempotency-Key's record, claimed only if no request used the key before. */
export function idempotencyPut(tableName: string, claim: IdempotencyClaim, at: number) {
  const { scope, key, ...answer } = claim;
  return {
    Put: {
      TableName: tableName,
      Item: { ...keys.idempotency(scope, key), ...answer, [TTL_ATTRIBUTE]: Math.floor(at / 1000) + IDEMPOTENCY_TTL_SECONDS },
      ConditionExpression: 'attribute_not_exists(PK)',
    },
  };
}

/** The table as the local stack creates it; the CDK app declares the same shape. */
export function tableDefinition(TableName: string): CreateTableCommandInput {
  const gsi = (IndexName: string) => ({
    IndexName,
    KeySchema: [
      { AttributeName: `${IndexName}PK`, KeyType: 'HASH' as const },
      { AttributeName: `${IndexName}SK`, KeyType: 'RANGE' as const },
    ],
    Projection: { ProjectionType: 'ALL' as const },
  });
  return {
    TableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: ['PK', 'SK', ...Object.values(INDEX).flatMap((index) => [`${index}PK`, `${index}SK`])].map((AttributeName) => ({ AttributeName, AttributeType: 'S' as const })),
    KeySchema: [
      { AttributeName: 'PK', KeyType: 'HASH' },
      { AttributeName: 'SK', KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: Object.values(INDEX).map(gsi),
  };
}

/** The deployment's probe targets, as the deploy writes them and the functions that measure read them. */
export const toProbeTargetsItem = (targets: readonly unknown[]) => ({ ...keys.settings('probe-targets'), entity: 'settings', targets: JSON.stringify(targets) });
export const probeTargetsOfItem = (item: Record<string, unknown> | undefined): unknown => (typeof item?.targets === 'string' ? JSON.parse(item.targets) : []);

/** What a person's record holds besides its keys; absent fields are removed, so an emptied claim empties the record. */
const PERSON_FIELDS = ['name', 'email', 'role', 'customerId'] as const;

/**
 * A person's record as their token describes it, written only when it says
 * something new and no later token wrote it: the condition is false (nothing
 * written) when every field already reads the same. An agent or admin is also
 * filed among the people who may own tickets (`deskPeople`, by name), in the
 * same write; a record written before that list existed is filed by the next
 * token that is not remembered.
 */
export function personUpdate(person: Person) {
  const names: Record<string, string> = { '#listPK': `${INDEX.lists}PK`, '#listSK': `${INDEX.lists}SK`, '#emailPK': `${INDEX.byCustomer}PK`, '#emailSK': `${INDEX.byCustomer}SK` };
  const values: Record<string, unknown> = { ':entity': 'person', ':issuedAt': person.issuedAt, ':updatedAt': person.updatedAt };
  const set = ['entity = :entity', 'issuedAt = :issuedAt', 'updatedAt = :updatedAt'];
  const remove: string[] = [];
  const differs: string[] = [];
  if (isDesk(person)) {
    set.push('#listPK = :listPK', '#listSK = :listSK');
    values[':listPK'] = keys.deskPeople;
    values[':listSK'] = keys.deskOrder(person);
    differs.push('attribute_not_exists(#listSK) OR #listSK <> :listSK');
  } else {
    remove.push('#listPK', '#listSK');
    differs.push('attribute_exists(#listPK)');
  }
  // Filed by address too; a record written before that index existed is filed by the next token.
  if (person.email) {
    set.push('#emailPK = :emailPK', '#emailSK = :emailSK');
    values[':emailPK'] = keys.personEmail(person.email);
    values[':emailSK'] = person.subject;
    differs.push('attribute_not_exists(#emailPK)');
  } else remove.push('#emailPK', '#emailSK');
  for (const field of PERSON_FIELDS) {
    names[`#${field}`] = field;
    const value = person[field];
    if (value === undefined) {
      remove.push(`#${field}`);
      differs.push(`attribute_exists(#${field})`);
    } else {
      set.push(`#${field} = :${field}`);
      values[`:${field}`] = value;
      differs.push(`attribute_not_exists(#${field}) OR #${field} <> :${field}`);
    }
  }
  return {
    Key: keys.person(person.subject),
    UpdateExpression: `SET ${set.join(', ')}${remove.length ? ` REMOVE ${remove.join(', ')}` : ''}`,
    // An erased person's record is never filled again, whatever token they still hold.
    ConditionExpression: `attribute_not_exists(PK) OR (attribute_not_exists(erasedAt) AND issuedAt <= :issuedAt AND (${differs.join(' OR ')}))`,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}

/** A person's record emptied: no name or address, off the lists by name and address; erased once. */
export function personErasure(subject: string, at: number) {
  return {
    Key: keys.person(subject),
    UpdateExpression: 'SET erasedAt = :at REMOVE #name, email, #emailPK, #emailSK, #listPK, #listSK',
    ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(erasedAt)',
    ExpressionAttributeNames: { '#name': 'name', '#emailPK': `${INDEX.byCustomer}PK`, '#emailSK': `${INDEX.byCustomer}SK`, '#listPK': `${INDEX.lists}PK`, '#listSK': `${INDEX.lists}SK` },
    ExpressionAttributeValues: { ':at': at },
  };
}

export const toPersonEventItem = (event: PersonDataEvent, unique: string): Record<string, unknown> => ({
  PK: keys.person(event.subject).PK,
  SK: `${CHILD.event}${stamp(event.at)}#${unique}`,
  entity: 'person-event',
  ...event,
});

export const fromPersonItem = (item: Record<string, unknown>): Person => ({ ...entityOf<Omit<Person, 'subject'>>(item), subject: String(item.PK).slice(PARTITION.person.length) });
