import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { queryAll } from './client';
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

  /** A profile is replaced whole; the latest write wins, which is what an admin editing it expects. */
  async putCustomer(profile: CustomerProfile): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: toCustomerItem(profile) }));
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
