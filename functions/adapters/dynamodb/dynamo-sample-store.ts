import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { queryAll } from './client';
import { DateTime } from 'luxon';
import { type Sample, slotOf } from '../../domain/availability/availability';
import type { SampleStore } from '../../domain/availability/probe';
import { keys, TTL_ATTRIBUTE } from './table';

/** The contract's figures must stay checkable for at least 25 months. */
const RETENTION_SECONDS = 26 * 31 * 86_400;

/** Probe samples: one partition per target and local month, one item per 5-minute slot. */
export class DynamoSampleStore implements SampleStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly timeZone: string,
  ) {}

  async putSample(sample: Sample): Promise<'written' | 'duplicate'> {
    const month = DateTime.fromMillis(sample.at, { zone: this.timeZone }).toFormat('yyyy-MM');
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys.sample(sample.target, month, slotOf(sample.at)), entity: 'sample', ...sample, [TTL_ATTRIBUTE]: Math.floor(sample.at / 1000) + RETENTION_SECONDS },
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      );
      return 'written';
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return 'duplicate';
      throw error;
    }
  }

  async samples(target: string, month: string): Promise<Sample[]> {
    const items = await queryAll(this.db, { TableName: this.tableName, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': keys.samples(target, month) } });
    return items.map((item) => ({
      target: item.target as string,
      at: item.at as number,
      ok: item.ok as boolean,
      latencyMs: item.latencyMs as number,
      ...(item.status === undefined ? {} : { status: item.status as number }),
      ...(item.error === undefined ? {} : { error: item.error as string }),
    }));
  }
}
