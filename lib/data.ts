import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { tableDefinition, TTL_ATTRIBUTE } from '../functions/adapters/dynamodb/table';


/**
 * The single table. Ticket history is the product, so everything here is
 * retained and protected against accidental deletion.
 */
export class SlaDeskData extends Construct {
  readonly table: Table;
  readonly key: Key;

  constructor(scope: Construct, id: string) {
    super(scope, id);

    this.key = new Key(this, 'TableKey', {
      description: 'sla-desk table encryption',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.table = new Table(this, 'Table', {
      partitionKey: { name: 'PK', type: AttributeType.STRING },
      sortKey: { name: 'SK', type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      encryption: TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.key,
      timeToLiveAttribute: TTL_ATTRIBUTE,
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
