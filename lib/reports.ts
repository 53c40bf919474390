import { PARTITION, partitionsUnder } from '../functions/adapters/dynamodb/table';
import { CfnOutput, Duration, Validations } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Bucket, HttpMethods, StorageClass } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { privateBucket } from './private-bucket';
import { RECURRING } from '../functions/domain/recurrence';
import { nagResourceName } from './nag';
import type { SlaDeskOperations } from './operations';
import { RecurringInvocation } from './recurring-invocation';
import { type FunctionSettings, SlaDeskFunction, type FunctionEnvironment } from './sla-desk-function';

/** Reports must stay available for at least five years; six covers leap days and a late audit. */
const REPORT_RETENTION = Duration.days(6 * 366);

export interface SlaDeskReportsProps {
  readonly stage: string;
  readonly functions: FunctionSettings;
  readonly table: ITable;
  readonly operations: SlaDeskOperations;
  /** The settings every function parses (timers, probe targets), and FINANCE_EMAILS. */
  readonly environment: FunctionEnvironment;
  /**
   * The data key, the table's: whoever reads reports reads the table under it
   * already, and a key of their own would cost $1 a month.
   */
  readonly key: IKey;
  /** Production: the bucket is retained. Otherwise it goes with the stack, emptied first. */
  readonly retain: boolean;
}

/**
 * The monthly reports: a bucket that keeps every version of every report for
 * years and never serves the public, the report function, and its schedule
 * (the 1st at 06:00 Copenhagen time).
 */
export class SlaDeskReports extends Construct {
  readonly bucket: Bucket;
  readonly key: IKey;
  readonly reportFunction: SlaDeskFunction;
  readonly errorsAlarm: Alarm;
  /** The schedule that starts the report function, and the role it does so with. */
  readonly invocation: RecurringInvocation;
  /** An hour after the report's run: checks that last month's report appeared (metric MonthlyReportsMissing). */
  readonly checkFunction: SlaDeskFunction;
  readonly checkInvocation: RecurringInvocation;
  readonly checkErrorsAlarm: Alarm;

  constructor(scope: Construct, id: string, props: SlaDeskReportsProps) {
    super(scope, id);
    this.key = props.key;
    this.bucket = new Bucket(this, 'ReportBucket', {
      // A development stage's reports are test data: emptied (every version) so the stack can go.
      ...privateBucket(this.key, props.retain),
      versioned: true,
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
      reason:
        'Only the report function writes here and only the report routes read; their invocations are logged (Lambda logs, API access logs), and the objects are immutable (conditional writes, versioning).',
    });

    this.reportFunction = new SlaDeskFunction(this, 'ReportFunction', {
      entry: 'functions/handlers/timer/monthly-report.ts',
      description: 'sla-desk monthly reports',
      // A month's partitions for every customer: minutes, not seconds, at the benchmark's scale.
      timeout: Duration.minutes(10),
      memorySize: 1024,
      environment: props.environment,
      settings: props.functions,
      // It writes report versions (REPORT#<month>) and the report-ready alerts, kept beside the report (REPORT#<month>-v<n>).
    }).bindTableScoped(props.table, { actions: ['dynamodb:PutItem'], leadingKeys: [partitionsUnder(PARTITION.report)] });
    this.grantRead(this.reportFunction);
    this.grantObjects(this.reportFunction, 's3:PutObject', 'writes each version of a month under reports/<YYYY-MM>/v<n>/, names made at run time');
    // What S3 asks of a writer under the bucket's KMS key (a bucket key): a data key, nothing wider.
    this.reportFunction.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['kms:GenerateDataKey'], resources: [this.key.keyArn] }));

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

    // Reads the report registry only; the same settings as the report function, so both see one month.
    this.checkFunction = new SlaDeskFunction(this, 'ReportCheckFunction', {
      entry: 'functions/handlers/timer/report-check.ts',
      description: 'sla-desk check that the monthly report appeared',
      timeout: Duration.seconds(30),
      environment: props.environment,
      settings: props.functions,
    }).bindTable(props.table, 'read');
    this.checkInvocation = new RecurringInvocation(this, 'ReportCheckInvocation', {
      stage: props.stage,
      name: 'report-check',
      description: 'monthly report check',
      fn: this.checkFunction.fn,
      recurrence: RECURRING.reportCheck,
      retryPolicy: { retryAttempts: 2, maxEventAge: Duration.hours(1) },
    });
    this.checkErrorsAlarm = props.operations.guardAsync(
      this.checkFunction,
      // A retry would only find the same month missing again.
      { retryAttempts: 0, maxEventAge: Duration.hours(1) },
      "Last month's report has not appeared by 07:00 on the 1st, or the check could not tell. Generate it with POST /reports/{YYYY-MM}.",
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
