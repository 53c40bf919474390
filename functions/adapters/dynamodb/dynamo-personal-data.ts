import { DeleteCommand, type DynamoDBDocumentClient, PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Attachment } from '../../domain/tickets/attachments';
import type { Comment } from '../../domain/tickets/ticket';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type { AlertMessage } from '../../domain/notifications/alerts';
import type { PersonalAct, PersonalDataStore, PersonDataEvent } from '../../domain/people/personal-data';
import { lostRace, queryAll } from './client';
import {
  CHILD,
  fromAttachmentItem,
  fromBillableEntryItem,
  fromCommentItem,
  fromConsultancyEventItem,
  fromCustomerEventItem,
  fromEventItem,
  INDEX,
  keys,
  personErasure,
  toPersonEventItem,
} from './table';

/** A comment gone meanwhile (its ticket expired) has nothing left to redact. */
const ignoreMissing = (error: unknown) => {
  if (!(error instanceof ConditionalCheckFailedException)) throw error;
};

const ACT_OF: Readonly<Record<string, (item: Record<string, unknown>) => PersonalAct>> = {
  event: (item) => ({ kind: 'ticket-event', event: fromEventItem(item) }),
  comment: (item) => ({ kind: 'comment', comment: fromCommentItem(item) }),
  attachment: (item) => ({ kind: 'attachment', attachment: fromAttachmentItem(item) }),
  'customer-event': (item) => ({ kind: 'customer-event', event: fromCustomerEventItem(item) }),
  'consultancy-event': (item) => ({ kind: 'consultancy-event', event: fromConsultancyEventItem(item) }),
  'consultancy-entry': (item) => ({ kind: 'time-entry', entry: fromBillableEntryItem(item) }),
  'inbound-message': (item) => ({ kind: 'inbound-email', at: Number(item.settledAt), ...(typeof item.rawKey === 'string' ? { rawKey: item.rawKey } : {}) }),
};

/** A person's data on the single table: the acts index (GSI1, `ACTS#<subject>`), their tickets' outbox, their person partition's events. */
export class DynamoPersonalData implements PersonalDataStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async acts(subject: string): Promise<PersonalAct[]> {
    const index = INDEX.byCustomer;
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      IndexName: index,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': `${index}PK` },
      ExpressionAttributeValues: { ':pk': keys.acts(subject) },
    });
    return items.flatMap((item) => {
      const act = ACT_OF[String(item.entity)];
      return act ? [act(item)] : [];
    });
  }

  async ticketMail(ticketId: string) {
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :alert)',
      ExpressionAttributeValues: { ':pk': keys.ticket(ticketId).PK, ':alert': CHILD.alert },
    });
    return items.map((item) => ({ message: item.message as AlertMessage, createdAt: item.createdAt as number, ...(typeof item.sentAt === 'number' ? { sentAt: item.sentAt } : {}) }));
  }

  async redact(comment: Comment, text: string): Promise<void> {
    await this.db
      .send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.comment(comment.ticketId, comment.createdAt, comment.id),
          UpdateExpression: 'SET body = :text',
          ConditionExpression: 'attribute_exists(PK)',
          ExpressionAttributeValues: { ':text': text },
        }),
      )
      .catch(ignoreMissing);
  }

  /** The one delete of the table's items: an erased person's attachment records. */
  async forget(attachment: Attachment): Promise<void> {
    await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: keys.attachment(attachment.ticketId, attachment.id) }));
  }

  async empty(erasure: PersonDataEvent): Promise<void> {
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            { Update: { TableName: this.tableName, ...personErasure(erasure.subject, erasure.at) } },
            { Put: { TableName: this.tableName, Item: toPersonEventItem(erasure, 'erased'), ConditionExpression: 'attribute_not_exists(PK)' } },
          ],
        }),
      );
    } catch (error) {
      // Erased meanwhile by another request: its record stands.
      if (!lostRace(error)) throw error;
    }
  }

  async scrubMail(scope: { ticketIds: readonly string[]; customerId?: string }, scrub: (message: AlertMessage) => AlertMessage | 'drop' | undefined): Promise<number> {
    const index = INDEX.byCustomer;
    // The customer's tickets (a contact hears of every one of them), the ones the person acted on, and the customer's own partition.
    const customerTickets = scope.customerId
      ? await queryAll(this.db, {
          TableName: this.tableName,
          IndexName: index,
          KeyConditionExpression: '#pk = :pk',
          ExpressionAttributeNames: { '#pk': `${index}PK` },
          ExpressionAttributeValues: { ':pk': keys.customerTickets(scope.customerId) },
        })
      : [];
    const partitions = new Set([
      ...scope.ticketIds.map((id) => keys.ticket(id).PK),
      ...customerTickets.map((item) => String(item.PK)),
      ...(scope.customerId ? [keys.customer(scope.customerId).PK] : []),
    ]);
    let changed = 0;
    for (const PK of partitions) {
      const items = await queryAll(this.db, {
        TableName: this.tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :alert)',
        ExpressionAttributeValues: { ':pk': PK, ':alert': CHILD.alert },
      });
      for (const item of items) {
        const result = item.message ? scrub(item.message as AlertMessage) : undefined;
        if (!result) continue;
        // On the state read: a delivery meanwhile is read again by the next erasure run, which finds the rest.
        const seen = { ConditionExpression: '#status = :status', ExpressionAttributeNames: { '#status': 'status' } };
        const key = { PK: item.PK, SK: item.SK };
        const write =
          result === 'drop'
            ? new DeleteCommand({ TableName: this.tableName, Key: key, ...seen, ExpressionAttributeValues: { ':status': item.status } })
            : new UpdateCommand({
                TableName: this.tableName,
                Key: key,
                UpdateExpression: 'SET message = :message',
                ...seen,
                ExpressionAttributeValues: { ':status': item.status, ':message': result },
              });
        await this.db.send(write).then(() => changed++, ignoreMissing);
      }
    }
    return changed;
  }

  /** Once per unique: a retried request records nothing twice. */
  async record(event: PersonDataEvent, unique: string): Promise<void> {
    try {
      await this.db.send(new PutCommand({ TableName: this.tableName, Item: toPersonEventItem(event, unique), ConditionExpression: 'attribute_not_exists(PK)' }));
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
}
