import { type Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { type IScheduleTarget, Schedule, ScheduleExpression, ScheduleGroup, type TimeWindow } from 'aws-cdk-lib/aws-scheduler';
import { Construct } from 'constructs';

/** Scheduler's own retries of one run; required, as its defaults (185 attempts over a day) would pile runs up. */
export interface RecurringRetryPolicy {
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
  readonly rate: Duration;
  readonly retryPolicy: RecurringRetryPolicy;
  /** @default Scheduler's default, no flexible window */
  readonly timeWindow?: TimeWindow;
}

/**
 * Starts a function at a fixed rate: one schedule in a group of its own,
 * through a role Scheduler may assume only for that group, which may only
 * invoke the function.
 */
export class RecurringInvocation extends Construct {
  readonly group: ScheduleGroup;
  /** The role Scheduler assumes to start the function. */
  readonly role: Role;
  readonly schedule: Schedule;

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

    // Not the LambdaInvoke target: it also grants every version and alias (`<arn>:*`), which the schedule never calls.
    const target: IScheduleTarget = {
      bind: () => ({
        arn: props.fn.functionArn,
        role: this.role,
        retryPolicy: {
          maximumRetryAttempts: props.retryPolicy.retryAttempts,
          maximumEventAgeInSeconds: props.retryPolicy.maxEventAge.toSeconds(),
        },
      }),
    };
    this.schedule = new Schedule(this, 'Schedule', {
      description: `sla-desk ${props.description}`,
      scheduleGroup: this.group,
      schedule: ScheduleExpression.rate(props.rate),
      target,
      timeWindow: props.timeWindow,
    });
    // The schedule names its group by name only, which CloudFormation does not see as a dependency.
    this.schedule.node.addDependency(this.group);
  }
}
