import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { IdempotencyStore, IdempotentAnswer } from '../../domain/idempotency';
import { keys } from './table';

/** The answers Idempotency-Keys were given; each store writes them with its own work (`idempotencyPut`). */
export class DynamoIdempotencyStore implements IdempotencyStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async findIdempotentAnswer(scope: string, key: string): Promise<IdempotentAnswer | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.idempotency(scope, key), ConsistentRead: true }));
    return Item ? { requestHash: Item.requestHash as string, resourceId: Item.resourceId as string, response: Item.response as string } : undefined;
  }
}
