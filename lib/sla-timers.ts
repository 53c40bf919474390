import { ArnFormat, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { ScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { nagResourceName } from './nag';
import { deadLetterQueue, type SlaDeskOperations } from './operations';
import { type FunctionSettings, type LogLevel, SlaDeskFunction, type FunctionEnvironment } from './sla-desk-function';

/** What arming, replacing and cancelling a timer call (see the EventBridge timer scheduler). */
const ARM_ACTIONS = ['scheduler:CreateSchedule', 'scheduler:UpdateSchedule', 'scheduler:DeleteSchedule'];

export interface SlaDeskTimersProps {
  readonly stage: string;
  readonly functions: FunctionSettings;
  readonly table: ITable;
  /** The functions' ONCALL_EMAILS: who gets breach and warning emails. */
  readonly onCallEmails: readonly string[];
  readonly operations: SlaDeskOperations;
  /** Share of the SLA after which the warning timer fires (WARNING_SHARE). */
  readonly warningShare: number;
  /** HYPERCARE_ESCALATION_EMAILS: also told of heightened tickets' alerts. */
  readonly hypercareEscalationEmails?: readonly string[];
  readonly logLevel?: LogLevel;
  /** The console's address, for the links in the messages every function may write. */
  readonly consoleUrl?: string;
}

/**
 * SLA timers on EventBridge Scheduler: one-time schedules in a per-stage
 * group fire the timer function through a role that may do nothing else.
 * What Scheduler cannot deliver lands on a dead-letter queue; a run that
 * fails lands on the failed-invocations queue; both page on-call.
 */
export class SlaDeskTimers extends Construct {
  readonly group: ScheduleGroup;
  readonly groupName: string;
  /** Where Scheduler puts timers it could not deliver. */
  readonly deadLetterQueue: Queue;
  /** A timer run failed. */
  readonly errorsAlarm: Alarm;
  /** The role Scheduler assumes to fire a timer. */
  readonly schedulerRole: Role;
  readonly timerFunction: SlaDeskFunction;
  /** The timer settings every function parses at cold start. */
  readonly environment: FunctionEnvironment;
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

    this.deadLetterQueue = deadLetterQueue(this, 'DeadLetterQueue', 'the dead-letter queue of the timer schedules (DeadLetterConfig on each CreateSchedule request, which cdk-nag cannot see)');

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
      HYPERCARE_ESCALATION_EMAILS: (props.hypercareEscalationEmails ?? []).join(','),
      ...(props.consoleUrl ? { CONSOLE_URL: props.consoleUrl } : {}),
    };

    this.timerFunction = new SlaDeskFunction(this, 'TimerFunction', {
      entry: 'functions/handlers/timer/sla-timer.ts',
      functionName: timerFunctionName,
      description: 'sla-desk SLA timer target',
      logLevel: props.logLevel,
      // It may send alerts itself; stays under the outbox's 60 s claim so a slow run never outlives its claims.
      timeout: Duration.seconds(30),
      environment: this.environment,
      settings: props.functions,
      // Not scoped by dynamodb:LeadingKeys: its items are keyed by ticket today (TICKET#: the ticket, its events,
      // its alerts), but it delivers through the shared alert outbox, whose items also live beside customers,
      // service windows, targets and reports; a scope would turn a new alert kind into AccessDenied at delivery.
    }).bindTable(props.table, 'readWrite');

    // The unqualified ARN only: schedules target $LATEST, never a version or alias.
    this.schedulerRole.addToPrincipalPolicy(new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [this.timerFunction.fn.functionArn] }));
    this.schedulerRole.addToPrincipalPolicy(new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [this.deadLetterQueue.queueArn] }));

    // An early firing (a clock or calendar change) re-arms itself.
    this.grantArm(this.timerFunction);

    // Scheduler invokes asynchronously: a run that throws is retried by Lambda, then kept, and pages.
    this.errorsAlarm = props.operations.guardAsync(
      this.timerFunction,
      { retryAttempts: 2, maxEventAge: Duration.hours(6) },
      "An SLA warning or breach may not have been recorded; the relay's sweep records overdue breaches within about two minutes.",
    );
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
