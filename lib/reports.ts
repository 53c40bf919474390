import { CfnOutput, Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { BlockPublicAccess, Bucket, BucketEncryption, HttpMethods, ObjectOwnership, StorageClass } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { RECURRING } from '../functions/domain/recurrence';
import { nagResourceName } from './nag';
import type { SlaDeskOperations } from './operations';
import { RecurringInvocation } from './recurring-invocation';
import { SlaDeskFunction } from './sla-desk-function';

/** Reports must stay available for at least five years; six covers leap days and a late audit. */
const REPORT_RETENTION = Duration.days(6 * 366);

export interface SlaDeskReportsProps {
  readonly stage: string;
  readonly table: ITable;
  readonly operations: SlaDeskOperations;
  /** The settings every function parses (timers, probe targets), and FINANCE_EMAILS. */
  readonly environment: Record<string, string>;
}

/**
 * The monthly reports: a bucket that keeps every version of every report for
 * years and never serves the public, the report function, and its schedule
 * (the 1st at 06:00 Copenhagen time).
 */
export class SlaDeskReports extends Construct {
  readonly bucket: Bucket;
  readonly key: Key;
  readonly reportFunction: SlaDeskFunction;
  readonly errorsAlarm: Alarm;
  /** The schedule that starts the report function, and the role it does so with. */
  readonly invocation: RecurringInvocation;

  constructor(scope: Construct, id: string, props: SlaDeskReportsProps) {
    super(scope, id);
    this.key = new Key(this, 'ReportKey', { description: 'sla-desk report encryption', enableKeyRotation: true, removalPolicy: RemovalPolicy.RETAIN });
    this.bucket = new Bucket(this, 'ReportBucket', {
      encryption: BucketEncryption.KMS,
      encryptionKey: this.key,
      bucketKeyEnabled: true,
      versioned: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      removalPolicy: RemovalPolicy.RETAIN,
      // The console downloads a file by following the API's 303 to a presigned URL. After that cross-origin
      // redirect the browser sends Origin: null, so any origin may GET; the presigned signature is the authorization.
      cors: [{ allowedMethods: [HttpMethods.GET], allowedOrigins: ['*'], maxAge: 3600 }],
      lifecycleRules: [
        {
          id: 'keep-reports',
          transitions: [
            { storageClass: StorageClass.INFREQUENT_ACCESS, transitionAfter: Duration.days(90) },
            { storageClass: StorageClass.GLACIER_INSTANT_RETRIEVAL, transitionAfter: Duration.days(365) },
          ],
          expiration: REPORT_RETENTION,
          noncurrentVersionExpiration: REPORT_RETENTION,
          abortIncompleteMultipartUploadAfter: Duration.days(7),
        },
      ],
    });
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'Only the report function writes here and only the report routes read; their invocations are logged (Lambda logs, API access logs), and the objects are immutable (conditional writes, versioning).',
    });

    this.reportFunction = new SlaDeskFunction(this, 'ReportFunction', {
      entry: 'functions/handlers/timer/monthly-report.ts',
      description: 'sla-desk monthly reports',
      // A month's partitions for every customer: minutes, not seconds, at the benchmark's scale.
      timeout: Duration.minutes(10),
      memorySize: 1024,
      environment: props.environment,
    }).bindTable(props.table, 'readWrite');
    this.grantRead(this.reportFunction);
    this.grantObjects(this.reportFunction, 's3:PutObject', 'writes each version of a month under reports/<YYYY-MM>/v<n>/, names made at run time');
    this.key.grantEncrypt(this.reportFunction.role);

    this.invocation = new RecurringInvocation(this, 'ReportInvocation', {
      stage: props.stage,
      name: 'report',
      description: 'monthly report',
      fn: this.reportFunction.fn,
      recurrence: RECURRING.report,
      retryPolicy: { retryAttempts: 2, maxEventAge: Duration.hours(6) },
    });
    this.errorsAlarm = props.operations.guardAsync(
      this.reportFunction,
      { retryAttempts: 2, maxEventAge: Duration.hours(6) },
      "A month's report was not generated; generate it again with POST /reports/{YYYY-MM}.",
    );
    new CfnOutput(this, 'ReportBucketName', { value: this.bucket.bucketName });
  }

  /** Lets a function serve report files: read the bucket's report keys and decrypt them. */
  grantRead(fn: SlaDeskFunction): void {
    fn.addEnvironment('REPORT_BUCKET', this.bucket.bucketName);
    this.grantObjects(fn, 's3:GetObject', 'reads the files of any month and version, named at run time');
    this.key.grantDecrypt(fn.role);
  }

  /** Lets a function ask for a month's report: invoke the report function (asynchronously), and nothing else. */
  grantRequest(fn: SlaDeskFunction): void {
    fn.addEnvironment('REPORT_FUNCTION', this.reportFunction.fn.functionName);
    fn.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [this.reportFunction.fn.functionArn] }));
  }

  /** One S3 action on the report keys only; never the bucket's listing, configuration or other prefixes. */
  private grantObjects(fn: SlaDeskFunction, action: 's3:GetObject' | 's3:PutObject', why: string): void {
    const keys = this.bucket.arnForObjects('reports/*');
    fn.role.addToPrincipalPolicy(new PolicyStatement({ actions: [action], resources: [keys] }));
    Validations.of(fn).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${nagResourceName(this, keys)}]`,
      reason: `The function ${why}; the grant is ${action} on the report bucket's reports/ prefix only.`,
    });
  }
}
