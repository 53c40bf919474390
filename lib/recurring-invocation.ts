import { Duration, RemovalPolicy, Stack, TimeZone } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { type IScheduleTarget, Schedule, ScheduleExpression, ScheduleGroup, type TimeWindow } from 'aws-cdk-lib/aws-scheduler';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { Recurrence } from '../functions/domain/recurrence';
import { SlaDeskOperations } from './operations';

const WEEKDAYS = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'];

/** `rate(...)`, or `cron(...)` in the recurrence's time zone (daylight saving included). */
export function scheduleExpression(recurrence: Recurrence): ScheduleExpression {
  if ('everyMinutes' in recurrence) return ScheduleExpression.rate(Duration.minutes(recurrence.everyMinutes));
  const { hour, minute, weekday, dayOfMonth } = recurrence.at;
  return ScheduleExpression.cron({
    minute: String(minute),
    hour: String(hour),
    ...(dayOfMonth !== undefined ? { day: String(dayOfMonth) } : {}),
    ...(weekday !== undefined ? { weekDay: WEEKDAYS[weekday - 1] } : {}),
    timeZone: TimeZone.of(recurrence.timeZone),
  });
}

/** Scheduler's own retries of one run; required, as its defaults (185 attempts over a day) would pile runs up. */
interface RecurringRetryPolicy {
  readonly retryAttempts: number;
  readonly maxEventAge: Duration;
}

export interface RecurringInvocationProps {
  readonly stage: string;
  /** The group is named `sla-desk-<stage>-<name>`. */
  readonly name: string;
  /** What runs, e.g. 'alert outbox relay': describes the schedule and its role. */
  readonly description: string;
  readonly fn: IFunction;
  /** Every so many minutes, or a wall-clock time in a zone: the same spec the local stack runs. */
  readonly recurrence: Recurrence;
  readonly retryPolicy: RecurringRetryPolicy;
  /** @default Scheduler's default, no flexible window */
  readonly timeWindow?: TimeWindow;
  /**
   * Where Scheduler puts a run it could not start after its retries (the
   * function missing, its role or permission wrong). An SQS-managed-key queue:
   * a KMS-encrypted one would also need kms:GenerateDataKey for the role.
   * @default the stack's failed-invocations queue (SlaDeskOperations), on which one message pages on-call
   */
  readonly deadLetterQueue?: IQueue;
}

/**
 * Starts a function on a recurrence: one schedule in a group of its own,
 * through a role Scheduler may assume only for that group, which may only
 * invoke the function and dead-letter a run it could not start.
 *
 * The dead-letter queue is shared, not one per schedule: the failed-invocations
 * queue already holds the failed runs of these same functions, and the
 * dead-letters alarm already watches it. A queue per schedule would add five
 * queues, five queue policies and a metric on the alarm each, for messages
 * that tell themselves apart anyway: Scheduler's dead-letter events carry the
 * schedule, the target and the error as message attributes, Lambda's failure
 * records are a JSON body with the request and response.
 */
export class RecurringInvocation extends Construct {
  readonly group: ScheduleGroup;
  /** The role Scheduler assumes to start the function. */
  readonly role: Role;
  readonly schedule: Schedule;
  /** Scheduler's dead-letter queue for this schedule. */
  readonly deadLetterQueue: IQueue;

  constructor(scope: Construct, id: string, props: RecurringInvocationProps) {
    super(scope, id);
    const stack = Stack.of(this);

    // Its own group: the functions that arm timers may rewrite any schedule in the timer group, but not this one.
    this.group = new ScheduleGroup(this, 'Group', {
      scheduleGroupName: `sla-desk-${props.stage}-${props.name}`,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.role = new Role(this, 'InvokeRole', {
      description: `sla-desk ${props.stage}: EventBridge Scheduler starts the ${props.description}`,
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: {
          StringEquals: {
            'aws:SourceAccount': stack.account,
            'aws:SourceArn': this.group.scheduleGroupArn,
          },
        },
      }),
    });
    this.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [props.fn.functionArn] }));
    // Scheduler sends dead-letter events with the schedule's role.
    this.deadLetterQueue = props.deadLetterQueue ?? SlaDeskOperations.of(this).failedInvocations;
    this.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [this.deadLetterQueue.queueArn] }));

    // Not the LambdaInvoke target: it also grants every version and alias (`<arn>:*`), which the schedule never calls.
    const target: IScheduleTarget = {
      bind: () => ({
        arn: props.fn.functionArn,
        role: this.role,
        deadLetterConfig: { arn: this.deadLetterQueue.queueArn },
        retryPolicy: {
          maximumRetryAttempts: props.retryPolicy.retryAttempts,
          maximumEventAgeInSeconds: props.retryPolicy.maxEventAge.toSeconds(),
        },
      }),
    };
    this.schedule = new Schedule(this, 'Schedule', {
      description: `sla-desk ${props.description}`,
      scheduleGroup: this.group,
      schedule: scheduleExpression(props.recurrence),
      target,
      timeWindow: props.timeWindow,
    });
    // The schedule names its group by name only, which CloudFormation does not see as a dependency.
    this.schedule.node.addDependency(this.group);
  }
}
