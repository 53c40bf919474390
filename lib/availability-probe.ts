import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { AwsCustomResource, AwsCustomResourcePolicy, PhysicalResourceId } from 'aws-cdk-lib/custom-resources';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { toProbeTargetsItem, PARTITION, partitionsUnder } from '../functions/adapters/dynamodb/table';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { Role } from 'aws-cdk-lib/aws-iam';
import { type Schedule, type ScheduleGroup, TimeWindow } from 'aws-cdk-lib/aws-scheduler';
import { Construct } from 'constructs';
import * as z from 'zod/mini';
import '../functions/handlers/zod-messages';
import { ProbeTargetSetting } from '../functions/adapters/dynamodb/dynamo-settings-store';
import { API_TARGET } from '../functions/domain/availability/probe';
import type { SlaDeskOperations } from './operations';
import { RECURRING } from '../functions/domain/recurrence';
import { RecurringInvocation } from './recurring-invocation';
import { type FunctionSettings, type LogLevel, SlaDeskFunction, type FunctionEnvironment } from './sla-desk-function';

/** How often the probe runs: the length of an availability slot. */
const PERIOD = Duration.minutes(RECURRING.probe.everyMinutes);

/** A probe target as context gives it; the functions fill in expectedStatus (200) and timeoutMs (5,000). */
export type ProbeTargetSpec = z.input<typeof ProbeTargetSetting>;

/**
 * Probe targets from context or props: a JSON array (or its text, as `-c`
 * passes it) of {name, url, expectedStatus?, timeoutMs?}. Fails the synth,
 * not the probe's cold start, on anything the function would refuse.
 */
export function probeTargets(value: unknown): ProbeTargetSpec[] {
  if (value === undefined || value === null || value === '') return [];
  let parsed: unknown = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      throw new Error('context probeTargets must be a JSON array of {name, url, expectedStatus?, timeoutMs?}');
    }
  }
  // The functions' own schema: a stack that synthesizes also starts.
  const result = z.array(ProbeTargetSetting).safeParse(parsed);
  if (!result.success) {
    const issues = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new Error(`context probeTargets must be a JSON array of {name, url, expectedStatus?, timeoutMs?}: ${issues}`);
  }
  // Samples are keyed by target name: two targets of one name would overwrite each other's slots.
  const names = [API_TARGET, ...result.data.map((t) => t.name)];
  const repeated = names.filter((name, i) => names.indexOf(name) !== i);
  if (repeated.length > 0) throw new Error(`context probeTargets repeats a target name (${API_TARGET} is the API's own): ${[...new Set(repeated)].join(', ')}`);
  // As given: the item the deploy writes carries no defaults of its own.
  return parsed as ProbeTargetSpec[];
}

export interface SlaDeskProbeProps {
  readonly stage: string;
  readonly functions: FunctionSettings;
  readonly table: ITable;
  /** The API's `GET /health`, always probed as target `api`. */
  readonly healthUrl: string;
  /** More targets. @default none */
  readonly targets?: readonly ProbeTargetSpec[];
  /** The settings every function parses at cold start. */
  readonly environment: FunctionEnvironment;
  readonly operations: SlaDeskOperations;
  readonly logLevel?: LogLevel;
}

/**
 * Availability measurement: every 5 minutes a schedule in its own group
 * starts the probe, which stores one sample per target and slot. It may only
 * add sample items to the table; alarms tell when runs fail or stop.
 */
export class SlaDeskProbe extends Construct {
  readonly probe: SlaDeskFunction;
  readonly group: ScheduleGroup;
  /** The role Scheduler assumes to start the probe. */
  readonly invokeRole: Role;
  readonly schedule: Schedule;
  /** A run failed: its samples could not be stored. */
  readonly errorsAlarm: Alarm;
  /** No run for three slots: samples are going missing. */
  readonly missingSamplesAlarm: Alarm;

