import { type DynamoDBDocumentClient, GetCommand, type QueryCommandInput, TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { ConsultancyRequest } from '../../domain/consultancy/consultancy';
import type { ConsultancyEvent, ConsultancyQuery, ConsultancyStore, ConsultancyWrite } from '../../domain/consultancy/consultancy-store';
import type { BillableEntry } from '../../domain/consultancy/statement';
import type { LocalMonth } from '../../domain/month';
import { lostRace, queryAll, versionedPut } from './client';
import { queryPage, queryPrefixPage } from './pager';
import {
  eventOfVersion,
  fromBillableEntryItem,
  fromConsultancyEventItem,
  fromConsultancyItem,
  idempotencyPut,
  INDEX,
  keys,
  toAlertItem,
  toBillableEntryItem,
  toConsultancyEventItem,
  toConsultancyItem,
  CHILD,
} from './table';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

export class DynamoConsultancyStore implements ConsultancyStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  create(request: ConsultancyRequest, event: ConsultancyEvent, write: ConsultancyWrite = {}): Promise<boolean> {
    return this.write({ Put: { TableName: this.tableName, Item: toConsultancyItem(request), ConditionExpression: 'attribute_not_exists(PK)' } }, request, event, write);
  }

  async get(id: string): Promise<ConsultancyRequest | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.consultancy(id), ConsistentRead: true }));
    return Item ? fromConsultancyItem(Item) : undefined;
  }

  async save(request: ConsultancyRequest, expectedVersion: number, event: ConsultancyEvent, write: ConsultancyWrite = {}): Promise<'written' | 'conflict'> {
    return (await this.write(versionedPut(this.tableName, toConsultancyItem(request), expectedVersion), request, event, write)) ? 'written' : 'conflict';
  }

  async listEvents(id: string, limit: number, cursor?: string): Promise<{ items: ConsultancyEvent[]; nextCursor: string | null }> {
    const page = await queryPrefixPage(this.db, this.tableName, keys.consultancy(id).PK, CHILD.event, limit, cursor);
    return { items: page.items.map(fromConsultancyEventItem), nextCursor: page.nextCursor };
  }

  async list({ customerId, status, limit, cursor }: ConsultancyQuery): Promise<{ items: ConsultancyRequest[]; nextCursor: string | null }> {
    const index = customerId === undefined ? INDEX.lists : INDEX.byCustomer;
    const partition = customerId === undefined ? keys.allConsultancy : keys.customerConsultancy(customerId);
    const page = await queryPage(
      this.db,
      {
        TableName: this.tableName,
        IndexName: index,
        KeyConditionExpression: '#pk = :pk',
        ...(status ? { FilterExpression: '#status = :status' } : {}),
        ExpressionAttributeNames: { '#pk': `${index}PK`, ...(status ? { '#status': 'status' } : {}) },
        ExpressionAttributeValues: { ':pk': partition, ...(status ? { ':status': status } : {}) },
        ScanIndexForward: false,
      },
      { keys: ['PK', 'SK', `${index}PK`, `${index}SK`], fixed: { [`${index}PK`]: partition } },
      limit,
      cursor,
    );
    return { items: page.items.map(fromConsultancyItem), nextCursor: page.nextCursor };
  }

  /** The month's partition of the months index, read to the end: one customer's slice by its key prefix. */
  async entriesInMonth(month: LocalMonth, customerId?: string): Promise<BillableEntry[]> {
    const index = INDEX.byMonth;
    const input: QueryCommandInput = {
      TableName: this.tableName,
      IndexName: index,
      KeyConditionExpression: customerId === undefined ? '#pk = :pk' : '#pk = :pk AND begins_with(#sk, :customer)',
      ExpressionAttributeNames: { '#pk': `${index}PK`, ...(customerId === undefined ? {} : { '#sk': `${index}SK` }) },
      ExpressionAttributeValues: { ':pk': keys.month('CONSULTANCY', month), ...(customerId === undefined ? {} : { ':customer': keys.inMonthOf(customerId) }) },
    };
    return (await queryAll(this.db, input)).map(fromBillableEntryItem);
  }

  /** The request, its event and what goes with it, together or not at all; false when a race was lost. */
  private async write(put: TransactItem, request: ConsultancyRequest, event: ConsultancyEvent, { entry, messages = [], claim }: ConsultancyWrite): Promise<boolean> {
    const fresh = (Item: Record<string, unknown>): TransactItem => ({ Put: { TableName: this.tableName, Item, ConditionExpression: 'attribute_not_exists(PK)' } });
    const rate = request.approval?.rate;
    if (entry && !rate) throw new Error(`request ${request.id} has time logged without an approved rate`);
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            put,
            fresh(toConsultancyEventItem(event, eventOfVersion(request.version))),
            ...(entry && rate ? [fresh(toBillableEntryItem({ ...entry, requestId: request.id, customerId: request.customerId, service: request.service, rate }))] : []),
            ...messages.map((message) => fresh(toAlertItem(message, event.at))),
            ...(claim ? [idempotencyPut(this.tableName, claim, event.at)] : []),
          ],
        }),
      );
      return true;
    } catch (error) {
      if (lostRace(error)) return false;
      throw error;
    }
  }
}
