import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, type DynamoDBDocumentClient, GetCommand, TransactWriteCommand, type TransactWriteCommandInput, UpdateCommand } from '@aws-sdk/lib-dynamodb';

type TransactItems = NonNullable<TransactWriteCommandInput['TransactItems']>;
import { queryAll } from './client';
import { queryPage, queryPrefixPage } from './pager';
import type { CustomerEvent, CustomerProfile, CustomerStore, WatchedCustomer } from '../../domain/customers/customer';
import type { Person } from '../../domain/people/people';
import type { AudienceStore } from '../../domain/tickets/ticket-service';
import {
  digestsQueuedUpdate,
  eventOfVersion,
  fromCustomerEventItem,
  fromCustomerItem,
  fromPersonItem,
  fromWatchedItem,
  INDEX,
  keys,
  settleWatch,
  toCustomerEventItem,
  toCustomerItem,
  watchedQuery,
} from './table';

/** Keys a batch read may still leave unprocessed after this many further tries. */
const BATCH_RETRIES = 3;
/** BatchGetItem's limit, the profile included. */
const MAX_KEYS = 100;

export class DynamoCustomerStore implements CustomerStore, AudienceStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async getCustomer(customerId: string): Promise<CustomerProfile | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.customer(customerId), ConsistentRead: true }));
    return Item ? fromCustomerItem(Item) : undefined;
  }

  /** One consistent BatchGetItem instead of a read of the profile and another of the records. */
  async customerAndPeople(customerId: string, subjects: readonly string[]): Promise<{ profile: CustomerProfile | undefined; people: ReadonlyMap<string, Person> }> {
    const profileKey = keys.customer(customerId);
    const distinct = [...new Set(subjects)];
    if (distinct.length >= MAX_KEYS) throw new Error(`at most ${MAX_KEYS - 1} people's records are read with a profile`);
    let wanted: Record<string, unknown>[] = [profileKey, ...distinct.map(keys.person)];
    let profile: CustomerProfile | undefined;
    const people = new Map<string, Person>();
    for (let attempt = 0; wanted.length; attempt++) {
      if (attempt > BATCH_RETRIES) throw new Error(`customer ${customerId} and people's records still unprocessed after ${BATCH_RETRIES} retries`);
      const { Responses, UnprocessedKeys } = await this.db.send(new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: wanted, ConsistentRead: true } } }));
      for (const item of Responses?.[this.tableName] ?? []) {
        if (item.PK === profileKey.PK && item.SK === profileKey.SK) profile = fromCustomerItem(item);
        else {
          const person = fromPersonItem(item);
          people.set(person.subject, person);
        }
      }
      wanted = UnprocessedKeys?.[this.tableName]?.Keys ?? [];
    }
    return { profile, people };
  }

  async putCustomer(profile: CustomerProfile, expectedVersion: number, event?: CustomerEvent): Promise<'written' | 'conflict'> {
    const put = {
      TableName: this.tableName,
      Item: toCustomerItem(profile),
      // A first write finds nothing; an edit finds the version it was made from.
      ConditionExpression: expectedVersion === 0 ? 'attribute_not_exists(PK)' : '#version = :expected',
      ...(expectedVersion === 0 ? {} : { ExpressionAttributeNames: { '#version': 'version' }, ExpressionAttributeValues: { ':expected': expectedVersion } }),
    };
    // The change and its audit event, together or not at all; the version keeps the event's key unique.
    const trail = event ? [{ Put: { TableName: this.tableName, Item: toCustomerEventItem(event, eventOfVersion(profile.version)), ConditionExpression: 'attribute_not_exists(PK)' } }] : [];
    return (await this.write([{ Put: put }, ...trail])) ? 'written' : 'conflict';
  }

  async recordConclusion(event: CustomerEvent): Promise<boolean> {
    // Once recorded, every later round sees the marker with one small read instead of a refused transaction.
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.conclusion(event.customerId), ProjectionExpression: 'PK' }));
    if (Item) return false;
    return this.write([
      { Put: { TableName: this.tableName, Item: { ...keys.conclusion(event.customerId), entity: 'conclusion', at: event.at }, ConditionExpression: 'attribute_not_exists(PK)' } },
      { Put: { TableName: this.tableName, Item: toCustomerEventItem(event, 'concluded'), ConditionExpression: 'attribute_not_exists(PK)' } },
    ]);
  }

  async listEvents(customerId: string, limit: number, cursor?: string): Promise<{ items: CustomerEvent[]; nextCursor: string | null }> {
    const page = await queryPrefixPage(this.db, this.tableName, keys.customer(customerId).PK, 'EVENT#', limit, cursor);
    return { items: page.items.map(fromCustomerEventItem), nextCursor: page.nextCursor };
  }

  /** False when the first item's condition failed. */
  private async write(items: TransactItems): Promise<boolean> {
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: items }));
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      const reasons = error instanceof TransactionCanceledException ? (error.CancellationReasons ?? []) : [];
      if (reasons[0]?.Code === 'ConditionalCheckFailed') return false;
      throw error;
    }
  }

  async listCustomers(limit: number, cursor?: string): Promise<{ items: CustomerProfile[]; nextCursor: string | null }> {
    const page = await queryPage(this.db, this.everyCustomer(), { keys: ['PK', 'SK', `${INDEX.lists}PK`, `${INDEX.lists}SK`], fixed: { [`${INDEX.lists}PK`]: keys.customers } }, limit, cursor);
    return { items: page.items.map(fromCustomerItem), nextCursor: page.nextCursor };
  }

  async allCustomers(): Promise<CustomerProfile[]> {
    const items = await queryAll(this.db, this.everyCustomer());
    return items.map(fromCustomerItem);
  }

  async watchedCustomers(): Promise<WatchedCustomer[]> {
    const items = await queryAll(this.db, { TableName: this.tableName, ...watchedQuery });
    return items.map(fromWatchedItem);
  }

  async noteDigestsQueued(profile: Pick<CustomerProfile, 'customerId' | 'version'>, through: number): Promise<void> {
    // Saved since, settled, or noted further already: the next round decides on what is stored.
    await this.conditional(new UpdateCommand({ TableName: this.tableName, ...digestsQueuedUpdate(profile, through) }));
  }

  async settle(profile: Pick<CustomerProfile, 'customerId' | 'version'>, at: number): Promise<boolean> {
    return this.conditional(new UpdateCommand({ TableName: this.tableName, ...settleWatch(profile, at) }));
  }

  /** The query of every customer, by id (GSI2 CUSTOMERS). */
  private everyCustomer() {
    return { TableName: this.tableName, IndexName: INDEX.lists, KeyConditionExpression: `${INDEX.lists}PK = :customers`, ExpressionAttributeValues: { ':customers': keys.customers } };
  }

  /** Whether a conditional write landed; a failed condition is an answer, not an error. */
  private async conditional(command: UpdateCommand): Promise<boolean> {
    try {
      await this.db.send(command);
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}
