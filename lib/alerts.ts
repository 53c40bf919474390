import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, type Role } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { Schedule, ScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import { EmailIdentity, Identity } from 'aws-cdk-lib/aws-ses';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { z } from 'zod';
import { RecurringInvocation } from './recurring-invocation';
import { type LogLevel, SlaDeskFunction } from './sla-desk-function';

const DOMAIN = /^([A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,}$/;

/** The check the functions' configuration applies, so a stack that synthesizes also starts. */
export function isEmail(value: string): boolean {
  return z.email().safeParse(value).success;
}

export interface SlaDeskAlertsProps {
  readonly stage: string;
  readonly table: ITable;
  /** The timer settings; the relay parses them like every function. */
  readonly environment: Readonly<Record<string, string>>;
  /** ALERT_FROM_EMAIL: the sender of alert emails. */
  readonly fromEmail: string;
  /** The SES sending identity: a domain, or an address. @default the domain of fromEmail */
  readonly sesIdentity?: string;
  readonly logLevel?: LogLevel;
}

/**
 * Alert delivery: the breach topic, the SES identity alert emails are sent
 * from, and the outbox relay that delivers, every minute, whatever a failed
 * send or an API function left queued. Only functions given `grantDeliver`
 * may publish or send.
 */
export class SlaDeskAlerts extends Construct {
  readonly key: Key;
  readonly breachTopic: Topic;
  readonly emailIdentity: EmailIdentity;
  readonly fromEmail: string;
  readonly relay: SlaDeskFunction;
  readonly relayGroup: ScheduleGroup;
  /** The role Scheduler assumes to start the relay. */
  readonly relayRole: Role;
  readonly relaySchedule: Schedule;

  constructor(scope: Construct, id: string, props: SlaDeskAlertsProps) {
    super(scope, id);
    this.fromEmail = props.fromEmail;
    if (!isEmail(props.fromEmail)) throw new Error(`alertFromEmail is not an email address: ${props.fromEmail}`);
    const fromDomain = props.fromEmail.slice(props.fromEmail.lastIndexOf('@') + 1).toLowerCase();
    const identity = (props.sesIdentity ?? fromDomain).toLowerCase();
    checkIdentity(identity, props.fromEmail.toLowerCase(), fromDomain);

    this.key = new Key(this, 'BreachTopicKey', {
      description: 'sla-desk breach topic encryption',
      enableKeyRotation: true,
      // Protects messages in flight only; nothing stays encrypted under it once the topic is gone.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.breachTopic = new Topic(this, 'BreachTopic', {
      displayName: `sla-desk ${props.stage} SLA breaches`,
      masterKey: this.key,
      enforceSSL: true,
    });

    this.emailIdentity = new EmailIdentity(this, 'EmailIdentity', {
      identity: identity.includes('@') ? Identity.email(identity) : Identity.domain(identity),
    });

    this.relay = new SlaDeskFunction(this, 'RelayFunction', {
      entry: 'functions/handlers/timer/deliver-alerts.ts',
      description: 'sla-desk alert outbox relay',
      logLevel: props.logLevel,
      // Under the minute between runs and the outbox's 60 s claim, so runs do not pile up or outlive their claims.
      timeout: Duration.seconds(50),
      environment: props.environment,
    }).bindTable(props.table, 'readWrite');
    this.grantDeliver(this.relay);

    const relayInvocation = new RecurringInvocation(this, 'RelayInvocation', {
      stage: props.stage,
      name: 'relay',
      description: 'alert outbox relay',
      fn: this.relay.fn,
      rate: Duration.minutes(1),
      // A missed run is made up by the next one a minute later; the alerts stay queued meanwhile.
      retryPolicy: { retryAttempts: 0, maxEventAge: Duration.seconds(60) },
    });
    this.relayGroup = relayInvocation.group;
    this.relayRole = relayInvocation.role;
    this.relaySchedule = relayInvocation.schedule;
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
        resources: [this.emailIdentity.emailIdentityArn],
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