  constructor(scope: Construct, id: string, props: SlaDeskProbeProps) {
    super(scope, id);
    const targets = probeTargets(props.targets ?? []);

    this.probe = new SlaDeskFunction(this, 'ProbeFunction', {
      entry: 'functions/handlers/probe/probe.ts',
      description: 'sla-desk availability probe',
      logLevel: props.logLevel,
      // Targets are checked in parallel, each for at most 30 s, then stored.
      timeout: Duration.seconds(60),
      environment: { ...props.environment, API_HEALTH_URL: props.healthUrl },
      settings: props.functions,
    });
    this.writeTargets(props.table, targets, props.functions);
    // It adds sample items (SAMPLES#<target>#<month>) and writes nothing else; it reads the month's samples and
    // service windows for the month-to-date availability it reports.
    this.probe.bindTableScoped(props.table, { actions: ['dynamodb:PutItem'], leadingKeys: [partitionsUnder(PARTITION.samples)] });

    const invocation = new RecurringInvocation(this, 'Invocation', {
      stage: props.stage,
      name: 'probe',
      description: 'availability probe',
      fn: this.probe.fn,
      recurrence: RECURRING.probe,
      // One retry while the slot lasts; a later probe belongs to the next slot.
      retryPolicy: { retryAttempts: 1, maxEventAge: Duration.minutes(4) },
      // On the minute it is due: samples are per slot, a flexible window would skip some.
      timeWindow: TimeWindow.off(),
    });
    this.group = invocation.group;
    this.invokeRole = invocation.role;
    this.schedule = invocation.schedule;

    this.errorsAlarm = props.operations.guardAsync(
      this.probe,
      // Lambda's own retries of a failed run: one, and never once the next run is due.
      { retryAttempts: 1, maxEventAge: Duration.minutes(4) },
      'Samples could not be stored, so slots will count as missing. Check the probe logs and the table.',
    );
    this.missingSamplesAlarm = new Alarm(this, 'MissingSamplesAlarm', {
      alarmDescription: 'The availability probe has not run for 15 minutes: samples are going missing. Check the probe schedule and its role.',
      metric: this.probe.fn.metricInvocations({ period: PERIOD, statistic: 'Sum' }),
      threshold: 1,
      comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
      // Lambda reports nothing for a function that is not invoked; silence is the failure.
      treatMissingData: TreatMissingData.BREACHING,
    });
    props.operations.notify(this.missingSamplesAlarm);
  }

  /**
   * The targets go into one table item at deploy (functions/adapters/dynamodb/table.ts,
   * SETTINGS#probe-targets), read once per cold start by the functions that measure or
   * report availability: in every function's environment, 50 targets would pass
   * Lambda's 4 KB for all variables together
   * (https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html).
   */
  private writeTargets(table: ITable, targets: readonly ProbeTargetSpec[], settings: FunctionSettings): void {
    const item = toProbeTargetsItem(targets);
    const put = {
      service: 'DynamoDB',
      action: 'putItem',
      parameters: { TableName: table.tableName, Item: Object.fromEntries(Object.entries(item).map(([name, value]) => [name, { S: value }])) },
      physicalResourceId: PhysicalResourceId.of(item.PK),
    };
    const statements = [new PolicyStatement({ actions: ['dynamodb:PutItem'], resources: [table.tableArn], conditions: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [item.PK] } } })];
    if (table.encryptionKey) {
      statements.push(
        new PolicyStatement({
          actions: ['kms:Encrypt', 'kms:GenerateDataKey'],
          resources: [table.encryptionKey.keyArn],
          conditions: { StringEquals: { 'kms:ViaService': `dynamodb.${Stack.of(this).region}.${Stack.of(this).urlSuffix}` } },
        }),
      );
    }
    const writer = new AwsCustomResource(this, 'Targets', {
      onCreate: put,
      onUpdate: put,
      policy: AwsCustomResourcePolicy.fromStatements(statements),
      installLatestAwsSdk: false,
      // Kept or destroyed with the stage like every other log group.
      logGroup: new LogGroup(this, 'TargetsWriterLogs', {
        retention: settings.logRetention ?? RetentionDays.THREE_MONTHS,
        removalPolicy: settings.logRemovalPolicy ?? RemovalPolicy.RETAIN,
      }),
    });
    writer.node.addDependency(table);
    // CDK's one function behind every AwsCustomResource of the stack.
    const provider = Stack.of(this).node.tryFindChild(AwsCustomResource.PROVIDER_FUNCTION_UUID.replace(/-/g, '').replace(/^/, 'AWS'));
    if (provider) {
      const why = 'The AWS custom resource function (CDK) runs only during deploys, writing the probe targets item';
      Validations.of(provider).acknowledge(
        { id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]', reason: `${why}; the managed policy only lets it write its own logs.` },
        { id: 'AwsSolutions-L1', reason: `${why}; CDK pins its runtime, and upgrading aws-cdk-lib upgrades it.` },
      );
    }
  }
}
