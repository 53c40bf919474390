import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, type DynamoDBDocumentClient, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Person, PersonStore } from '../../domain/people/people';
import { queryPage } from './pager';
import { fromPersonItem, INDEX, keys, personUpdate } from './table';

/** BatchGetItem takes at most 100 keys a call. */
const BATCH = 100;
/** One address is one person, or a few (a user and the pseudonym they wrote under before their account): a page is plenty. */
const PAGE = 50;
/** Keys DynamoDB left unprocessed (throttling) are asked for again, this many times. */
const RETRIES = 3;

export class DynamoPersonStore implements PersonStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async remember(person: Person): Promise<boolean> {
    try {
      await this.db.send(new UpdateCommand({ TableName: this.tableName, ...personUpdate(person) }));
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async desk(limit: number, cursor?: string): Promise<{ items: Person[]; nextCursor: string | null }> {
    const index = INDEX.lists;
    const page = await queryPage(
      this.db,
      {
        TableName: this.tableName,
        IndexName: index,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': `${index}PK` },
        ExpressionAttributeValues: { ':pk': keys.deskPeople },
      },
      { keys: ['PK', 'SK', `${index}PK`, `${index}SK`], fixed: { [`${index}PK`]: keys.deskPeople } },
      limit,
      cursor,
    );
    return { items: page.items.map(fromPersonItem), nextCursor: page.nextCursor };
  }

  async withEmail(email: string): Promise<Person[]> {
    const index = INDEX.byCustomer;
    const { Items } = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: index,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': `${index}PK` },
        ExpressionAttributeValues: { ':pk': keys.personEmail(email.trim()) },
        Limit: PAGE,
      }),
    );
    return (Items ?? []).map(fromPersonItem);
  }

  /** Eventually consistent: a name changed a moment ago may read as the one before. */
  async people(subjects: readonly string[]): Promise<ReadonlyMap<string, Person>> {
    const found = new Map<string, Person>();
    const distinct = [...new Set(subjects)];
    for (let i = 0; i < distinct.length; i += BATCH) {
      let wanted: Record<string, unknown>[] = distinct.slice(i, i + BATCH).map(keys.person);
      for (let attempt = 0; wanted.length; attempt++) {
        if (attempt > RETRIES) throw new Error(`person records still unprocessed after ${RETRIES} retries`);
        const { Responses, UnprocessedKeys } = await this.db.send(new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: wanted } } }));
        for (const item of Responses?.[this.tableName] ?? []) {
          const person = fromPersonItem(item);
          found.set(person.subject, person);
        }
        wanted = UnprocessedKeys?.[this.tableName]?.Keys ?? [];
      }
    }
    return found;
  }
}
