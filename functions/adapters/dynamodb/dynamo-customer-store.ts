import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { queryAll } from './client';
import { queryPage } from './pager';
import type { CustomerProfile, CustomerStore } from '../../domain/customers/customer';
import { fromCustomerItem, INDEX, keys, toCustomerItem } from './table';

export class DynamoCustomerStore implements CustomerStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async getCustomer(customerId: string): Promise<CustomerProfile | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.customer(customerId), ConsistentRead: true }));
    return Item ? fromCustomerItem(Item) : undefined;
  }

  async putCustomer(profile: CustomerProfile, expectedVersion: number): Promise<'written' | 'conflict'> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: toCustomerItem(profile),
          // A first write finds nothing; an edit finds the version it was made from (profiles before versions count as 1).
          ConditionExpression:
            expectedVersion === 0 ? 'attribute_not_exists(PK)' : expectedVersion === 1 ? '#version = :expected OR attribute_not_exists(#version)' : '#version = :expected',
          ...(expectedVersion === 0 ? {} : { ExpressionAttributeNames: { '#version': 'version' }, ExpressionAttributeValues: { ':expected': expectedVersion } }),
        }),
      );
      return 'written';
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return 'conflict';
      throw error;
    }
  }

  async listCustomers(limit: number, cursor?: string): Promise<{ items: CustomerProfile[]; nextCursor: string | null }> {
    const page = await queryPage(
      this.db,
      { TableName: this.tableName, IndexName: INDEX.all, KeyConditionExpression: `${INDEX.all}PK = :customers`, ExpressionAttributeValues: { ':customers': keys.customers } },
      { keys: ['PK', 'SK', `${INDEX.all}PK`, `${INDEX.all}SK`], fixed: { [`${INDEX.all}PK`]: keys.customers } },
      limit,
      cursor,
    );
    return { items: page.items.map(fromCustomerItem), nextCursor: page.nextCursor };
  }

  async allCustomers(): Promise<CustomerProfile[]> {
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      IndexName: INDEX.all,
      KeyConditionExpression: `${INDEX.all}PK = :customers`,
      ExpressionAttributeValues: { ':customers': keys.customers },
    });
    return items.map(fromCustomerItem);
  }
}
