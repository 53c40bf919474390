import { randomUUID } from 'node:crypto';
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, QueryCommand, type QueryCommandInput, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { attachmentExpiry, closedTicketExpiry, DEFAULT_RETENTION, type Retention } from '../../domain/retention';
import { lostRace, queryPages, versionedPut } from './client';
import { ConcurrentWriteError, VersionConflictError } from '../../domain/errors';
import type { AlertMessage } from '../../domain/notifications/alerts';
import type { TimerKind } from '../../domain/sla/sla-timers';
import { type Comment, takesComments, type Ticket, type TicketEvent } from '../../domain/tickets/ticket';
import { isLate } from '../../domain/sla/sla-policy';
import type { IdempotencyClaim } from '../../domain/idempotency';
import type { CommentOutcome, FirstResponse, Page, TicketQuery, TicketStore } from '../../domain/tickets/ticket-store';
import { danishContractCalendar } from '../../domain/calendar/danish-calendar';
import type { LocalMonth } from '../../domain/month';
import { type CursorShape, queryPage } from './pager';
import {
  dueQuery,
  type MonthKind,
  ticketFilter,
  fromCommentItem,
  fromEventItem,
  fromTicketItem,
  idempotencyPut,
  INDEX,
  keys,
  LEAVE_RUNNING,
  toAlertItem,
  toCommentItem,
  toEventItem,
  toTicketItem,
  CHILD,
  TTL_ATTRIBUTE,
} from './table';

/** Events written in the same millisecond keep the order this process wrote them in. */
let eventSequence = 0;
/** The audit trail is append-only: an event never overwrites another. */
const APPEND_ONLY = 'attribute_not_exists(PK)';
const eventSuffix = () => `${(eventSequence++ % 1e9).toString().padStart(9, '0')}-${randomUUID().slice(0, 8)}`;

