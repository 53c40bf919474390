import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, StreamViewType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { tableDefinition, TTL_ATTRIBUTE } from '../functions/adapters/dynamodb/table';

export interface SlaDeskDataProps {
  /** Production: retained and protected against deletion. Otherwise destroyed with the stack. */
  readonly retain: boolean;
}

/**
 * The single table. Ticket history is the product, so in production
 * everything here is retained and protected against accidental deletion;
 * a development stage's goes with its stack. Point-in-time recovery and
 * encryption are on in every stage.
 */
export class SlaDeskData extends Construct {
  readonly table: Table;
  readonly key: Key;

  constructor(scope: Construct, id: string, props: SlaDeskDataProps) {
    super(scope, id);
    const removalPolicy = props.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    this.key = new Key(this, 'TableKey', {
      description: 'sla-desk data encryption (the table, the report and attachment buckets)',
      enableKeyRotation: true,
      removalPolicy,
      // A destroyed key waits the shortest time KMS allows before it is gone.
      ...(props.retain ? {} : { pendingWindow: Duration.days(7) }),
    });

    this.table = new Table(this, 'Table', {
      partitionKey: { name: 'PK', type: AttributeType.STRING },
      sortKey: { name: 'SK', type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: props.retain,
      removalPolicy,
      encryption: TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.key,
      timeToLiveAttribute: TTL_ATTRIBUTE,
      // Keys only: what expired is all the attachments' expiry needs to remove its bytes (lib/attachments.ts).
      stream: StreamViewType.KEYS_ONLY,
    });

    // The indexes of the table definition the local stack creates: one shape, two engines.
    for (const index of tableDefinition('sla-desk').GlobalSecondaryIndexes ?? []) {
      const [partition, sort] = index.KeySchema!;
      this.table.addGlobalSecondaryIndex({
        indexName: index.IndexName!,
        partitionKey: { name: partition!.AttributeName!, type: AttributeType.STRING },
        sortKey: { name: sort!.AttributeName!, type: AttributeType.STRING },
        projectionType: ProjectionType.ALL,
      });
    }
  }
}
