import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ATTACHMENT_LIMITS, type Attachment, TicketClosedError } from '../../domain/tickets/attachments';
import type { AttachmentList, AttachmentStore } from '../../domain/tickets/attachment-service';
import { attachmentExpiry, DEFAULT_RETENTION, type Retention } from '../../domain/retention';
import { lostRace } from './client';
import { CHILD, fromAttachmentItem, keys, toAttachmentItem, TTL_ATTRIBUTE } from './table';

/** A rejected attachment's record stays this long, so the person who sent it can read why. */
const REJECTED_KEPT_SECONDS = 30 * 24 * 3600;

export class DynamoAttachmentStore implements AttachmentStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly retention: Retention = DEFAULT_RETENTION,
  ) {}

  /** The list's version first, then the records: an addition between the two moves the version on, so counting never misses one. */
  async attachments(ticketId: string): Promise<AttachmentList> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.uploads(ticketId), ConsistentRead: true }));
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'PK = :pk AND begins_with(SK, :attachment)',
          ExpressionAttributeValues: { ':pk': keys.uploads(ticketId).PK, ':attachment': CHILD.attachment },
          ConsistentRead: true,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
    return { items: items.map(fromAttachmentItem), version: Number(Item?.version ?? 0) };
  }

  async attachment(ticketId: string, id: string): Promise<Attachment | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.attachment(ticketId, id), ConsistentRead: true }));
    return Item ? fromAttachmentItem(Item) : undefined;
  }

  async add(attachment: Attachment, version: number): Promise<boolean> {
    const pendingUntil = Math.ceil((attachment.uploadBy ?? attachment.createdAt) / 1000) + ATTACHMENT_LIMITS.pendingGraceSeconds;
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            // A closed ticket takes none, even when it closed a moment ago.
            {
              ConditionCheck: {
                TableName: this.tableName,
                Key: keys.ticket(attachment.ticketId),
                ConditionExpression: 'attribute_exists(PK) AND #status <> :closed',
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: { ':closed': 'closed' },
              },
            },
            // The list as it was counted: a concurrent addition moved it on, and this one counts again.
            {
              Update: {
                TableName: this.tableName,
                Key: keys.uploads(attachment.ticketId),
                UpdateExpression: 'SET #version = :next, entity = :entity',
                ConditionExpression: version === 0 ? 'attribute_not_exists(#version)' : '#version = :seen',
                ExpressionAttributeNames: { '#version': 'version' },
                ExpressionAttributeValues: { ':next': version + 1, ':entity': 'uploads', ...(version === 0 ? {} : { ':seen': version }) },
              },
            },
            // An upload never made is forgotten by TTL, its record and its place in the count.
            { Put: { TableName: this.tableName, Item: { ...toAttachmentItem(attachment), [TTL_ATTRIBUTE]: pendingUntil }, ConditionExpression: 'attribute_not_exists(PK)' } },
          ],
        }),
      );
      return true;
    } catch (error) {
      if (lostRace(error)) {
        const ticket = await this.db.send(
          new GetCommand({
            TableName: this.tableName,
            Key: keys.ticket(attachment.ticketId),
            ConsistentRead: true,
            ProjectionExpression: '#status',
            ExpressionAttributeNames: { '#status': 'status' },
          }),
        );
        if (ticket.Item?.status === 'closed') throw new TicketClosedError();
        return false;
      }
      throw error;
    }
  }

  async settle(attachment: Attachment, outcome: Pick<Attachment, 'status' | 'reason' | 'checkedAt'>): Promise<boolean> {
    const rejected = outcome.status === 'rejected';
    // An upload finished after its ticket closed (its URL was asked for before): it expires as the closed ticket's attachments do.
    const closedAt = rejected ? undefined : await this.closedAt(attachment.ticketId);
    const kept = closedAt === undefined ? undefined : attachmentExpiry(this.retention, closedAt);
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.attachment(attachment.ticketId, attachment.id),
          // Available: kept with the ticket (no TTL). Rejected: kept a while, so its reason can be read.
          UpdateExpression: rejected
            ? 'SET #status = :status, reason = :reason, checkedAt = :at, #ttl = :ttl REMOVE uploadBy'
            : kept !== undefined
              ? 'SET #status = :status, checkedAt = :at, #ttl = :ttl REMOVE uploadBy'
              : 'SET #status = :status, checkedAt = :at REMOVE uploadBy, #ttl',
          ConditionExpression: '#status = :pending',
          ExpressionAttributeNames: { '#status': 'status', '#ttl': TTL_ATTRIBUTE },
          ExpressionAttributeValues: {
            ':status': outcome.status,
            ':pending': 'pending',
            ':at': outcome.checkedAt,
            ...(rejected ? { ':reason': outcome.reason ?? 'the content did not match', ':ttl': Math.floor((outcome.checkedAt ?? 0) / 1000) + REJECTED_KEPT_SECONDS } : {}),
            ...(kept !== undefined ? { ':ttl': kept } : {}),
          },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  private async closedAt(ticketId: string): Promise<number | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.ticket(ticketId), ConsistentRead: true, ProjectionExpression: 'closedAt' }));
    return typeof Item?.closedAt === 'number' ? Item.closedAt : undefined;
  }
}
