import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { queryAll } from './client';
import { type FanOut, MAX_WINDOW_MS, type ScheduledWindow, type ServiceWindowStore } from '../../domain/availability/service-windows';
import type { AlertMessage } from '../../domain/notifications/alerts';
import type { IdempotencyClaim } from '../../domain/idempotency';
import { FAN_OUT_DONE, fromWindowItem, idempotencyPut, INDEX, keys, toAlertItem, toWindowItem, windowNoticesPrefix } from './table';

const stamp = (t: number) => new Date(t).toISOString();
const TRANSACTION_ITEMS = 100;

export class DynamoServiceWindowStore implements ServiceWindowStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * The window and as many notices as one transaction holds (100 items) go
   * together; notices past that follow in further transactions, and until
   * they are written the window is a pending fan-out the relay completes.
   */
  async createWindow(window: ScheduledWindow, notices: readonly AlertMessage[], idempotency?: IdempotencyClaim): Promise<'created' | 'idempotency-key-taken'> {
    const first = notices.slice(0, TRANSACTION_ITEMS - (idempotency ? 2 : 1));
    const rest = notices.slice(first.length);
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            ...(idempotency ? [idempotencyPut(this.tableName, idempotency, window.createdAt)] : []),
            { Put: { TableName: this.tableName, Item: toWindowItem(window, rest.length ? 'announced' : undefined), ConditionExpression: 'attribute_not_exists(PK)' } },
            ...first.map((message) => this.notice(message, window.createdAt)),
          ],
        }),
      );
    } catch (error) {
      const reasons = error instanceof TransactionCanceledException ? (error.CancellationReasons ?? []) : [];
      if (idempotency && (reasons[0]?.Code === 'ConditionalCheckFailed' || reasons.some((r) => r.Code === 'TransactionConflict'))) return 'idempotency-key-taken';
      throw error;
    }
    if (rest.length) await this.completeFanOut(window, 'announced', rest, window.createdAt);
    return 'created';
  }

  async completeFanOut(window: ScheduledWindow, fanOut: FanOut, notices: readonly AlertMessage[], at: number): Promise<void> {
    // One at a time: a notice already written (an earlier, interrupted round) is simply skipped. An
    // announcement is only written while the window stands: once it is cancelled, the customers told
    // so far are exactly those its cancellation reaches.
    const stands = { ConditionCheck: { TableName: this.tableName, Key: keys.window(window.id), ConditionExpression: 'attribute_not_exists(cancelledAt)' } };
    for (const message of notices) {
      try {
        if (fanOut === 'announced') await this.db.send(new TransactWriteCommand({ TransactItems: [stands, this.notice(message, at)] }));
        else await this.db.send(new PutCommand(this.notice(message, at).Put));
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) continue;
        const reasons = error instanceof TransactionCanceledException ? (error.CancellationReasons ?? []) : [];
        if (reasons[0]?.Code === 'ConditionalCheckFailed') return; // cancelled meanwhile: its own fan-out tells
        if (reasons[1]?.Code === 'ConditionalCheckFailed') continue;
        throw error;
      }
    }
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.window(window.id),
          UpdateExpression: FAN_OUT_DONE,
          ConditionExpression: 'fanOut = :fanOut',
          ExpressionAttributeValues: { ':fanOut': fanOut },
        }),
      );
    } catch (error) {
      // Completed meanwhile by another round, or moved on to its cancellation: that one stands.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  async pendingFanOuts(limit: number): Promise<{ window: ScheduledWindow; fanOut: FanOut }[]> {
    const { Items = [] } = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: INDEX.pending,
        KeyConditionExpression: `${INDEX.pending}PK = :fanOuts`,
        ExpressionAttributeValues: { ':fanOuts': keys.fanOuts },
        Limit: limit,
      }),
    );
    return Items.map((item) => ({ window: fromWindowItem(item), fanOut: item.fanOut as FanOut }));
  }

  async getWindow(id: string): Promise<ScheduledWindow | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.window(id), ConsistentRead: true }));
    return Item ? fromWindowItem(Item) : undefined;
  }

  async toldCustomers(windowId: string): Promise<{ customerId: string; recipients: readonly string[] }[]> {
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      // Every notice written before the cancellation, including one a moment ago.
      ConsistentRead: true,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :notices)',
      ExpressionAttributeValues: { ':pk': keys.window(windowId).PK, ':notices': windowNoticesPrefix },
    });
    return items.map((item) => item.message as AlertMessage).map((m) => ({ customerId: m.customerId!, recipients: m.recipients ?? [] }));
  }

  private notice(message: AlertMessage, at: number) {
    return { Put: { TableName: this.tableName, Item: toAlertItem(message, at), ConditionExpression: 'attribute_not_exists(PK)' } };
  }

  /** Windows last at most 7 days, so those overlapping a range start at most 7 days before it. */
  async windowsOverlapping(from: number, to: number): Promise<ScheduledWindow[]> {
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      IndexName: INDEX.lists,
      KeyConditionExpression: `${INDEX.lists}PK = :windows AND ${INDEX.lists}SK BETWEEN :from AND :to`,
      FilterExpression: '#end > :rangeStart AND attribute_not_exists(cancelledAt)',
      ExpressionAttributeNames: { '#end': 'end' },
      ExpressionAttributeValues: { ':windows': keys.windows, ':from': stamp(from - MAX_WINDOW_MS), ':to': stamp(to), ':rangeStart': from },
    });
    return items.map(fromWindowItem).filter((w) => w.start < to);
  }

  async cancelWindow(id: string, now: number): Promise<'cancelled' | 'started' | 'not-found'> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.window(id),
          // Cancelled, and its cancellation notices pending until written (here, or by the relay).
          UpdateExpression: `SET cancelledAt = :now, fanOut = :cancelled, ${INDEX.pending}PK = :fanOuts, ${INDEX.pending}SK = :order REMOVE GSI2PK, GSI2SK`,
          ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(cancelledAt) AND #start > :now',
          ExpressionAttributeNames: { '#start': 'start' },
          ExpressionAttributeValues: { ':now': now, ':cancelled': 'cancelled', ':fanOuts': keys.fanOuts, ':order': `${stamp(now)}#${id}` },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return 'cancelled';
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const old = error.Item;
      return !old || old.cancelledAt !== undefined ? 'not-found' : 'started';
    }
  }
}
