import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Integration, IntegrationStore } from '../../domain/integrations/integration';
import { fromIntegrationItem, keys, toIntegrationItem } from './table';

export class DynamoIntegrationStore implements IntegrationStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Strongly consistent: a revocation is seen by the first read after it (the authorizer's bound on revocation counts on it). */
  async getIntegration(integrationId: string): Promise<Integration | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.integration(integrationId), ConsistentRead: true }));
    return Item ? fromIntegrationItem(Item) : undefined;
  }

  async addIntegration(integration: Integration): Promise<boolean> {
    return this.conditional(new PutCommand({ TableName: this.tableName, Item: toIntegrationItem(integration), ConditionExpression: 'attribute_not_exists(PK)' }));
  }

  async revokeIntegration(integrationId: string, at: number, by: string): Promise<boolean> {
    return this.conditional(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.integration(integrationId),
        UpdateExpression: 'SET revokedAt = :at, revokedBy = :by',
        ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(revokedAt)',
        ExpressionAttributeValues: { ':at': at, ':by': by },
      }),
    );
  }

  /** False when the condition failed. */
  private async conditional(command: PutCommand | UpdateCommand): Promise<boolean> {
    try {
      await this.db.send(command as never);
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}
