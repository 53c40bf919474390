import { DeleteCommand, type DynamoDBDocumentClient, PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Attachment } from '../../domain/tickets/attachments';
import type { Comment } from '../../domain/tickets/ticket';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type { AlertMessage } from '../../domain/notifications/alerts';
import type { MailScope, PersonalAct, PersonalDataStore, PersonDataEvent } from '../../domain/people/personal-data';
import pMap from 'p-map';
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

/** Partitions read and scrubbed at once: DynamoDB takes far more; a Lambda's sockets (50 by default) stay free for the rest. */
const PARALLEL_PARTITIONS = 16;

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

/** A partition messages are kept in: only one customer's of them, or only those whose sort keys start with `from`. */
interface MailPartition {
  readonly PK: string;
  readonly customerId?: string;
  readonly from?: string;
}

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

  async keptMail(scope: MailScope) {
    const kept = await pMap(await this.mailPartitions(scope), (partition) => this.messagesIn(partition), { concurrency: PARALLEL_PARTITIONS });
    return kept
      .flat()
      .flatMap((item) => (item.message ? [{ message: item.message as AlertMessage, createdAt: item.createdAt as number, ...(typeof item.sentAt === 'number' ? { sentAt: item.sentAt } : {}) }] : []));
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

  async scrubMail(scope: MailScope, scrub: (message: AlertMessage) => AlertMessage | 'drop' | undefined): Promise<number> {
    // Many partitions at once, so a large customer's erasure answers within API Gateway's 30 s.
    const changed = await pMap(await this.mailPartitions(scope), (partition) => this.scrubPartition(partition, scrub), { concurrency: PARALLEL_PARTITIONS });
    return changed.reduce((sum, n) => sum + n, 0);
  }

  /**
   * Where the messages of a scope are kept: the tickets named, the customer's
   * tickets (a contact hears of every one of them) and its own partition, its
   * notices among the service windows', by index, and the polite refusals sent
   * to the address; never a scan.
   */
  private async mailPartitions(scope: MailScope): Promise<MailPartition[]> {
    const [customerTickets, windows] = scope.customerId
      ? await Promise.all([this.partitionsIn(INDEX.byCustomer, keys.customerTickets(scope.customerId)), this.partitionsIn(INDEX.lists, keys.windows)])
      : [[], []];
    const partitions = new Set([...scope.ticketIds.map((id) => keys.ticket(id).PK), ...customerTickets, ...(scope.customerId ? [keys.customer(scope.customerId).PK] : [])]);
    // A window's partition keeps one notice per customer told: only theirs is read.
    const refusals = scope.email ? keys.refusalsTo(scope.email) : undefined;
    return [
      ...[...partitions].map((PK) => ({ PK })),
      ...windows.map((PK) => ({ PK, ...(scope.customerId ? { customerId: scope.customerId } : {}) })),
      ...(refusals ? [{ PK: refusals.PK, from: refusals.SK }] : []),
    ];
  }

  /** The partition keys an index lists under one key. */
  private async partitionsIn(index: (typeof INDEX)[keyof typeof INDEX], key: string): Promise<string[]> {
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      IndexName: index,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': `${index}PK` },
      ExpressionAttributeValues: { ':pk': key },
      // Their keys alone, not whole tickets.
      ProjectionExpression: 'PK',
    });
    return items.map((item) => String(item.PK));
  }

  /** The messages kept in a partition (only one customer's, or those whose keys start so, when said). */
  private messagesIn(partition: MailPartition) {
    return queryAll(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :alert)',
      ...(partition.customerId
        ? { FilterExpression: 'message.customerId = :customer', ExpressionAttributeValues: { ':pk': partition.PK, ':alert': CHILD.alert, ':customer': partition.customerId } }
        : { ExpressionAttributeValues: { ':pk': partition.PK, ':alert': partition.from ?? CHILD.alert } }),
    });
  }

  private async scrubPartition(partition: MailPartition, scrub: (message: AlertMessage) => AlertMessage | 'drop' | undefined): Promise<number> {
    const items = await this.messagesIn(partition);
    let changed = 0;
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
