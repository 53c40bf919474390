import { ArnFormat, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { ScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { nagResourceName } from './nag';
import { type LogLevel, SlaDeskFunction } from './sla-desk-function';

/** What arming, replacing and cancelling a timer call (see the EventBridge timer scheduler). */
const ARM_ACTIONS = ['scheduler:CreateSchedule', 'scheduler:UpdateSchedule', 'scheduler:DeleteSchedule'];

export interface SlaDeskTimersProps {
  readonly stage: string;
  readonly table: ITable;
  /** Subscribed to the operations topic; also the functions' ONCALL_EMAILS. */
  readonly onCallEmails: readonly string[];
  /** Share of the SLA after which the warning timer fires (WARNING_SHARE). */
  readonly warningShare: number;
  readonly logLevel?: LogLevel;
}

/**
 * SLA timers on EventBridge Scheduler: one-time schedules in a per-stage
 * group fire the timer function through a role that may do nothing else;
 * what Scheduler cannot deliver lands on a dead-letter queue that pages on-call.
 */
export class SlaDeskTimers extends Construct {
  readonly group: ScheduleGroup;
  readonly groupName: string;
  readonly deadLetterQueue: Queue;
  /** On-call is subscribed by email; operational alarms go here. */
  readonly operationsTopic: Topic;
  readonly deadLetterAlarm: Alarm;
  /** The role Scheduler assumes to fire a timer. */
  readonly schedulerRole: Role;
  readonly timerFunction: SlaDeskFunction;
  /** The timer settings every function parses at cold start. */
  readonly environment: Readonly<Record<string, string>>;
  /** Schedules of this group only. */
  private readonly scheduleArns: string;

  constructor(scope: Construct, id: string, props: SlaDeskTimersProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.groupName = `sla-desk-${props.stage}`;

    this.group = new ScheduleGroup(this, 'Group', {
      scheduleGroupName: this.groupName,
      // Timers are worthless without the function they fire, and a retained named group would block re-creating the stack.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.scheduleArns = stack.formatArn({
      service: 'scheduler',
      resource: 'schedule',
      resourceName: `${this.groupName}/*`,
    });

    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // The longest SQS allows: time to find out why a timer failed and replay it.
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself the dead-letter queue of the timer schedules (DeadLetterConfig on each CreateSchedule request, which cdk-nag cannot see); a DLQ of a DLQ would only hide failures further.',
    });

    // CloudWatch alarms cannot publish to a topic under the AWS managed SNS key, hence a customer managed one.
    const operationsKey = new Key(this, 'OperationsTopicKey', {
      description: 'sla-desk operations topic encryption',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    operationsKey.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }),
    );
    this.operationsTopic = new Topic(this, 'OperationsTopic', {
      displayName: `sla-desk ${props.stage} operations`,
      masterKey: operationsKey,
      enforceSSL: true,
    });
    for (const email of props.onCallEmails) this.operationsTopic.addSubscription(new EmailSubscription(email));

    this.deadLetterAlarm = new Alarm(this, 'DeadLetterAlarm', {
      alarmDescription: 'SLA timers Scheduler could not deliver to the timer function: warnings and breaches may be missed. Inspect and replay the dead-letter queue.',
      metric: this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      // SQS stops reporting idle queues; an empty queue is the healthy state.
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    this.notifyOperations(this.deadLetterAlarm);

    this.schedulerRole = new Role(this, 'SchedulerRole', {
      description: `sla-desk ${props.stage}: EventBridge Scheduler fires SLA timers`,
      // Only schedules of this account's timer group may use the role (confused deputy).
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: {
          StringEquals: {
            'aws:SourceAccount': stack.account,
            'aws:SourceArn': this.group.scheduleGroupArn,
          },
        },
      }),
    });

    // A fixed name: the function's own TIMER_TARGET_ARN names it, which a generated name would make circular.
    const timerFunctionName = `sla-desk-${props.stage}-sla-timer`;
    this.environment = {
      SCHEDULE_GROUP: this.groupName,
      TIMER_TARGET_ARN: stack.formatArn({
        service: 'lambda',
        resource: 'function',
        resourceName: timerFunctionName,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      }),
      SCHEDULER_ROLE_ARN: this.schedulerRole.roleArn,
      TIMER_DLQ_ARN: this.deadLetterQueue.queueArn,
      WARNING_SHARE: String(props.warningShare),
      ONCALL_EMAILS: props.onCallEmails.join(','),
    };

    this.timerFunction = new SlaDeskFunction(this, 'TimerFunction', {
      entry: 'functions/handlers/timer/sla-timer.ts',
      functionName: timerFunctionName,
      description: 'sla-desk SLA timer target',
      logLevel: props.logLevel,
      // It may send alerts itself; stays under the outbox's 60 s claim so a slow run never outlives its claims.
      timeout: Duration.seconds(30),
      environment: this.environment,
    }).bindTable(props.table, 'readWrite');

    // The unqualified ARN only: schedules target $LATEST, never a version or alias.
    this.schedulerRole.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [this.timerFunction.fn.functionArn] }),
    );
    this.schedulerRole.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [this.deadLetterQueue.queueArn] }),
    );

    // An early firing (a clock or calendar change) re-arms itself.
    this.grantArm(this.timerFunction);
  }

  /** Sends an alarm to on-call through the operations topic. */
  notifyOperations(alarm: Alarm): this {
    alarm.addAlarmAction(new SnsAction(this.operationsTopic));
    // The topic policy that enforces SSL replaces SNS's default one, so each alarm needs an explicit allow.
    this.operationsTopic.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.operationsTopic.topicArn],
        conditions: {
          ArnEquals: { 'aws:SourceArn': alarm.alarmArn },
          StringEquals: { 'aws:SourceAccount': Stack.of(this).account },
        },
      }),
    );
    return this;
  }

  /** Lets a function create, replace and cancel timers in this group, handing Scheduler the timer role only. */
  grantArm(fn: SlaDeskFunction): this {
    fn.role.addToPrincipalPolicy(new PolicyStatement({ actions: ARM_ACTIONS, resources: [this.scheduleArns] }));
    fn.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['iam:PassRole'],
        resources: [this.schedulerRole.roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
      }),
    );
    Validations.of(fn).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${nagResourceName(this, this.scheduleArns)}]`,
      reason: `Timer schedules are named per ticket and timer kind at run time, so no list of ARNs exists at deploy time; the grant is limited to schedules in this stage's group ${this.groupName}.`,
    });
    return this;
  }
}
