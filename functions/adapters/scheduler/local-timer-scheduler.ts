import { BatchWriteCommand, type BatchWriteCommandInput, DeleteCommand, type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { type SlaTimer, timerName } from '../../domain/sla/sla-timers';
import type { TimerScheduler } from '../../domain/sla/timer-scheduler';
import { correlated } from '../correlation';
import { dueQuery, INDEX, keys, toTimerItem } from '../dynamodb/table';

/**
 * Timers for the local stack, kept in DynamoDB Local so they survive a restart
 * (kill -9 included). Same names as on AWS: scheduling the same timer again
 * writes the same item.
 */
export class LocalTimerScheduler implements TimerScheduler {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async schedule(timers: readonly SlaTimer[]): Promise<void> {
    // The timer carries the request that armed it, as Scheduler's target input does.
    await this.batch(timers.map((timer) => ({ PutRequest: { Item: toTimerItem(timerName(timer), correlated(timer)) } })));
  }

  async cancel(timers: readonly SlaTimer[]): Promise<void> {
    await this.batch(timers.map((timer) => ({ DeleteRequest: { Key: keys.timer(timerName(timer)) } })));
  }

  /** A ticket's timers in one request; what DynamoDB leaves unprocessed is sent again. */
  private async batch(requests: NonNullable<BatchWriteCommandInput['RequestItems']>[string]): Promise<void> {
    let pending = requests;
    for (let attempt = 0; pending.length; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 20 * attempt));
      const { UnprocessedItems } = await this.db.send(new BatchWriteCommand({ RequestItems: { [this.tableName]: pending } }));
      pending = UnprocessedItems?.[this.tableName] ?? [];
    }
  }

  /** Timers due at or before `now`, oldest first. */
  async due(now: number, limit = 100): Promise<SlaTimer[]> {
    const { Items = [] } = await this.db.send(new QueryCommand({ TableName: this.tableName, ...dueQuery(INDEX.lists, keys.timers, now, limit) }));
    return Items.map((item) => item.timer as SlaTimer);
  }

  /** A fired timer is deleted, as Scheduler's ActionAfterCompletion DELETE does. */
  async completed(timer: SlaTimer): Promise<void> {
    await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: keys.timer(timerName(timer)) }));
  }
}
