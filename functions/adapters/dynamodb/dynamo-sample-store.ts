import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { queryAll } from './client';
import { monthOf } from '../../domain/month';
import type { Sample } from '../../domain/availability/availability';
import type { SampleStore } from '../../domain/availability/probe';
import { fromSampleItem, keys, toSampleItem } from './table';

/** Probe samples: one partition per target and local month, one item per 5-minute slot. */
export class DynamoSampleStore implements SampleStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly timeZone: string,
  ) {}

  async putSample(sample: Sample): Promise<'written' | 'duplicate'> {
    const month = monthOf(sample.at, this.timeZone);
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: toSampleItem(sample, month),
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      );
      return 'written';
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return 'duplicate';
      throw error;
    }
  }

  async latestSamples(target: string, month: string, count: number): Promise<Sample[]> {
    const { Items = [] } = await this.db.send(
      new QueryCommand({ TableName: this.tableName, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': keys.samples(target, month) }, ScanIndexForward: false, Limit: count }),
    );
    return Items.map(fromSampleItem);
  }

  async samples(target: string, month: string): Promise<Sample[]> {
    const items = await queryAll(this.db, { TableName: this.tableName, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': keys.samples(target, month) } });
    return items.map(fromSampleItem);
  }
}