export class DynamoTicketStore implements TicketStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    /** Where months begin and end, for the months index: the contract calendar's zone. */
    private readonly timeZone: string = danishContractCalendar.timeZone,
    /** How long a closed ticket's items are kept (the stage's RETENTION). */
    private readonly retention: Retention = DEFAULT_RETENTION,
  ) {}

  async nextTicketNumber(customerId: string): Promise<number> {
    const { Attributes } = await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.sequence(customerId),
        UpdateExpression: 'ADD #next :one',
        ExpressionAttributeNames: { '#next': 'next' },
        ExpressionAttributeValues: { ':one': 1 },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return Attributes!.next as number;
  }

  async create(ticket: Ticket, event: TicketEvent, idempotency?: IdempotencyClaim, messages: readonly AlertMessage[] = []): Promise<'created' | 'idempotency-key-taken'> {
    const items: NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']> = [
      { Put: { TableName: this.tableName, Item: toTicketItem(ticket, this.timeZone), ConditionExpression: 'attribute_not_exists(PK)' } },
      { Put: { TableName: this.tableName, Item: toEventItem(event, eventSuffix(), this.timeZone), ConditionExpression: APPEND_ONLY } },
    ];
    if (idempotency) items.push(idempotencyPut(this.tableName, idempotency, ticket.openedAt));
    // After the idempotency record, whose place the cancellation reasons are read by.
    items.push(...messages.map((message) => queuedPut(this.tableName, message, ticket.openedAt)));
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: items }));
      return 'created';
    } catch (error) {
      // Another request with the same key got there first, or is writing right now.
      if (idempotency && error instanceof TransactionCanceledException) {
        const reasons = error.CancellationReasons ?? [];
        if (reasons[2]?.Code === 'ConditionalCheckFailed' || reasons.some((r) => r.Code === 'TransactionConflict')) return 'idempotency-key-taken';
      }
      throw error;
    }
  }

  async get(id: string): Promise<Ticket | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.ticket(id), ConsistentRead: true }));
    return Item ? fromTicketItem(Item) : undefined;
  }

  async list({ customerId, status, priority, sla, title, answered, assignee, byDue, now, limit, cursor }: TicketQuery): Promise<Page<Ticket>> {
    // What breaches next: the running tickets' own index, earliest due first.
    const running = sla === 'running' && byDue === true;
    const index = running ? INDEX.pending : customerId === undefined ? INDEX.lists : INDEX.byCustomer;
    const partition = running ? keys.runningTickets : customerId === undefined ? keys.allTickets : keys.customerTickets(customerId);
    const filter = ticketFilter({ ...(running && customerId !== undefined ? { customerId } : {}), status, priority, sla, title, answered, assignee, now });
    const page = await this.query(
      {
        IndexName: index,
        KeyConditionExpression: '#pk = :pk',
        ...(filter.expression ? { FilterExpression: filter.expression } : {}),
        ExpressionAttributeNames: { '#pk': `${index}PK`, ...filter.names },
        ExpressionAttributeValues: { ':pk': partition, ...filter.values },
        ScanIndexForward: running,
      },
      { keys: ['PK', 'SK', `${index}PK`, `${index}SK`], fixed: { [`${index}PK`]: partition } },
      limit,
      cursor,
    );
    return { items: page.items.map(fromTicketItem), nextCursor: page.nextCursor };
  }

  async update(ticket: Ticket, expectedVersion: number, events: TicketEvent | readonly TicketEvent[], messages: readonly AlertMessage[] = []): Promise<void> {
    // Closed: the ticket and what this change writes with it expire together, in this write.
    const expiry = this.expiryOf(ticket);
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            versionedPut(this.tableName, { ...toTicketItem(ticket, this.timeZone), ...expiry }, expectedVersion),
            ...(Array.isArray(events) ? events : [events]).map((event: TicketEvent) => ({
              Put: { TableName: this.tableName, Item: { ...toEventItem(event, eventSuffix(), this.timeZone), ...expiry }, ConditionExpression: APPEND_ONLY },
            })),
            // Queued with the change that occasions them, once: the ticket's version is in their ids.
            ...messages.map((message) => queuedPut(this.tableName, message, ticket.updatedAt, expiry)),
          ],
        }),
      );
    } catch (error) {
      if (lostRace(error)) throw new VersionConflictError(expectedVersion);
      throw error;
    }
  }

  async addComment(comment: Comment, events: readonly TicketEvent[], firstResponse?: FirstResponse, idempotency?: IdempotencyClaim, messages: readonly AlertMessage[] = []): Promise<CommentOutcome> {
    const ticketKey = keys.ticket(comment.ticketId);
    const open = { '#status': 'status' };
    let dueAt = firstResponse?.dueAt;
    // Dropped once someone else owns the ticket: an owner set meanwhile is never overwritten.
    let owner = firstResponse?.owner;
    // An internal note is not a change customers can see: it checks the ticket but does not touch it.
    // A first response checks the deadline it was judged against; answered in time, the ticket stops running.
    const ticketItem = () =>
      comment.visibility === 'internal'
        ? {
            ConditionCheck: {
              TableName: this.tableName,
              Key: ticketKey,
              ConditionExpression: 'attribute_exists(PK) AND #status <> :closed',
              ExpressionAttributeNames: open,
              ExpressionAttributeValues: { ':closed': 'closed' },
            },
          }
        : {
            Update: {
              TableName: this.tableName,
              Key: ticketKey,
              UpdateExpression: `SET updatedAt = :now${firstResponse ? ', firstRespondedAt = :now' : ''}${owner ? ', assignee = :owner' : ''} ADD #version :one${firstResponse && !isLate(firstResponse.at, dueAt!) ? ` ${LEAVE_RUNNING}` : ''}`,
              ConditionExpression: `attribute_exists(PK) AND #status <> :closed${firstResponse ? ' AND attribute_not_exists(firstRespondedAt) AND firstResponseDueAt = :due' : ''}${owner ? ' AND attribute_not_exists(assignee)' : ''}`,
              ExpressionAttributeNames: { ...open, '#version': 'version' },
              ExpressionAttributeValues: {
                ':now': firstResponse?.at ?? comment.createdAt,
                ':one': 1,
                ':closed': 'closed',
                ...(firstResponse ? { ':due': dueAt } : {}),
                ...(owner ? { ':owner': owner.subject } : {}),
              },
            },
          };
    const written = () => [...events, ...(owner ? [owner.event] : [])];
    for (let attempt = 1; ; attempt++) {
      try {
        await this.db.send(
          new TransactWriteCommand({
            TransactItems: [
              ticketItem(),
              { Put: { TableName: this.tableName, Item: toCommentItem(comment), ConditionExpression: 'attribute_not_exists(PK)' } },
              ...written().map((event) => ({ Put: { TableName: this.tableName, Item: toEventItem(event, eventSuffix(), this.timeZone), ConditionExpression: APPEND_ONLY } })),
              ...(idempotency ? [idempotencyPut(this.tableName, idempotency, comment.createdAt)] : []),
              // Queued with the comment, once: its id is in theirs.
              ...messages.map((message) => queuedPut(this.tableName, message, comment.createdAt)),
            ],
          }),
        );
        return 'added';
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        const reasons = error.CancellationReasons ?? [];
        if (idempotency && reasons[2 + written().length]?.Code === 'ConditionalCheckFailed') return 'idempotency-key-taken';
        if (reasons[0]?.Code === 'ConditionalCheckFailed') {
          const ticket = await this.get(comment.ticketId);
          if (!ticket) return 'no-such-ticket';
          if (!takesComments(ticket)) return 'closed';
          if (firstResponse && ticket.firstRespondedAt !== undefined) return 'already-responded';
          // The deadline moved meanwhile (a priority change): judge the response against the new one.
          if (firstResponse) dueAt = ticket.firstResponseDueAt;
          if (ticket.assignee !== undefined) owner = undefined;
        }
        // Two writes to the same ticket at once: DynamoDB cancels one; try it again.
        const retryable = reasons.some((r) => r.Code === 'TransactionConflict' || r.Code === 'ConditionalCheckFailed');
        if (attempt >= 8 || !retryable) throw error;
        await new Promise((resolve) => setTimeout(resolve, 5 * attempt + Math.random() * 20));
      }
    }
  }

  async listEvents(ticketId: string, limit: number, cursor?: string, { publicOnly = false } = {}): Promise<Page<TicketEvent>> {
    const input = this.childrenOf(ticketId, CHILD.event);
    if (publicOnly) {
      // An internal note's event: a comment added with internal visibility.
      input.FilterExpression = 'NOT (#type = :added AND changes.#comment.#to.visibility = :internal)';
      input.ExpressionAttributeNames = { '#type': 'type', '#comment': 'comment', '#to': 'to' };
      input.ExpressionAttributeValues = { ...input.ExpressionAttributeValues, ':added': 'comment.added', ':internal': 'internal' };
    }
    const page = await this.query(input, childShape(ticketId, CHILD.event), limit, cursor);
    return { items: page.items.map(fromEventItem), nextCursor: page.nextCursor };
  }

  async listComments(ticketId: string, { publicOnly, limit, cursor }: { publicOnly: boolean; limit: number; cursor?: string }): Promise<Page<Comment>> {
    const input = this.childrenOf(ticketId, CHILD.comment);
    if (publicOnly) {
      input.FilterExpression = 'visibility = :public';
      input.ExpressionAttributeValues = { ...input.ExpressionAttributeValues, ':public': 'public' };
    }
    const page = await this.query(input, childShape(ticketId, CHILD.comment), limit, cursor);
    return { items: page.items.map(fromCommentItem), nextCursor: page.nextCursor };
  }

  async raiseAlert(ticket: Ticket, kind: TimerKind, messages: readonly AlertMessage[], event: TicketEvent): Promise<void> {
    const field = kind === 'breach' ? 'breachedAt' : 'warningSentAt';
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.tableName,
                Key: keys.ticket(ticket.id),
                // A recorded breach settles the outcome: the ticket leaves the running tickets.
                UpdateExpression: `SET #field = :at, updatedAt = :at ADD #version :one${kind === 'breach' ? ` ${LEAVE_RUNNING}` : ''}`,
                // Decided from exactly this version of the ticket, and recorded once.
                ConditionExpression: 'attribute_exists(PK) AND #version = :version AND attribute_not_exists(#field)',
                ExpressionAttributeNames: { '#field': field, '#version': 'version' },
                ExpressionAttributeValues: { ':at': event.at, ':version': ticket.version, ':one': 1 },
              },
            },
            // A breach recorded after closing (closed late and unanswered) expires with the ticket.
            ...messages.map((message) => queuedPut(this.tableName, message, event.at, this.expiryOf(ticket))),
            { Put: { TableName: this.tableName, Item: { ...toEventItem(event, eventSuffix(), this.timeZone), ...this.expiryOf(ticket) }, ConditionExpression: APPEND_ONLY } },
          ],
        }),
      );
    } catch (error) {
      const reasons = error instanceof TransactionCanceledException ? (error.CancellationReasons ?? []) : [];
      // The ticket changed since it was read (a response, another firing): the caller decides again.
      if (reasons.some((r) => r.Code === 'ConditionalCheckFailed' || r.Code === 'TransactionConflict')) throw new ConcurrentWriteError(ticket.id);
      throw error;
    }
  }

  async overdue(dueBy: number, limit: number): Promise<Ticket[]> {
    const { Items = [] } = await this.db.send(new QueryCommand({ TableName: this.tableName, ...dueQuery(INDEX.pending, keys.runningTickets, dueBy, limit) }));
    return Items.map(fromTicketItem);
  }

  async leaveRunning(ticket: Ticket): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.ticket(ticket.id),
          UpdateExpression: LEAVE_RUNNING,
          ConditionExpression: '#version = :version',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':version': ticket.version },
        }),
      );
    } catch (error) {
      // Changed meanwhile: that write placed the ticket afresh.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  async eventsInMonth(kind: MonthKind, month: LocalMonth, limit: number, cursor?: string): Promise<Page<TicketEvent>> {
    const index = INDEX.byMonth;
    const partition = keys.month(kind, month);
    const page = await this.query(
      { IndexName: index, KeyConditionExpression: '#pk = :pk', ExpressionAttributeNames: { '#pk': `${index}PK` }, ExpressionAttributeValues: { ':pk': partition } },
      { keys: ['PK', 'SK', `${index}PK`, `${index}SK`], fixed: { [`${index}PK`]: partition } },
      limit,
      cursor,
    );
    return { items: page.items.map(fromEventItem), nextCursor: page.nextCursor };
  }

  async *openedIn(month: LocalMonth, customerId?: string): AsyncIterable<readonly Ticket[]> {
    const index = INDEX.byMonth;
    for await (const items of queryPages(this.db, {
      TableName: this.tableName,
      IndexName: index,
      KeyConditionExpression: customerId === undefined ? '#pk = :pk' : '#pk = :pk AND begins_with(#sk, :customer)',
      ExpressionAttributeNames: { '#pk': `${index}PK`, ...(customerId === undefined ? {} : { '#sk': `${index}SK` }) },
      ExpressionAttributeValues: { ':pk': keys.month('TICKETS', month), ...(customerId === undefined ? {} : { ':customer': keys.inMonthOf(customerId) }) },
    })) {
      yield items.map(fromTicketItem);
    }
  }

  /**
   * Gives a closed ticket's earlier items their expiry: a Query of its own
   * partition, then each item whose expiry is later or unset (an earlier one,
   * a pending upload's or a delivered message's, stands). The instants follow
   * from the closing alone, so running it again writes the same values.
   */
  async expireClosed(ticket: Ticket): Promise<void> {
    if (ticket.closedAt === undefined) return;
    const { PK, SK } = keys.ticket(ticket.id);
    const ticketExpiry = closedTicketExpiry(this.retention, ticket.closedAt);
    const attachments = attachmentExpiry(this.retention, ticket.closedAt);
    for await (const items of queryPages(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeNames: { '#ttl': TTL_ATTRIBUTE },
      ExpressionAttributeValues: { ':pk': PK },
      ProjectionExpression: 'PK, SK, #ttl',
    })) {
      const due = items.flatMap((item) => {
        const at = String(item.SK).startsWith(CHILD.attachment) ? attachments : ticketExpiry;
        const current = item[TTL_ATTRIBUTE];
        return item.SK === SK || (typeof current === 'number' && current <= at) ? [] : [{ SK: String(item.SK), at }];
      });
      await inBatches(due, 16, async ({ SK: child, at }) => {
        try {
          await this.db.send(
            new UpdateCommand({
              TableName: this.tableName,
              Key: { PK, SK: child },
              UpdateExpression: 'SET #ttl = :at',
              // Never brings back an item that expired meanwhile, nor lengthens an earlier expiry.
              ConditionExpression: 'attribute_exists(PK) AND (attribute_not_exists(#ttl) OR #ttl > :at)',
              ExpressionAttributeNames: { '#ttl': TTL_ATTRIBUTE },
              ExpressionAttributeValues: { ':at': at },
            }),
          );
        } catch (error) {
          if (!(error instanceof ConditionalCheckFailedException)) throw error;
        }
      });
    }
  }

  /** A closed ticket's expiry attribute, or nothing while it is open. */
  private expiryOf(ticket: Pick<Ticket, 'closedAt'>): Record<string, number> {
    return ticket.closedAt === undefined ? {} : { [TTL_ATTRIBUTE]: closedTicketExpiry(this.retention, ticket.closedAt) };
  }

  async ping(): Promise<void> {
    await this.db.send(new GetCommand({ TableName: this.tableName, Key: { PK: 'HEALTH', SK: 'HEALTH' } }));
  }

  private childrenOf(ticketId: string, prefix: string): Omit<QueryCommandInput, 'TableName'> {
    return {
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.ticket(ticketId).PK, ':prefix': prefix },
    };
  }

  private query(input: Omit<QueryCommandInput, 'TableName'>, shape: CursorShape, limit: number, cursor?: string) {
    return queryPage(this.db, { ...input, TableName: this.tableName }, shape, limit, cursor);
  }
}

/** A message queued in the outbox by the write that occasions it; its id names the occasion, so it is never queued twice. */
const queuedPut = (tableName: string, message: AlertMessage, at: number, expiry: Record<string, number> = {}) => ({
  Put: { TableName: tableName, Item: { ...toAlertItem(message, at), ...expiry }, ConditionExpression: 'attribute_not_exists(PK)' },
});

/** Runs `work` on every item, `size` at a time. */
async function inBatches<T>(items: readonly T[], size: number, work: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(work));
}

const childShape = (ticketId: string, prefix: string): CursorShape => ({ keys: ['PK', 'SK'], fixed: { PK: keys.ticket(ticketId).PK }, prefix: { name: 'SK', value: prefix } });
