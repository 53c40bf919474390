import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Instant } from '../../domain/calendar/business-calendar';
import type { ClaimResult, InboundClaims, InboundOutcome, InboundTrace, MessageKey } from '../../domain/inbound/inbound-ports';
import { actedBy, keys, TTL_ATTRIBUTE } from '../dynamodb/table';

/** As long as the raw message is kept (the bucket's lifecycle): a redelivery after that finds nothing to read anyway. */
const CLAIM_TTL_SECONDS = 30 * 86_400;

/** Each received message's claim, one item per Message-ID (`keys.inboundMessage`), written conditionally. */
export class DynamoInboundClaims implements InboundClaims {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async claim(key: MessageKey, at: Instant, leaseMs: number): Promise<ClaimResult> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys.inboundMessage(key), entity: 'inbound-message', state: 'claimed', claimedAt: at, leaseUntil: at + leaseMs, [TTL_ATTRIBUTE]: Math.floor(at / 1000) + CLAIM_TTL_SECONDS },
          // New, or claimed by a run whose lease ran out; never one that is done.
          ConditionExpression: 'attribute_not_exists(PK) OR (#state = :claimed AND leaseUntil < :at)',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':claimed': 'claimed', ':at': at },
        }),
      );
      return { claim: 'taken' };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.inboundMessage(key), ConsistentRead: true }));
    return Item?.state === 'done' ? { claim: 'done', outcome: JSON.parse(Item.outcome as string) as InboundOutcome } : { claim: 'busy' };
  }

  async release(key: MessageKey): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.inboundMessage(key),
          UpdateExpression: 'SET leaseUntil = :none',
          ConditionExpression: '#state = :claimed',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':claimed': 'claimed', ':none': 0 },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  async settle(key: MessageKey, outcome: InboundOutcome, at: Instant, trace?: InboundTrace): Promise<void> {
    // A known sender's message is filed under them (GSI1, ACTS#), with the raw message's key: their erasure deletes it.
    const filed = trace ? Object.entries(actedBy(trace.by, at, keys.inboundMessage(key))).filter(([name]) => name !== 'PK' && name !== 'SK') : [];
    const traced = { ...Object.fromEntries(filed), ...(trace ? { sender: trace.by } : {}), ...(trace?.rawKey ? { rawKey: trace.rawKey } : {}) };
    const names = Object.fromEntries(Object.keys(traced).map((name, i) => [`#t${i}`, name]));
    const values = Object.fromEntries(Object.values(traced).map((value, i) => [`:t${i}`, value]));
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.inboundMessage(key),
        UpdateExpression: `SET #state = :done, outcome = :outcome, settledAt = :at${Object.keys(names)
          .map((name, i) => `, ${name} = :t${i}`)
          .join('')} REMOVE leaseUntil`,
        ConditionExpression: 'attribute_exists(PK)',
        ExpressionAttributeNames: { '#state': 'state', ...names },
        ExpressionAttributeValues: { ':done': 'done', ':outcome': JSON.stringify(outcome), ':at': at, ...values },
      }),
    );
  }
}
