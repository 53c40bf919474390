import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { AlertOutbox, QueuedAlert, QueuedRecord } from '../../domain/notifications/alert-outbox';
import type { AlertMessage } from '../../domain/notifications/alerts';
import { DEFAULT_RETENTION, deliveredExpiry, type Retention } from '../../domain/retention';
import { queryAll } from './client';
import { dueQuery, INDEX, keys, toAlertItem, CHILD, TTL_ATTRIBUTE } from './table';

const toQueued = (item: Record<string, unknown>): QueuedAlert => ({ message: item.message as AlertMessage, attempts: item.attempts as number });
const keyOf = ({ message }: QueuedAlert) => keys.alert(message);

/** The alert outbox in the ticket table; undelivered alerts sit in a sparse index until sent. */
export class DynamoAlertOutbox implements AlertOutbox {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    /** How long a delivered message is kept (the stage's RETENTION). */
    private readonly retention: Retention = DEFAULT_RETENTION,
  ) {}

  async pendingFor(ticketId: string): Promise<QueuedAlert[]> {
    const { Items = [] } = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :alert)',
        FilterExpression: '#status = :pending',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':pk': keys.ticket(ticketId).PK, ':alert': CHILD.alert, ':pending': 'pending' },
        ConsistentRead: true,
      }),
    );
    return Items.map(toQueued);
  }

  async isQueued(message: Pick<AlertMessage, 'id' | 'about'> & Partial<Pick<AlertMessage, 'kind' | 'channel' | 'customerId'>>): Promise<boolean> {
    const key = keys.alert({ kind: 'breach', channel: 'email', ...message });
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true, ProjectionExpression: 'PK' }));
    return Item !== undefined;
  }

  async queuedFor(customerId: string, idPrefix: string): Promise<QueuedRecord[]> {
    const { PK, SK } = keys.alert({ id: idPrefix, about: { type: 'customer', id: customerId }, kind: 'hypercare-digest', channel: 'email' });
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': PK, ':prefix': SK },
    });
    const records: QueuedRecord[] = items.map((item) => ({
      id: (item.message as AlertMessage).id,
      queuedAt: item.createdAt as number,
      ...(typeof item.sentAt === 'number' ? { sentAt: item.sentAt } : {}),
    }));
    return records.sort((a, b) => a.queuedAt - b.queuedAt);
  }

  async enqueue(messages: readonly AlertMessage[], at: number): Promise<void> {
    for (const message of messages) {
      try {
        await this.db.send(new PutCommand({ TableName: this.tableName, Item: toAlertItem(message, at), ConditionExpression: 'attribute_not_exists(PK)' }));
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    }
  }

  async pending(limit: number, now: number): Promise<QueuedAlert[]> {
    // The sort key is when the alert may next be tried, so failing alerts wait at the back.
    const { Items = [] } = await this.db.send(new QueryCommand({ TableName: this.tableName, ...dueQuery(INDEX.lists, keys.outbox, now, limit) }));
    return Items.map(toQueued);
  }

  async oldestPendingSince(): Promise<number | undefined> {
    // The index orders by next attempt, not by age: read the (small) backlog's creation times.
    let oldest: number | undefined;
    let start: Record<string, unknown> | undefined;
    for (let page = 0; page < 20; page++) {
      const { Items = [], LastEvaluatedKey } = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: INDEX.lists,
          KeyConditionExpression: `${INDEX.lists}PK = :outbox`,
          ExpressionAttributeValues: { ':outbox': keys.outbox },
          ProjectionExpression: 'createdAt',
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      for (const item of Items) oldest = Math.min(oldest ?? Number.POSITIVE_INFINITY, item.createdAt as number);
      if (!LastEvaluatedKey) break;
      start = LastEvaluatedKey;
    }
    return oldest;
  }

  async claim(alert: QueuedAlert, now: number, leaseMs: number): Promise<number | undefined> {
    const lease = now + leaseMs;
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keyOf(alert),
          UpdateExpression: 'SET claimedUntil = :lease ADD attempts :one',
          ConditionExpression: '#status = :pending AND (attribute_not_exists(claimedUntil) OR claimedUntil < :now)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':lease': lease, ':now': now, ':pending': 'pending', ':one': 1 },
        }),
      );
      return lease;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return undefined;
      throw error;
    }
  }

  async markSent(alert: QueuedAlert, lease: number, now: number): Promise<void> {
    // Delivered: it expires a while after, in the same write (sooner than its closed ticket would have it).
    const expiry = deliveredExpiry(this.retention, alert.message.kind, now);
    const sent = `SET #status = :sent, sentAt = :now${expiry === undefined ? '' : ', #ttl = :ttl'} REMOVE claimedUntil, GSI2PK, GSI2SK`;
    const names = { '#status': 'status', ...(expiry === undefined ? {} : { '#ttl': TTL_ATTRIBUTE }) };
    const values = { ':sent': 'sent', ':now': now, ...(expiry === undefined ? {} : { ':ttl': expiry }) };
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keyOf(alert),
          UpdateExpression: sent,
          ConditionExpression: 'claimedUntil = :lease',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: { ...values, ':lease': lease },
        }),
      );
    } catch (error) {
      // The lease ran out during a slow send and another deliverer holds the alert: the
      // message went out, so record it as sent without the lease rather than fail.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keyOf(alert),
          UpdateExpression: sent,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );
    }
  }

  async release(alert: QueuedAlert, lease: number, reason: string, retryAt: number): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keyOf(alert),
          UpdateExpression: 'SET lastError = :reason, GSI2SK = :next REMOVE claimedUntil',
          ConditionExpression: 'claimedUntil = :lease',
          ExpressionAttributeValues: { ':reason': reason.slice(0, 1000), ':lease': lease, ':next': keys.outboxOrder(retryAt, alert.message.id) },
        }),
      );
    } catch (error) {
      // The lease ran out and someone else took over: theirs is the record now.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
}
