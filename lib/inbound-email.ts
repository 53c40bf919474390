import { CfnOutput, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { ReceiptRuleSet, TlsPolicy } from 'aws-cdk-lib/aws-ses';
import { Lambda, LambdaInvocationType, S3 } from 'aws-cdk-lib/aws-ses-actions';
import { Construct } from 'constructs';
import { privateBucket } from './private-bucket';
import { PARTITION, partitionsUnder } from '../functions/adapters/dynamodb/table';
import { nagResourceName } from './nag';
import type { SlaDeskOperations } from './operations';
import { type FunctionEnvironment, type FunctionSettings, SlaDeskFunction } from './sla-desk-function';

/** Raw inbound messages are kept 30 days (issue 23's retention), long enough to replay a failed run. */
const RAW_RETENTION = Duration.days(30);
/** The write actions a comment or a new ticket takes, alone or as a transaction's items (its condition checks come with the read grant). */
const INGEST_WRITES = ['dynamodb:PutItem', 'dynamodb:UpdateItem'] as const;
const INGEST_PARTITIONS = ['inbound', 'ticket', 'customer', 'idempotency', 'person'] as const;
/** Where the S3 action stores a message: this prefix and SES's message id. */
const PREFIX = 'inbound/';

export interface SlaDeskInboundEmailProps {
  readonly stage: string;
  readonly functions: FunctionSettings;
  readonly table: ITable;
  readonly operations: SlaDeskOperations;
  /** The settings every function parses (the timer settings). */
  readonly environment: FunctionEnvironment;
  /** The domain SES receives mail for; its MX record points at SES (docs/deployment.md). */
  readonly domain: string;
  /** Production: bucket, key and secret are retained. Otherwise they go with the stack. */
  readonly retain: boolean;
}

/**
 * Email into tickets on AWS: SES receives mail for the inbound domain, its S3
 * action stores the raw message in a bucket of its own (KMS-encrypted, TLS
 * only, no public access, 30 days), and its Lambda action then invokes the
 * ingest function asynchronously with the receipt's verdicts; a run that fails
 * after Lambda's retries is kept on the failed-invocations queue and pages.
 */
export class SlaDeskInboundEmail extends Construct {
  readonly bucket: Bucket;
  readonly key: Key;
  /** The reply-address secret: HMAC key of every ticket's Reply-To. */
  readonly secret: Secret;
  readonly ingestFunction: SlaDeskFunction;
  readonly ruleSet: ReceiptRuleSet;
  readonly errorsAlarm: Alarm;
  /** The inbound domain, as mail systems deliver it (lower case). */
  readonly domain: string;

  constructor(scope: Construct, id: string, props: SlaDeskInboundEmailProps) {
    super(scope, id);
    this.domain = props.domain;
    const removalPolicy = props.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    const stack = Stack.of(this);

    this.key = new Key(this, 'Key', { description: `sla-desk ${props.stage} raw inbound email`, enableKeyRotation: true, removalPolicy, ...(props.retain ? {} : { pendingWindow: Duration.days(7) }) });
    // SES writes each message under the bucket's default encryption: S3 asks KMS for a data key on SES's behalf.
    this.key.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('ses.amazonaws.com')],
        actions: ['kms:GenerateDataKey'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account, 'kms:ViaService': `s3.${stack.region}.${stack.urlSuffix}` } },
      }),
    );

    this.bucket = new Bucket(this, 'Bucket', {
      ...privateBucket(this.key, props.retain),
      lifecycleRules: [{ id: 'raw-inbound-email', expiration: RAW_RETENTION, abortIncompleteMultipartUploadAfter: Duration.days(1) }],
    });
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'Only SES writes here (its receipt rule) and only the ingest function reads, each message once; both are logged (SES receipt metrics, the function logs), and objects expire after 30 days.',
    });

    this.secret = new Secret(this, 'ReplyAddressSecret', {
      description: `sla-desk ${props.stage}: the HMAC key of tickets' reply addresses`,
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy,
    });
    Validations.of(this.secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Rotating this key would invalidate the Reply-To of every email already sent, so replies to them would be refused as forged; it is replaced deliberately (docs/email.md), not on a schedule.',
    });

    this.ingestFunction = new SlaDeskFunction(this, 'IngestFunction', {
      entry: 'functions/handlers/inbound/ingest-email.ts',
      description: 'sla-desk email into tickets',
      // The raw message (at most 36 MiB) and its decoded parts are in memory together.
      memorySize: 1024,
      // Shorter than the claim's lease (functions/handlers/inbound/ingest-world.ts), so a live run is never overtaken.
      timeout: Duration.minutes(5),
      environment: { ...props.environment, INBOUND_DOMAIN: props.domain, INBOUND_BUCKET: this.bucket.bucketName, INBOUND_PREFIX: PREFIX, INBOUND_SECRET_ARN: this.secret.secretArn },
      settings: props.functions,
      // It writes what a customer's comment or new ticket writes (the ticket, its events, comments and emails, the
      // customer's ticket counter, the request's idempotency record, a contact's person record), its messages'
      // claims and refusals; it never deletes.
    }).bindTableScoped(props.table, { actions: INGEST_WRITES, leadingKeys: INGEST_PARTITIONS.map((p) => partitionsUnder(PARTITION[p])) });
    const messages = this.bucket.arnForObjects(`${PREFIX}*`);
    this.ingestFunction.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['s3:GetObject'], resources: [messages] }));
    Validations.of(this.ingestFunction).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${nagResourceName(this, messages)}]`,
      reason: "The function reads each message SES stored, named by SES's message id at run time; the grant is s3:GetObject on the bucket's inbound/ prefix only.",
    });
    this.key.grantDecrypt(this.ingestFunction.role);
    this.secret.grantRead(this.ingestFunction.role);

    this.errorsAlarm = props.operations.guardAsync(
      this.ingestFunction,
      { retryAttempts: 2, maxEventAge: Duration.hours(6) },
      'A received email was not turned into a comment, a ticket or a refusal. Replay it from the failed-invocations queue (its raw message is kept 30 days); it is ingested once by its Message-ID.',
    );

    // One rule set per stage; SES has one active set per region, which a deploy cannot choose (docs/deployment.md).
    this.ruleSet = new ReceiptRuleSet(this, 'RuleSet', { receiptRuleSetName: `sla-desk-${props.stage}-inbound` });
    this.ruleSet.addRule('Ingest', {
      // The domain matches every address at it: the support mailbox and each ticket's reply address.
      recipients: [props.domain],
      scanEnabled: true,
      tlsPolicy: TlsPolicy.REQUIRE,
      actions: [new S3({ bucket: this.bucket, objectKeyPrefix: PREFIX }), new Lambda({ function: this.ingestFunction.fn, invocationType: LambdaInvocationType.EVENT })],
    });

    new CfnOutput(this, 'InboundRuleSetName', { value: this.ruleSet.receiptRuleSetName });
    new CfnOutput(this, 'InboundBucketName', { value: this.bucket.bucketName });
  }

  /** Lets a person's erasure delete the raw emails they sent: DeleteObject under inbound/, and the bucket's name. */
  grantErase(fn: SlaDeskFunction): void {
    fn.addEnvironment('INBOUND_BUCKET', this.bucket.bucketName);
    const messages = this.bucket.arnForObjects(`${PREFIX}*`);
    fn.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['s3:DeleteObject'], resources: [messages] }));
    Validations.of(fn).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${nagResourceName(this, messages)}]`,
      reason: "A person's erasure deletes the raw emails they sent, named by SES's message id at run time; the grant is s3:DeleteObject on the inbound bucket's inbound/ prefix only.",
    });
  }

  /** Lets a function that sends a ticket's emails sign their Reply-To: the domain, and read access to the secret. */
  letSign(fn: SlaDeskFunction): void {
    fn.addEnvironment('INBOUND_DOMAIN', this.domain).addEnvironment('INBOUND_SECRET_ARN', this.secret.secretArn);
    this.secret.grantRead(fn.role);
  }
}
