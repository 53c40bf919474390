import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { queryAll } from './client';
import { MAX_WINDOW_MS, type ScheduledWindow, type ServiceWindowStore } from '../../domain/availability/service-windows';
import type { AlertMessage } from '../../domain/sla/alerts';
import type { IdempotencyClaim } from '../../domain/tickets/ticket-store';
import { fromWindowItem, idempotencyPut, INDEX, keys, toAlertItem, toWindowItem } from './table';

const stamp = (t: number) => new Date(t).toISOString();
const TRANSACTION_ITEMS = 100;

export class DynamoServiceWindowStore implements ServiceWindowStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * The window and as many notices as one transaction holds (100 items) go
   * together; notices past that follow in further transactions of their own.
   */
  async createWindow(window: ScheduledWindow, notices: readonly AlertMessage[], idempotency?: IdempotencyClaim): Promise<'created' | 'idempotency-key-taken'> {
    const put = (message: AlertMessage) => ({ Put: { TableName: this.tableName, Item: toAlertItem(message, window.createdAt), ConditionExpression: 'attribute_not_exists(PK)' } });
    const first = notices.slice(0, TRANSACTION_ITEMS - (idempotency ? 2 : 1));
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            ...(idempotency ? [idempotencyPut(this.tableName, idempotency, window.createdAt)] : []),
            { Put: { TableName: this.tableName, Item: toWindowItem(window), ConditionExpression: 'attribute_not_exists(PK)' } },
            ...first.map(put),
          ],
        }),
      );
    } catch (error) {
      const reasons = error instanceof TransactionCanceledException ? (error.CancellationReasons ?? []) : [];
      if (idempotency && (reasons[0]?.Code === 'ConditionalCheckFailed' || reasons.some((r) => r.Code === 'TransactionConflict'))) return 'idempotency-key-taken';
      throw error;
    }
    for (let i = first.length; i < notices.length; i += TRANSACTION_ITEMS) {
      await this.db.send(new TransactWriteCommand({ TransactItems: notices.slice(i, i + TRANSACTION_ITEMS).map(put) }));
    }
    return 'created';
  }

  /** Windows last at most 7 days, so those overlapping a range start at most 7 days before it. */
  async windowsOverlapping(from: number, to: number): Promise<ScheduledWindow[]> {
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      IndexName: INDEX.all,
      KeyConditionExpression: `${INDEX.all}PK = :windows AND ${INDEX.all}SK BETWEEN :from AND :to`,
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
          UpdateExpression: 'SET cancelledAt = :now REMOVE GSI2PK, GSI2SK',
          ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(cancelledAt) AND #start > :now',
          ExpressionAttributeNames: { '#start': 'start' },
          ExpressionAttributeValues: { ':now': now },
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
