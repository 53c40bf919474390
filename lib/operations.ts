import { ArnFormat, Duration, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import { Alarm, type CfnAlarm, ComparisonOperator, type IMetric, MathExpression, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { type IQueue, Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { SlaDeskFunction } from './sla-desk-function';

export interface SlaDeskOperationsProps {
  readonly stage: string;
  /** Subscribed to the operations topic by email. */
  readonly onCallEmails: readonly string[];
}

/** How Lambda retries one asynchronous invocation before it gives the event to the failure queue. */
export interface AsyncRetries {
  readonly retryAttempts: number;
  readonly maxEventAge: Duration;
}

/** CloudWatch's limit on an alarm's name (PutMetricAlarm, AlarmName: 1–255 characters). */
const ALARM_NAME_MAX = 255;

/** Each stack's operations, for the constructs that use its queue without being handed it (the recurring schedules). */
const OPERATIONS_OF = new WeakMap<Stack, SlaDeskOperations>();

/**
 * What pages on-call: the encrypted operations topic every alarm goes to,
 * and the queue where asynchronous invocations that failed for good are kept.
 */
export class SlaDeskOperations extends Construct {
  /** The stack's operations: one per stack, created before anything that pages or dead-letters. */
  static of(scope: Construct): SlaDeskOperations {
    const stack = Stack.of(scope);
    const operations = OPERATIONS_OF.get(stack);
    if (!operations) throw new Error(`${scope.node.path}: the stack has no SlaDeskOperations yet; create it first`);
    return operations;
  }

  readonly topic: Topic;
  readonly key: Key;
  /**
   * The on-failure destination of every asynchronously invoked function, and
   * the dead-letter queue of every recurring schedule: a run of those functions
   * that failed, or that Scheduler could not start at all.
   */
  readonly failedInvocations: Queue;
  /**
   * Every alarm of the stage is named under it: `sla-desk-<stage>/`, then its
   * construct path below the stack. Alarm names are unique per account and
   * region, and a stage is deployed once per region. The slash ends the stage,
   * which may itself contain dashes: `sla-desk-dev/*` does not match stage
   * dev-alice's alarms.
   */
  readonly alarmNamePrefix: string;
  /** Functions that already page on their first error. */
  private readonly paging = new Set<SlaDeskFunction>();

  constructor(scope: Construct, id: string, props: SlaDeskOperationsProps) {
    super(scope, id);
    const stack = Stack.of(this);
    if (OPERATIONS_OF.has(stack)) throw new Error(`${this.node.path}: the stack already has its SlaDeskOperations`);
    OPERATIONS_OF.set(stack, this);
    this.alarmNamePrefix = `sla-desk-${props.stage}/`;

    // CloudWatch alarms cannot publish to a topic under the AWS managed SNS key, hence a customer managed one;
    // the breach topic shares it. It protects messages in flight only: nothing stays encrypted under it.
    this.key = new Key(this, 'TopicKey', {
      description: `sla-desk ${props.stage} topic encryption (operations and breach topics)`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.key.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        // In a key policy "*" is the key itself.
        resources: ['*'],
        // Only this account's alarms (confused deputy).
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
    );
    this.topic = new Topic(this, 'Topic', {
      displayName: `sla-desk ${props.stage} operations`,
      masterKey: this.key,
      enforceSSL: true,
    });
    for (const email of props.onCallEmails) this.topic.addSubscription(new EmailSubscription(email));
    // The topic policy that enforces SSL replaces SNS's default one, so CloudWatch needs an explicit allow.
    // One statement for every alarm of the stage, matched by name: an SNS policy may hold at most 100 statements
    // and 30 KB (Amazon SNS Developer Guide, "Amazon SNS API permissions: Actions and resources reference",
    // Policy quotas), and a statement per alarm outgrew both with functionAlarms (106 statements, ~44 KB).
    // Confused deputy: only this account's alarms, and only those named for this stage.
    this.topic.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: {
          ArnLike: { 'aws:SourceArn': this.alarmArnPattern() },
          StringEquals: { 'aws:SourceAccount': stack.account },
        },
      }),
    );

    this.failedInvocations = deadLetterQueue(
      this,
      'FailedInvocations',
      'the on-failure destination of the asynchronously invoked functions (timer, relay, probe, report, report check) and the dead-letter queue of their recurring schedules',
    );
  }

  /** `arn:<partition>:cloudwatch:<region>:<account>:alarm:sla-desk-<stage>/*`: every alarm the topic policy lets publish. */
  alarmArnPattern(): string {
    return Stack.of(this).formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: `${this.alarmNamePrefix}*`, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
  }

  /**
   * Sends an alarm to on-call through the operations topic. It is named under
   * the stage's prefix, which is what lets it publish there.
   */
  notify(alarm: Alarm): this {
    this.nameAlarm(alarm);
    alarm.addAlarmAction(new SnsAction(this.topic));
    return this;
  }

  /** Names the alarm `sla-desk-<stage>/<its path below the stack>`, e.g. `sla-desk-prod/Monitoring/ApiErrorRateAlarm`. */
  private nameAlarm(alarm: Alarm): void {
    const resource = alarm.node.defaultChild as CfnAlarm;
    const stack = Stack.of(alarm);
    const name = `${this.alarmNamePrefix}${alarm.node.path.slice(stack.node.path.length + 1)}`;
    // Unset, CDK's lazy physical name resolves to nothing.
    const given: unknown = stack.resolve(resource.alarmName);
    if (given !== undefined && given !== name) throw new Error(`${alarm.node.path}: the operations topic names its alarms; leave alarmName unset (it is ${String(given)})`);
    if (!Token.isUnresolved(name) && name.length > ALARM_NAME_MAX) throw new Error(`${alarm.node.path}: alarm name over ${ALARM_NAME_MAX} characters: ${name}`);
    resource.alarmName = name;
  }

  /**
   * Guards a function that is invoked asynchronously (by Scheduler): after
   * Lambda's own retries its event goes to the failure queue, never nowhere,
   * and any failed run pages on-call.
   */
  guardAsync(fn: SlaDeskFunction, retries: AsyncRetries, consequence: string): Alarm {
    fn.fn.configureAsyncInvoke({ ...retries, onFailure: new SqsDestination(this.failedInvocations) });
    return this.pageOnErrors(fn, `a run failed. ${consequence} Failed events are kept on the failed-invocations queue.`);
  }

  /** Pages on-call when a function fails once (no runs at all is a different alarm's concern). */
  pageOnErrors(fn: SlaDeskFunction, consequence: string): Alarm {
    this.paging.add(fn);
    return this.pageOnFirst(fn, 'ErrorsAlarm', `${fn.fn.node.path}: ${consequence}`, fn.fn.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }));
  }

  /** Whether the function already has its errors alarm. */
  pagesOnErrors(fn: SlaDeskFunction): boolean {
    return this.paging.has(fn);
  }

  /** An alarm on the first occurrence in five minutes, to the operations topic; silence is healthy. */
  private pageOnFirst(scope: Construct, id: string, description: string, metric: IMetric): Alarm {
    const alarm = new Alarm(scope, id, {
      alarmDescription: description,
      metric,
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    this.notify(alarm);
    return alarm;
  }

  /**
   * One alarm over every dead-letter queue: the failed-invocations queue (the
   * recurring schedules' too) and those given (Scheduler's undeliverable
   * timers). One message on any pages.
   */
  alarmOnDeadLetters(description: string, queues: readonly IQueue[]): Alarm {
    const all = [this.failedInvocations, ...queues];
    // SQS stops reporting idle queues: FILL makes an empty queue count as 0.
    const metric = new MathExpression({
      label: 'messages on dead-letter queues',
      expression: all.map((_, i) => `FILL(q${i}, 0)`).join(' + '),
      usingMetrics: Object.fromEntries(all.map((q, i) => [`q${i}`, q.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' })])),
      period: Duration.minutes(5),
    });
    return this.pageOnFirst(this, 'DeadLettersAlarm', description, metric);
  }
}

/**
 * An encrypted, SSL-only queue that keeps what failed for the longest SQS
 * allows (14 days), to find out why and replay it. It is itself a dead-letter
 * queue, so it has none.
 */
export function deadLetterQueue(scope: Construct, id: string, whatFor: string): Queue {
  const queue = new Queue(scope, id, { encryption: QueueEncryption.SQS_MANAGED, enforceSSL: true, retentionPeriod: Duration.days(14) });
  Validations.of(queue).acknowledge({
    id: 'AwsSolutions-SQS3',
    reason: `This queue is itself ${whatFor}; a dead-letter queue of it would only hide failures further, and an alarm pages on its first message.`,
  });
  return queue;
}
