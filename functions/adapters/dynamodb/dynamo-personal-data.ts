import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConcurrentWriteError } from '../../domain/errors';
import type { Attachment } from '../../domain/tickets/attachments';
import type { Comment } from '../../domain/tickets/ticket';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type { AlertMessage } from '../../domain/notifications/alerts';
import type { MailScope, PersonalAct, PersonalDataStore, PersonDataEvent } from '../../domain/people/personal-data';
import pMap from 'p-map';
import { lostRace, queryAll } from './client';
import { reportReadyAbout } from '../../domain/reports/report-archive';
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

  async description(ticketId: string): Promise<string | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.ticket(ticketId), ConsistentRead: true, ProjectionExpression: 'description' }));
    return typeof Item?.description === 'string' ? Item.description : undefined;
  }

  async redactDescription(ticketId: string, text: string): Promise<boolean> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const { Item } = await this.db.send(
        new GetCommand({
          TableName: this.tableName,
          Key: keys.ticket(ticketId),
          ConsistentRead: true,
          ProjectionExpression: 'description, #version',
          ExpressionAttributeNames: { '#version': 'version' },
        }),
      );
      // Gone (expired), or redacted before.
      if (!Item || Item.description === text) return false;
      try {
        await this.db.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: keys.ticket(ticketId),
            UpdateExpression: 'SET description = :text, #version = :next',
            ConditionExpression: '#version = :version',
            ExpressionAttributeNames: { '#version': 'version' },
            ExpressionAttributeValues: { ':text': text, ':version': Item.version, ':next': Number(Item.version) + 1 },
          }),
        );
        return true;
      } catch (error) {
        // Changed meanwhile: read again.
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    }
    throw new ConcurrentWriteError('the ticket was being changed at the same time; erase again');
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

  async scrubMail(scope: MailScope, scrub: (message: AlertMessage) => AlertMessage | undefined): Promise<number> {
    // Many partitions at once, so a large customer's erasure answers within API Gateway's 30 s.
    const changed = await pMap(await this.mailPartitions(scope), (partition) => this.scrubPartition(partition, scrub), { concurrency: PARALLEL_PARTITIONS });
    return changed.reduce((sum, n) => sum + n, 0);
  }

  /**
   * Where the messages of a scope are kept: the tickets named, the customer's
   * tickets (a contact hears of every one of them) and its own partition, its
   * notices among the service windows' and its "report ready" emails beside
   * each report version, by index; and the polite refusals sent to the
   * address; never a scan.
   */
  private async mailPartitions(scope: MailScope): Promise<MailPartition[]> {
    const [customerTickets, windows, reports] = scope.customerId
      ? await Promise.all([this.partitionsIn(INDEX.byCustomer, keys.customerTickets(scope.customerId)), this.partitionsIn(INDEX.lists, keys.windows), this.reportMailPartitions()])
      : [[], [], []];
    const partitions = new Set([...scope.ticketIds.map((id) => keys.ticket(id).PK), ...customerTickets, ...(scope.customerId ? [keys.customer(scope.customerId).PK] : [])]);
    // A window's or a report's partition keeps one email per customer told: only theirs is read.
    const refusals = scope.email ? keys.refusalsTo(scope.email) : undefined;
    return [
      ...[...partitions].map((PK) => ({ PK })),
      ...[...windows, ...reports].map((PK) => ({ PK, ...(scope.customerId ? { customerId: scope.customerId } : {}) })),
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

  /** Where each report version's "report ready" emails are kept. */
  private async reportMailPartitions(): Promise<string[]> {
    const index = INDEX.lists;
    const versions = await queryAll(this.db, {
      TableName: this.tableName,
      IndexName: index,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': `${index}PK`, '#month': 'month', '#version': 'version' },
      ExpressionAttributeValues: { ':pk': keys.reports },
      ProjectionExpression: '#month, #version',
    });
    return versions.map((v) => keys.alert({ id: '', about: reportReadyAbout({ month: String(v.month), version: Number(v.version) }), kind: 'report-ready', channel: 'email' }).PK);
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

  /**
   * Each message of theirs rewritten, whatever its state: a delivery meanwhile
   * changes its status, never its text. One for them alone that is still to be
   * sent is withdrawn (off the outbox, never sent) but kept, as a report may
   * count it (hypercare digests); a refusal's key holds the address, so it goes.
   */
  private async scrubPartition(partition: MailPartition, scrub: (message: AlertMessage) => AlertMessage | undefined): Promise<number> {
    const items = await this.messagesIn(partition);
    let changed = 0;
    for (const item of items) {
      const message = item.message as AlertMessage | undefined;
      const scrubbed = message ? scrub(message) : undefined;
      if (!message || !scrubbed) continue;
      const key = { PK: item.PK, SK: item.SK };
      changed++;
      if (partition.from) {
        await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: key }));
        continue;
      }
      const alone = Boolean(message.recipients?.length) && scrubbed.recipients?.length === 0;
      if (alone && item.status === 'pending') {
        const withdrawn = await this.db
          .send(
            new UpdateCommand({
              TableName: this.tableName,
              Key: key,
              UpdateExpression: 'SET message = :message, #status = :withdrawn REMOVE #outboxPK, #outboxSK',
              ConditionExpression: '#status = :pending',
              ExpressionAttributeNames: { '#status': 'status', '#outboxPK': `${INDEX.lists}PK`, '#outboxSK': `${INDEX.lists}SK` },
              ExpressionAttributeValues: { ':message': scrubbed, ':withdrawn': 'withdrawn', ':pending': 'pending' },
            }),
          )
          .then(
            () => true,
            (error: unknown) => (error instanceof ConditionalCheckFailedException ? false : Promise.reject(error)),
          );
        // Sent meanwhile: its text is scrubbed all the same.
        if (withdrawn) continue;
      }
      await this.db
        .send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: key,
            UpdateExpression: 'SET message = :message',
            ConditionExpression: 'attribute_exists(PK)',
            ExpressionAttributeValues: { ':message': scrubbed },
          }),
        )
        .catch(ignoreMissing);
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
