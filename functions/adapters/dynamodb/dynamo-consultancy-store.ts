import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { ConsultancyRequest } from '../../domain/consultancy/consultancy';
import type { ConsultancyEvent, ConsultancyStore } from '../../domain/consultancy/consultancy-store';
import { lostRace, versionedPut } from './client';
import { queryPrefixPage } from './pager';
import { fromConsultancyEventItem, fromConsultancyItem, keys, toConsultancyEventItem, toConsultancyItem } from './table';

/** The version is unique per request, so it keeps two events of one instant apart, in order. */
const unique = (version: number) => `v${String(version).padStart(10, '0')}`;

export class DynamoConsultancyStore implements ConsultancyStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  create(request: ConsultancyRequest, event: ConsultancyEvent): Promise<boolean> {
    return this.write({ Put: { TableName: this.tableName, Item: toConsultancyItem(request), ConditionExpression: 'attribute_not_exists(PK)' } }, event, request.version);
  }

  async get(id: string): Promise<ConsultancyRequest | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.consultancy(id), ConsistentRead: true }));
    return Item ? fromConsultancyItem(Item) : undefined;
  }

  async save(request: ConsultancyRequest, expectedVersion: number, event: ConsultancyEvent): Promise<'written' | 'conflict'> {
    return (await this.write(versionedPut(this.tableName, toConsultancyItem(request), expectedVersion), event, request.version)) ? 'written' : 'conflict';
  }

  async listEvents(id: string, limit: number, cursor?: string): Promise<{ items: ConsultancyEvent[]; nextCursor: string | null }> {
    const page = await queryPrefixPage(this.db, this.tableName, keys.consultancy(id).PK, 'EVENT#', limit, cursor);
    return { items: page.items.map(fromConsultancyEventItem), nextCursor: page.nextCursor };
  }

  /** The request and its event together, or neither; false when a race was lost. */
  private async write(put: NonNullable<TransactWriteCommandInput['TransactItems']>[number], event: ConsultancyEvent, version: number): Promise<boolean> {
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [put, { Put: { TableName: this.tableName, Item: toConsultancyEventItem(event, unique(version)), ConditionExpression: 'attribute_not_exists(PK)' } }],
        }),
      );
      return true;
    } catch (error) {
      if (lostRace(error)) return false;
      throw error;
    }
  }
}
