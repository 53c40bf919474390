import { CfnOutput, Duration, Stack, Validations } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Bucket, EventType, HttpMethods } from 'aws-cdk-lib/aws-s3';
import { LambdaDestination } from 'aws-cdk-lib/aws-s3-notifications';
import { FilterCriteria, FilterRule, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Construct } from 'constructs';
import { privateBucket } from './private-bucket';
import { ATTACHMENT_PREFIX, REJECTED_TAG } from '../functions/adapters/attachments/attachment-bucket';
import { CHILD, PARTITION, partitionsUnder } from '../functions/adapters/dynamodb/table';
import { nagResourceName } from './nag';
import type { SlaDeskOperations } from './operations';
import { type FunctionEnvironment, type FunctionSettings, SlaDeskFunction } from './sla-desk-function';

export interface SlaDeskAttachmentsProps {
  readonly stage: string;
  readonly functions: FunctionSettings;
  readonly table: ITable;
  readonly operations: SlaDeskOperations;
  /** The settings every function parses (the timer settings). */
  readonly environment: FunctionEnvironment;
  /**
   * The data key, the table's. An attachment is part of its ticket: the same
   * customer's data, kept as long, read by the function that already reads the
   * ticket under this key. No service needs a key policy statement (S3 uses the
   * key on behalf of the roles granted here), so a key of its own would only add
   * $1 a month and a second key to keep.
   */
  readonly key: IKey;
  /** The console's origin, the only one browsers may upload from or read with. */
  readonly consoleOrigin: string;
  /** Production: the bucket is retained. Otherwise it goes with the stack, emptied first. */
  readonly retain: boolean;
}

/**
 * Tickets' attachments on AWS: a bucket the console uploads to and reads from
 * with presigned URLs only (KMS-encrypted, TLS only, no public access, CORS for
 * the console alone), and the check function S3 invokes for each upload, which
 * makes the attachment available or rejected by its first bytes. A rejected
 * object is tagged and removed a day later; an available one goes with its
 * record, which expires a year after its ticket closes (docs/privacy.md).
 *
 * S3's lifecycle counts from an object's creation, not from its ticket's
 * closing, so the record's time to live decides: the table's stream hands
 * each attachment record the time to live removed to the expiry function,
 * which deletes that one object. It is the one role here with a delete, on
 * the attachment keys only, invoked by nothing but those removals.
 */
export class SlaDeskAttachments extends Construct {
  readonly bucket: Bucket;
  readonly key: IKey;
  readonly checkFunction: SlaDeskFunction;
  readonly expiryFunction: SlaDeskFunction;
  readonly errorsAlarm: Alarm;

  constructor(scope: Construct, id: string, props: SlaDeskAttachmentsProps) {
    super(scope, id);
    this.key = props.key;
    this.bucket = new Bucket(this, 'Bucket', {
      ...privateBucket(this.key, props.retain),
      // The presigned signature authorizes each request; CORS decides which pages may read the answer.
      cors: [
        // Uploads come from the console's own page, with the headers the URL was signed for.
        { allowedOrigins: [props.consoleOrigin], allowedMethods: [HttpMethods.PUT], allowedHeaders: ['content-type', 'if-none-match'], exposedHeaders: ['etag'], maxAge: 3600 },
        // Reads follow the API's 303, after which the browser sends `Origin: null`: any origin, as for the report bucket.
        { allowedOrigins: ['*'], allowedMethods: [HttpMethods.GET], maxAge: 3600 },
      ],
      lifecycleRules: [
        { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
        // What the check rejected, or an upload whose request had expired: its record says why, the bytes go (S3 counts the day from the upload).
        { id: 'remove-rejected', tagFilters: { [REJECTED_TAG.key]: REJECTED_TAG.value }, expiration: Duration.days(1) },
      ],
    });
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'Objects are written and read only through presigned URLs the tickets function hands out, each request of which its logs record (who asked, for which ticket and attachment); the check function logs every upload it checks.',
    });

    this.checkFunction = new SlaDeskFunction(this, 'CheckFunction', {
      entry: 'functions/handlers/attachments/check-upload.ts',
      description: 'sla-desk check of uploaded attachments',
      timeout: Duration.seconds(30),
      environment: props.environment,
      settings: props.functions,
      // It settles the attachment's record, kept in its ticket's partition (TICKET#<id>, ATTACHMENT#<id>), and writes nothing else.
    }).bindTableScoped(props.table, { actions: ['dynamodb:UpdateItem'], leadingKeys: [partitionsUnder(PARTITION.ticket)] });
    this.grantObjects(this.checkFunction, ['s3:GetObject', 's3:PutObjectTagging'], "reads each uploaded object's first bytes and tags a rejected one, named at run time");
    this.grantKey(this.checkFunction, 'kms:Decrypt');

    this.bucket.addEventNotification(EventType.OBJECT_CREATED, new LambdaDestination(this.checkFunction.fn), { prefix: ATTACHMENT_PREFIX });
    this.errorsAlarm = props.operations.guardAsync(
      this.checkFunction,
      { retryAttempts: 2, maxEventAge: Duration.hours(6) },
      'An uploaded attachment was not checked and stays pending. Replay its event from the failed-invocations queue; a settled attachment is not checked twice.',
    );

