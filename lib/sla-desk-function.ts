import { join } from 'node:path';
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { LogLevel as EsbuildLogLevel, NodejsFunction, OutputFormat, SourceMapMode } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { type MetricName, metricsNamespace, SERVICE } from '../functions/handlers/metric-names';
import { LAMBDA_ALIASES } from './bundling';
import { nagResourceName } from './nag';
import { REPO_ROOT } from './paths';
import type { AuthorizerVariable } from '../functions/handlers/auth/authorizer';
import type { ConfigVariable } from '../functions/handlers/config';

/** A variable some function's configuration reads (a typo here is a compile error, not a function that fails at start). */
export type FunctionVariable = ConfigVariable | AuthorizerVariable;
export type FunctionEnvironment = Readonly<Partial<Record<FunctionVariable, string>>>;

export type TableAccess = 'read' | 'readWrite';
export type LogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

/** The metrics namespace every function publishes to (EMF), and the alarms and dashboard read: `sla-desk/<stage>`. */
/** A metric the functions publish (EMF): the stage's namespace, dimension service=sla-desk. */
export function publishedMetric(stage: string, metricName: MetricName, statistic: string, period: Duration, label?: string): Metric {
  return new Metric({ namespace: metricsNamespace(stage), metricName, dimensionsMap: { service: SERVICE }, statistic, period, ...(label ? { label } : {}) });
}

/** What every function of a stage shares. */
export interface FunctionSettings {
  readonly stage: string;
  /** Active X-Ray tracing. @default true */
  readonly tracing?: boolean;
  /** @default RetentionDays.THREE_MONTHS */
  readonly logRetention?: RetentionDays;
  /** Of the log groups: retained in production, destroyed with a development stack. @default RemovalPolicy.RETAIN */
  readonly logRemovalPolicy?: RemovalPolicy;
  /** The stage's resolution targets (RESOLUTION_TARGETS), when it sets any. @default the documented defaults */
  readonly resolutionTargets?: string;
  /** The stage's retention periods (RETENTION), when it sets any. @default the documented defaults */
  readonly retention?: string;
}

export interface SlaDeskFunctionProps {
  readonly settings: FunctionSettings;
  /** Handler module, relative to the repository root (or absolute); it exports `handler`. */
  readonly entry: string;
  readonly description?: string;
  /** A fixed name, for a function whose own configuration must name it. @default generated */
  readonly functionName?: string;
  readonly environment?: FunctionEnvironment;
  /** @default 'INFO' */
  readonly logLevel?: LogLevel;
  /** @default 512 */
  readonly memorySize?: number;
  /** @default 10 seconds (the HTTP API gives up at 30) */
  readonly timeout?: Duration;
}

/** Writes of a function whose items all live under known partition-key prefixes (see functions/adapters/dynamodb/table.ts). */
export interface ScopedWrites {
  readonly actions: readonly ('dynamodb:PutItem' | 'dynamodb:UpdateItem' | 'dynamodb:DeleteItem')[];
  /** Partition-key patterns for dynamodb:LeadingKeys, e.g. `SAMPLES#*`. */
  readonly leadingKeys: readonly string[];
}

/**
 * The one way this app builds a Lambda function: bundled locally with esbuild
 * (never Docker), ES module output, SDK included, its own log group and a role
 * that starts with nothing but permission to write that log group.
 */
export class SlaDeskFunction extends Construct {
  readonly fn: NodejsFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;
  readonly tracing: boolean;

