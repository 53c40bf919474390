import { type DynamoDBDocumentClient, QueryCommand, type QueryCommandInput, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import { InvalidCursorError } from '../../domain/errors';

/**
 * One page of a query. The cursor is the last key, base64url-encoded; it is
 * only accepted with exactly the key of the list it came from, in the
 * partition it came from, so it cannot reach another customer's items. With a
 * filter, pages are read on until the page is full (or ten reads), so a
 * sparse match does not come back as an empty page.
 */
export async function queryPage(
  db: DynamoDBDocumentClient,
  input: QueryCommandInput,
  shape: CursorShape,
  limit: number,
  cursor?: string,
): Promise<{ items: Record<string, unknown>[]; nextCursor: string | null }> {
  const items: Record<string, unknown>[] = [];
  let start = cursor ? decodeCursor(cursor, shape) : undefined;
  for (let reads = 0; reads < 10 && items.length < limit; reads++) {
    let page: QueryCommandOutput;
    try {
      page = await db.send(new QueryCommand({ ...input, Limit: limit, ...(start ? { ExclusiveStartKey: start } : {}) }));
    } catch (error) {
      if (cursor && (error as { name?: string }).name === 'ValidationException') throw new InvalidCursorError();
      throw error;
    }
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey as Record<string, string> | undefined;
    if (!start) break;
  }
  if (items.length > limit) {
    items.length = limit;
    start = Object.fromEntries(shape.keys.map((k) => [k, items[limit - 1]![k] as string]));
  }
  return { items, nextCursor: start ? Buffer.from(JSON.stringify(start)).toString('base64url') : null };
}

/** What a list's cursor must look like: its key attributes, the fixed partition, and the sort-key prefix. */
export interface CursorShape {
  readonly keys: readonly string[];
  readonly fixed: Readonly<Record<string, string>>;
  readonly prefix?: { readonly name: string; readonly value: string };
}

function decodeCursor(cursor: string, shape: CursorShape): Record<string, string> {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError();
  }
  if (typeof key !== 'object' || key === null || Array.isArray(key)) throw new InvalidCursorError();
  const entries = Object.entries(key);
  const valid =
    entries.length === shape.keys.length &&
    entries.every(([name, value]) => shape.keys.includes(name) && typeof value === 'string' && value !== '') &&
    Object.entries(shape.fixed).every(([name, value]) => (key as Record<string, string>)[name] === value) &&
    (!shape.prefix || (key as Record<string, string>)[shape.prefix.name]!.startsWith(shape.prefix.value));
  if (!valid) throw new InvalidCursorError();
  return key as Record<string, string>;
}

/** A page of one partition's items whose sort key starts with `prefix` (an audit trail), in order. */
export function queryPrefixPage(db: DynamoDBDocumentClient, tableName: string, PK: string, prefix: string, limit: number, cursor?: string) {
  return queryPage(
    db,
    { TableName: tableName, KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)', ExpressionAttributeValues: { ':pk': PK, ':prefix': prefix } },
    { keys: ['PK', 'SK'], fixed: { PK }, prefix: { name: 'SK', value: prefix } },
    limit,
    cursor,
  );
}