    this.expiryFunction = new SlaDeskFunction(this, 'ExpiryFunction', {
      entry: 'functions/handlers/attachments/expire-bytes.ts',
      description: "sla-desk removal of an expired attachment's bytes",
      timeout: Duration.seconds(30),
      settings: props.functions,
      environment: { ...props.environment, ATTACHMENT_BUCKET: this.bucket.bucketName },
    });
    this.expiryFunction.fn.addEventSource(
      new DynamoEventSource(props.table, {
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: 100,
        // Only the time to live's removals of attachment records: no other change invokes it.
        filters: [
          FilterCriteria.filter({
            eventName: FilterRule.isEqual('REMOVE'),
            userIdentity: { type: FilterRule.isEqual('Service'), principalId: FilterRule.isEqual('dynamodb.amazonaws.com') },
            dynamodb: { Keys: { SK: { S: FilterRule.beginsWith(CHILD.attachment) } } },
          }),
        ],
        retryAttempts: 10,
        bisectBatchOnError: true,
        onFailure: new SqsDlq(props.operations.failedInvocations),
      }),
    );
    const objects = this.bucket.arnForObjects(`${ATTACHMENT_PREFIX}*`);
    this.expiryFunction.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['s3:DeleteObject'], resources: [objects] }));
    Validations.of(this.expiryFunction).acknowledge(
      {
        id: `AwsSolutions-IAM5[Resource::${nagResourceName(this, objects)}]`,
        reason: `The function deletes the object of each attachment record the table's time to live removed, named at run time; the grant is s3:DeleteObject on the attachment bucket's ${ATTACHMENT_PREFIX} prefix only.`,
      },
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: "dynamodb:ListStreams, which reading the table's stream needs, and X-Ray's PutTraceSegments and PutTelemetryRecords support no resource-level permissions.",
      },
    );

    // CDK's one function that writes the bucket's notification configuration, at deploy.
    const notifications = Stack.of(this).node.tryFindChild('BucketNotificationsHandler050a0587b7544547bf325f094a3db834');
    if (notifications) {
      const why = "CDK's bucket-notifications function runs only during deploys, writing the attachment bucket's notification configuration";
      Validations.of(notifications).acknowledge(
        { id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]', reason: `${why}; the managed policy only lets it write its own logs.` },
        { id: 'AwsSolutions-IAM5[Resource::*]', reason: `${why}; CDK grants it s3:PutBucketNotification alone, on any bucket, as it serves every bucket of the stack.` },
      );
    }

    new CfnOutput(this, 'AttachmentBucketName', { value: this.bucket.bucketName });
  }

  /** Lets a function hand out upload URLs: a presigned PutObject is the role's own, so it needs PutObject and a data key. */
  grantUpload(fn: SlaDeskFunction): void {
    fn.addEnvironment('ATTACHMENT_BUCKET', this.bucket.bucketName);
    this.grantObjects(fn, ['s3:PutObject'], "signs upload URLs for each ticket's attachments, named at run time");
    this.grantKey(fn, 'kms:GenerateDataKey');
  }

  /** Lets a function link to attachments: a presigned GetObject, decrypted under the role's grant. */
  grantRead(fn: SlaDeskFunction): void {
    fn.addEnvironment('ATTACHMENT_BUCKET', this.bucket.bucketName);
    this.grantObjects(fn, ['s3:GetObject'], "signs download links to each ticket's attachments, named at run time");
    this.grantKey(fn, 'kms:Decrypt');
  }

  /** Lets the erasure delete an erased person's files, object by object: DeleteObject under tickets/, nothing else. */
  grantErase(fn: SlaDeskFunction): void {
    fn.addEnvironment('ATTACHMENT_BUCKET', this.bucket.bucketName);
    this.grantObjects(fn, ['s3:DeleteObject'], 'deletes the files an erased person attached, named at run time');
  }

  /** Object actions on the attachment keys only; never the bucket's listing or configuration. */
  private grantObjects(fn: SlaDeskFunction, actions: readonly ('s3:GetObject' | 's3:PutObject' | 's3:PutObjectTagging' | 's3:DeleteObject')[], why: string): void {
    const keys = this.bucket.arnForObjects(`${ATTACHMENT_PREFIX}*`);
    fn.role.addToPrincipalPolicy(new PolicyStatement({ actions: [...actions], resources: [keys] }));
    Validations.of(fn).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${nagResourceName(this, keys)}]`,
      reason: `The function ${why}; the grant is ${actions.join(' and ')} on the attachment bucket's ${ATTACHMENT_PREFIX} prefix only.`,
    });
  }

  /** What S3 asks of the role under the bucket's key (a bucket key), and only through S3. */
  private grantKey(fn: SlaDeskFunction, action: 'kms:Decrypt' | 'kms:GenerateDataKey'): void {
    const stack = Stack.of(this);
    fn.role.addToPrincipalPolicy(new PolicyStatement({ actions: [action], resources: [this.key.keyArn], conditions: { StringEquals: { 'kms:ViaService': `s3.${stack.region}.${stack.urlSuffix}` } } }));
  }
}