  constructor(scope: Construct, id: string, props: SlaDeskFunctionProps) {
    super(scope, id);
    this.tracing = props.settings.tracing ?? true;

    this.logGroup = new LogGroup(this, 'Logs', {
      retention: props.settings.logRetention ?? RetentionDays.THREE_MONTHS,
      removalPolicy: props.settings.logRemovalPolicy ?? RemovalPolicy.RETAIN,
    });

    // Own role instead of the default one: avoids the AWS managed
    // AWSLambdaBasicExecutionRole, which may write to any log group.
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `sla-desk ${id}`,
    });
    this.logGroup.grantWrite(this.role);

    this.fn = new NodejsFunction(this, 'Function', {
      entry: join(REPO_ROOT, props.entry),
      handler: 'handler',
      projectRoot: REPO_ROOT,
      depsLockFilePath: join(REPO_ROOT, 'package-lock.json'),
      functionName: props.functionName,
      description: props.description,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(10),
      role: this.role,
      logGroup: this.logGroup,
      tracing: this.tracing ? Tracing.ACTIVE : Tracing.DISABLED,
      environment: {
        POWERTOOLS_SERVICE_NAME: SERVICE,
        POWERTOOLS_METRICS_NAMESPACE: metricsNamespace(props.settings.stage),
        // Response bodies carry tickets and customers' data: never into traces.
        POWERTOOLS_TRACER_CAPTURE_RESPONSE: 'false',
        LOG_LEVEL: props.logLevel ?? 'INFO',
        // Readable stack traces; with the lean bundles the map costs about 7–10 ms of init (npm run bench measures it so).
        NODE_OPTIONS: '--enable-source-maps',
        ...(props.settings.resolutionTargets ? { RESOLUTION_TARGETS: props.settings.resolutionTargets } : {}),
        ...(props.settings.retention ? { RETENTION: props.settings.retention } : {}),
        ...props.environment,
      },
      bundling: {
        forceDockerBundling: false,
        format: OutputFormat.ESM,
        target: 'node22',
        // Prefer each package's ES module build; all current dependencies ship one.
        mainFields: ['module', 'main'],
        // Bundle the SDK: the version is pinned by our lockfile, not by the runtime.
        externalModules: [],
        minify: true,
        sourceMap: true,
        sourceMapMode: SourceMapMode.DEFAULT,
        // Line mapping is what stack traces need; embedded sources only add megabytes.
        sourcesContent: false,
        // Warnings and errors only: the per-bundle size summary drowns the synth output.
        logLevel: EsbuildLogLevel.WARNING,
        // Lambda's credentials come from the environment: the SDK's full provider chain stays out.
        esbuildArgs: Object.fromEntries(Object.entries(LAMBDA_ALIASES).map(([module, path]) => [`--alias:${module}`, path])),
        // Safety net for CommonJS code that calls require() at run time inside an ES module bundle.
        banner: "import{createRequire as __slaDeskCreateRequire}from'node:module';const require=__slaDeskCreateRequire(import.meta.url);",
      },
    });

    Validations.of(this).acknowledge({
      id: 'AwsSolutions-L1',
      reason: 'Node.js 22 is the runtime the project pins (engines, esbuild target, tests); moving to a newer major is a deliberate upgrade, not a side effect of a library bump.',
    });

    if (this.tracing) {
      Validations.of(this).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: 'xray:PutTraceSegments and xray:PutTelemetryRecords do not support resource-level permissions.',
      });
    }
  }

  /**
   * Reads the table, and writes only items whose partition key matches one of
   * the prefixes (dynamodb:LeadingKeys), with the key's write actions only
   * through DynamoDB.
   */
  bindTableScoped(table: ITable, writes: ScopedWrites): this {
    this.bindTable(table, 'read');
    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: [...writes.actions],
        resources: [table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [...writes.leadingKeys] } },
      }),
    );
    if (table.encryptionKey) {
      const stack = Stack.of(this);
      this.role.addToPrincipalPolicy(
        new PolicyStatement({
          actions: ['kms:Encrypt', 'kms:GenerateDataKey*'],
          resources: [table.encryptionKey.keyArn],
          conditions: { StringEquals: { 'kms:ViaService': `dynamodb.${stack.region}.${stack.urlSuffix}` } },
        }),
      );
      Validations.of(this).acknowledge({
        id: 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
        reason:
          "kms:GenerateDataKey* is the action family DynamoDB needs to write items under the table's customer managed key; the statement names that one key and only calls made through DynamoDB.",
      });
    }
    return this;
  }

  /**
   * Never reads the items under these partition-key prefixes, whatever its
   * table grant says: an explicit Deny on the key-addressed reads.
   */
  denyReading(table: ITable, leadingKeys: readonly string[]): this {
    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        effect: Effect.DENY,
        actions: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'],
        resources: [table.tableArn],
        conditions: { 'ForAnyValue:StringLike': { 'dynamodb:LeadingKeys': [...leadingKeys] } },
      }),
    );
    return this;
  }

  addEnvironment(key: FunctionVariable, value: string): this {
    this.fn.addEnvironment(key, value);
    return this;
  }

  /**
   * Least privilege on the single table: `read` gets the read grant only,
   * `readWrite` the read/write grant; each brings the matching KMS key grant.
   */
  bindTable(table: ITable, access: TableAccess, deletes: readonly string[] = []): this {
    if (access === 'readWrite') {
      table.grantReadWriteData(this.fn);
      // Nothing on AWS deletes an item but a person's erasure: ticket, customer and consultancy history is
      // append-only, and what expires (samples, idempotency keys, closed tickets) goes by TTL, which IAM does not govern.
      this.role.addToPrincipalPolicy(
        new PolicyStatement({ effect: Effect.DENY, actions: deletes.length ? ['dynamodb:BatchWriteItem'] : ['dynamodb:BatchWriteItem', 'dynamodb:DeleteItem'], resources: [table.tableArn] }),
      );
      // The erasure deletes items under these partitions (an erased person's attachment records) and nowhere else.
      if (deletes.length)
        this.role.addToPrincipalPolicy(
          new PolicyStatement({
            effect: Effect.DENY,
            actions: ['dynamodb:DeleteItem'],
            resources: [table.tableArn],
            conditions: { 'ForAnyValue:StringNotLike': { 'dynamodb:LeadingKeys': [...deletes] } },
          }),
        );
    } else table.grantReadData(this.fn);
    this.fn.addEnvironment('TABLE_NAME', table.tableName);

    const tableArn = nagResourceName(this, table.tableArn);
    Validations.of(this).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${tableArn}/index/*]`,
      reason:
        "Queries go through the table's global secondary indexes (GSI1 tickets by customer, GSI2 all tickets and queues, GSI3 running tickets by due time); the grant covers exactly this table's indexes.",
    });
    if (access === 'readWrite' && table.encryptionKey) {
      for (const action of ['kms:ReEncrypt*', 'kms:GenerateDataKey*']) {
        Validations.of(this).acknowledge({
          id: `AwsSolutions-IAM5[Action::${action}]`,
          reason: `${action} is the action family DynamoDB needs to write items under the table's customer managed key; the statement is scoped to that one key.`,
        });
      }
    }
    return this;
  }
}
