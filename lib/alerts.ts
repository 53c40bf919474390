import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, type Role } from 'aws-cdk-lib/aws-iam';
import type { Key } from 'aws-cdk-lib/aws-kms';
import type { Schedule, ScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import { EmailIdentity, Identity } from 'aws-cdk-lib/aws-ses';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { z } from 'zod';
import type { SlaDeskOperations } from './operations';
import { RECURRING } from '../functions/domain/recurrence';
import { RecurringInvocation } from './recurring-invocation';
import { METRIC } from '../functions/handlers/metric-names';
import { type FunctionSettings, type LogLevel, publishedMetric, SlaDeskFunction } from './sla-desk-function';

const DOMAIN = /^([A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,}$/;

/** The check the functions' configuration applies, so a stack that synthesizes also starts. */
export function isEmail(value: string): boolean {
  return z.email().safeParse(value).success;
}

/** Undelivered this long, an alert pages on-call. */
const ALERT_BACKLOG_LIMIT = Duration.minutes(15);

export interface SlaDeskAlertsProps {
  readonly stage: string;
  readonly functions: FunctionSettings;
  readonly table: ITable;
  readonly operations: SlaDeskOperations;
  /** The timer settings; the relay parses them like every function. */
  readonly environment: Readonly<Record<string, string>>;
  /** ALERT_FROM_EMAIL: the sender of alert emails. */
  readonly fromEmail: string;
  /** The SES sending identity: a domain, or an address. @default the domain of fromEmail */
  readonly sesIdentity?: string;
  /**
   * The identity is already in SES (verified, or shared by another stage):
   * reference it by name instead of creating it. An identity is unique per
   * account and region, so only one stack may create it. @default false
   */
  readonly sesIdentityExists?: boolean;
  /** Also subscribed to the breach topic by email (SNS asks each to confirm). @default none */
  readonly breachTopicEmails?: readonly string[];
  readonly logLevel?: LogLevel;
}

/**
 * Alert delivery: the breach topic, the SES identity alert emails are sent
 * from, and the outbox relay that every minute runs its steps (service-window
 * notices, hypercare with its digests, the sweep of overdue tickets) and
 * delivers whatever a failed send, an API function or those steps left queued.
 * Only functions given `grantDeliver` may publish or send.
 */
export class SlaDeskAlerts extends Construct {
  /** The topics' key (the operations topic's). */
  readonly key: Key;
  readonly breachTopic: Topic;
  /** Created here unless it exists already. */
  readonly emailIdentity?: EmailIdentity;
  /** The identity's name: a domain or an address. */
  readonly identityName: string;
  readonly emailIdentityArn: string;
  /** Whether the identity was there before this deploy (and so may be verified). */
  readonly identityExisted: boolean;
  readonly fromEmail: string;
  readonly relay: SlaDeskFunction;
  readonly relayGroup: ScheduleGroup;
  /** The role Scheduler assumes to start the relay. */
  readonly relayRole: Role;
  readonly relaySchedule: Schedule;
  /** A relay run failed. */
  readonly relayErrorsAlarm: Alarm;
  /** An alert has waited too long for delivery, or the relay stopped reporting. */
  readonly backlogAlarm: Alarm;

  constructor(scope: Construct, id: string, props: SlaDeskAlertsProps) {
    super(scope, id);
    this.fromEmail = props.fromEmail;
    if (!isEmail(props.fromEmail)) throw new Error(`alertFromEmail is not an email address: ${props.fromEmail}`);
    const fromDomain = props.fromEmail.slice(props.fromEmail.lastIndexOf('@') + 1).toLowerCase();
    this.identityName = (props.sesIdentity ?? fromDomain).toLowerCase();
    checkIdentity(this.identityName, props.fromEmail.toLowerCase(), fromDomain);

    // The operations topic's key: both protect messages in flight only, and a key costs $1 a month.
    this.key = props.operations.key;
    this.breachTopic = new Topic(this, 'BreachTopic', {
      displayName: `sla-desk ${props.stage} SLA breaches`,
      masterKey: this.key,
      enforceSSL: true,
    });
    for (const email of props.breachTopicEmails ?? []) {
      if (!isEmail(email)) throw new Error(`context breachTopicEmails has an entry that is not an email address: ${email}`);
      this.breachTopic.addSubscription(new EmailSubscription(email));
    }

    this.identityExisted = props.sesIdentityExists ?? false;
    if (this.identityExisted) {
      this.emailIdentityArn = Stack.of(this).formatArn({ service: 'ses', resource: 'identity', resourceName: this.identityName });
    } else {
      this.emailIdentity = new EmailIdentity(this, 'EmailIdentity', {
        identity: this.identityName.includes('@') ? Identity.email(this.identityName) : Identity.domain(this.identityName),
      });
      // Kept when the stack lets go of it (say, to reference it as existing): its verification took DNS work.
      this.emailIdentity.applyRemovalPolicy(RemovalPolicy.RETAIN);
      this.emailIdentityArn = this.emailIdentity.emailIdentityArn;
    }

    this.relay = new SlaDeskFunction(this, 'RelayFunction', {
      entry: 'functions/handlers/timer/deliver-alerts.ts',
      description: 'sla-desk sweep and alert outbox relay',
      logLevel: props.logLevel,
      // Under the minute between runs and the outbox's 60 s claim, so runs do not pile up or outlive their claims.
      timeout: Duration.seconds(50),
      environment: props.environment,
      settings: props.functions,
      // Not scoped by dynamodb:LeadingKeys: it records breaches (TICKET#), claims and delivers alerts of every kind
      // (beside tickets, customers, service windows, targets, reports), queues hypercare digests, records hypercare
      // conclusions and keeps its watch list of customers (CUSTOMER#).
    }).bindTable(props.table, 'readWrite');
    this.grantDeliver(this.relay);

    const relayInvocation = new RecurringInvocation(this, 'RelayInvocation', {
      stage: props.stage,
      name: 'relay',
      description: 'sweep and alert outbox relay',
      fn: this.relay.fn,
      recurrence: RECURRING.relay,
      // A missed run is made up by the next one a minute later; the alerts stay queued meanwhile.
      retryPolicy: { retryAttempts: 0, maxEventAge: Duration.seconds(60) },
    });
    this.relayGroup = relayInvocation.group;
    this.relayRole = relayInvocation.role;
    this.relaySchedule = relayInvocation.schedule;

    this.relayErrorsAlarm = props.operations.guardAsync(
      this.relay,
      // The next run a minute later does the same work: no retries that would overlap it.
      { retryAttempts: 0, maxEventAge: Duration.seconds(60) },
      'Service-window notices were not completed, overdue breaches not swept, or queued alerts not delivered in that minute: the relay logs the failed step ("relay step failed", field step). The next run tries again.',
    );

    this.backlogAlarm = new Alarm(this, 'AlertBacklogAlarm', {
      alarmDescription: `An SLA alert has waited more than ${ALERT_BACKLOG_LIMIT.toMinutes()} minutes for delivery (SES or SNS keeps refusing it, e.g. an SES sandbox recipient), or the relay has stopped reporting. Check the relay logs and the outbox.`,
      metric: publishedMetric(props.stage, METRIC.oldestPendingAlertAge, 'Maximum', Duration.minutes(5)),
      threshold: ALERT_BACKLOG_LIMIT.toSeconds(),
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      // The relay reports every minute, 0 when nothing waits: silence means it is not running.
      treatMissingData: TreatMissingData.BREACHING,
    });
    props.operations.notify(this.backlogAlarm);
  }

  /**
   * Lets a function deliver alerts: publish to the breach topic (with the key
   * it needs) and send email from the alert address through the SES identity.
   */
  grantDeliver(fn: SlaDeskFunction): this {
    fn.addEnvironment('BREACH_TOPIC_ARN', this.breachTopic.topicArn).addEnvironment('ALERT_FROM_EMAIL', this.fromEmail);
    fn.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['sns:Publish'], resources: [this.breachTopic.topicArn] }));
    // What SNS asks of a publisher to an encrypted topic.
    fn.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['kms:GenerateDataKey', 'kms:Decrypt'], resources: [this.key.keyArn] }));
    fn.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['ses:SendEmail'],
        resources: [this.emailIdentityArn],
        conditions: { StringEquals: { 'ses:FromAddress': this.fromEmail } },
      }),
    );
    return this;
  }
}

/** SES sends from an address only under its own identity or its domain's (subdomains included). */
function checkIdentity(identity: string, fromEmail: string, fromDomain: string): void {
  if (identity.includes('@')) {
    if (!isEmail(identity)) throw new Error(`sesIdentity is neither a domain nor an email address: ${identity}`);
    if (identity !== fromEmail) throw new Error(`alertFromEmail ${fromEmail} cannot be sent through the SES identity ${identity}`);
    return;
  }
  if (!DOMAIN.test(identity)) throw new Error(`sesIdentity is neither a domain nor an email address: ${identity}`);
  if (fromDomain !== identity && !fromDomain.endsWith(`.${identity}`)) {
    throw new Error(`alertFromEmail ${fromEmail} is not in the SES identity's domain ${identity}`);
  }
}
