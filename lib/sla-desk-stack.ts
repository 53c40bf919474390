import { Annotations, CfnOutput, Stack, type StackProps, Tags, Token } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import type { Construct } from 'constructs';
import { isEmail, SlaDeskAlerts } from './alerts';
import { ROUTES } from '../functions/handlers/http/routes';
import { SlaDeskApi } from './api';
import { type ProbeTargetSpec, probeTargets, SlaDeskProbe } from './availability-probe';
import { SlaDeskData } from './data';
import { SlaDeskIdentity } from './identity';
import { SlaDeskConsole } from './console-hosting';
import { SlaDeskOperations } from './operations';
import { SlaDeskReports } from './reports';
import { SlaDeskTimers } from './sla-timers';


export interface SlaDeskStackProps extends StackProps {
  /** Deployment stage. @default context `stage`, else 'dev' */
  readonly stage?: string;
  /** Customers whose own systems call the API, one machine client each. @default context `integrations` (JSON array or comma-separated), else none */
  readonly integrations?: readonly string[];
  /** Cognito domain prefix, unique in the region. @default context `authDomainPrefix`, else sla-desk-<stage>-<account> */
  readonly authDomainPrefix?: string;
  /** Sign-in redirect URLs. @default context `authCallbackUrls`, else a localhost URL */
  readonly callbackUrls?: readonly string[];
  /** Share of the SLA after which the warning fires. @default context `warningShare`, else 0.75 */
  readonly warningShare?: number;
  /** The provider's on-call list. @default context `onCallEmails` (comma-separated), else oncall@example.com */
  readonly onCallEmails?: readonly string[];
  /** Sender of alert emails, and of Cognito's own. @default context `alertFromEmail`, else sla-desk@example.com */
  readonly alertFromEmail?: string;
  /** SES sending identity, a domain or an address. @default context `sesIdentity`, else the domain of alertFromEmail */
  readonly sesIdentity?: string;
  /** The SES identity exists (and is verified): reference it, and let Cognito send through it. @default context `sesIdentityExists`, else false */
  readonly sesIdentityExists?: boolean;
  /** The hypercare escalation list. @default context `hypercareEscalationEmails` (comma-separated), else none */
  readonly hypercareEscalationEmails?: readonly string[];
  /** Also subscribed to the breach topic by email. @default context `breachTopicEmails` (comma-separated), else none */
  readonly breachTopicEmails?: readonly string[];
  /** Probe targets besides the API's own health route. @default context `probeTargets` (JSON array), else none */
  readonly probeTargets?: readonly ProbeTargetSpec[];
  /** The provider's finance list, told when a monthly report is ready. @default context `financeEmails` (comma-separated), else none */
  readonly financeEmails?: readonly string[];
}

export class SlaDeskStack extends Stack {
  readonly stage: string;
  readonly operations: SlaDeskOperations;
  readonly data: SlaDeskData;
  readonly identity: SlaDeskIdentity;
  readonly api: SlaDeskApi;
  readonly timers: SlaDeskTimers;
  readonly alerts: SlaDeskAlerts;
  readonly probe: SlaDeskProbe;
  readonly reports: SlaDeskReports;
  readonly console: SlaDeskConsole;
  /** One message on any dead-letter queue. */
  readonly deadLettersAlarm: Alarm;

  constructor(scope: Construct, id: string, props: SlaDeskStackProps = {}) {
    super(scope, id, props);
    const context = (key: string): unknown => this.node.tryGetContext(key);

    this.stage = props.stage ?? stringOr(context('stage'), 'dev');
    if (!/^[a-z0-9-]+$/.test(this.stage)) throw new Error(`stage must be lower-case letters, digits and dashes: ${this.stage}`);
    Tags.of(this).add('app', 'sla-desk');
    Tags.of(this).add('stage', this.stage);
    if (context('machineClients') !== undefined) {
      throw new Error('context machineClients is no longer read: list the integrating customers\' ids in context integrations (e.g. -c integrations=ACME,GLOBEX); each gets its own machine client');
    }

    const onCallEmails = emails(props.onCallEmails ?? listOr(context('onCallEmails'), ['oncall@example.com']), 'onCallEmails');
    this.operations = new SlaDeskOperations(this, 'Operations', { stage: this.stage, onCallEmails });
    this.data = new SlaDeskData(this, 'Data');

    this.timers = new SlaDeskTimers(this, 'Timers', {
      stage: this.stage,
      table: this.data.table,
      onCallEmails,
      operations: this.operations,
      warningShare: props.warningShare ?? shareOr(context('warningShare'), 0.75),
      hypercareEscalationEmails: emailsOrNone(props.hypercareEscalationEmails ?? listOr(context('hypercareEscalationEmails'), []), 'hypercareEscalationEmails'),
    });

    this.alerts = new SlaDeskAlerts(this, 'Alerts', {
      stage: this.stage,
      table: this.data.table,
      operations: this.operations,
      environment: this.timers.environment,
      fromEmail: props.alertFromEmail ?? stringOr(context('alertFromEmail'), 'sla-desk@example.com'),
      sesIdentity: props.sesIdentity ?? optionalString(context('sesIdentity')),
      sesIdentityExists: props.sesIdentityExists ?? flag(context('sesIdentityExists'), 'sesIdentityExists'),
      breachTopicEmails: props.breachTopicEmails ?? listOr(context('breachTopicEmails'), []),
    });
    this.alerts.grantDeliver(this.timers.timerFunction);

    this.console = new SlaDeskConsole(this, 'Console');
    this.identity = new SlaDeskIdentity(this, 'Identity', {
      domainPrefix: props.authDomainPrefix ?? stringOr(context('authDomainPrefix'), defaultDomainPrefix(this.stage, this.account)),
      // The console signs in with the authorization code flow and PKCE, and comes back to its own page.
      callbackUrls: [`${this.console.url}/`, ...(props.callbackUrls ?? listOr(context('authCallbackUrls'), ['http://localhost:3000/auth/callback']))],
      integrations: props.integrations ?? listOr(context('integrations'), []),
      operations: this.operations,
      // An identity created by this very deploy is not verified yet: Cognito keeps its own sender until
      // the next deploy references it (-c sesIdentityExists=true).
      ...(this.alerts.identityExisted ? { sesEmail: { fromEmail: this.alerts.fromEmail, identityArn: this.alerts.emailIdentityArn } } : {}),
    });
    if (!this.alerts.identityExisted) {
      Annotations.of(this.identity).addWarningV2(
        'sla-desk:cognito-email',
        `Cognito sends its own email with its default sender (50 a day) until the SES identity ${this.alerts.identityName} is verified; then deploy again with -c sesIdentityExists=true.`,
      );
    }

    // The API answers for the measured targets (and refuses others), so its functions know their names too.
    const targets = props.probeTargets ?? probeTargets(context('probeTargets'));
    // The relay escalates incidents of the measured targets while a customer is in hypercare, and it and
    // the digest function report their availability in hypercare digests.
    for (const fn of [this.alerts.relay, this.alerts.digest]) fn.addEnvironment('PROBE_TARGETS', JSON.stringify(targets));
    this.api = new SlaDeskApi(this, 'Api', {
      // Browsers may call it from the console's origin only.
      corsOrigins: [this.console.url],
      table: this.data.table,
      userPool: this.identity.userPool,
      clients: this.identity.clients,
      machineClients: this.identity.machineClientsJson(),
      // Every function parses the timer settings; only the arming routes get permissions to use them.
      environment: { ...this.timers.environment, PROBE_TARGETS: JSON.stringify(targets) },
    });
    // Only the routes declared to arm, replace or cancel SLA timers may touch Scheduler.
    for (const route of ROUTES.filter((r) => r.armsTimers)) this.timers.grantArm(this.api.functions.get(route.id)!);

    this.probe = new SlaDeskProbe(this, 'Probe', {
      stage: this.stage,
      table: this.data.table,
      operations: this.operations,
      // The default stage's URL ends in a slash.
      healthUrl: `${this.api.url}health`,
      targets,
      // Its configuration parses the timer settings like every function's; it gets no permission to use them.
      environment: this.timers.environment,
    });

    const finance = emailsOrNone(props.financeEmails ?? listOr(context('financeEmails'), []), 'financeEmails');
    this.reports = new SlaDeskReports(this, 'Reports', {
      stage: this.stage,
      table: this.data.table,
      operations: this.operations,
      environment: { ...this.timers.environment, PROBE_TARGETS: JSON.stringify(targets), FINANCE_EMAILS: finance.join(','), API_HEALTH_URL: `${this.api.url}health` },
    });
    this.reports.reportFunction.addEnvironment('ALERT_FROM_EMAIL', this.alerts.fromEmail);
    // The console's downloads are redirected to presigned URLs of this bucket.
    this.console.allowConnect(`https://${this.reports.bucket.bucketRegionalDomainName}`);
    // Only the routes declared to serve report files read the bucket; only the one that asks for a report invokes the function.
    for (const route of ROUTES.filter((r) => r.reports === 'read')) this.reports.grantRead(this.api.functions.get(route.id)!);
    for (const route of ROUTES.filter((r) => r.reports === 'request')) this.reports.grantRequest(this.api.functions.get(route.id)!);

    this.deadLettersAlarm = this.operations.alarmOnDeadLetters(
      'Events are waiting on a dead-letter queue: SLA timers Scheduler could not deliver, or runs of the timer, relay or probe that failed after their retries. Warnings, breaches or samples may be late (the sweep still records breaches). Inspect and replay the queues.',
      [this.timers.deadLetterQueue],
    );

    this.console.deploy({ apiUrl: this.api.url, region: this.region, userPoolClientId: this.identity.peopleClient.userPoolClientId, authUrl: this.identity.domain.baseUrl() });

    new CfnOutput(this, 'ApiUrl', { value: this.api.url });
    new CfnOutput(this, 'ConsoleUrl', { value: this.console.url });
    new CfnOutput(this, 'UserPoolId', { value: this.identity.userPool.userPoolId });
    new CfnOutput(this, 'PeopleClientId', { value: this.identity.peopleClient.userPoolClientId });
    for (const [customerId, client] of this.identity.machineClients) {
      new CfnOutput(this, `IntegrationClientId${customerId}`, { value: client.userPoolClientId, description: `Machine client of customer ${customerId}` });
    }
    new CfnOutput(this, 'AuthIssuer', { value: this.api.issuer });
    new CfnOutput(this, 'TokenEndpoint', { value: `${this.identity.domain.baseUrl()}/oauth2/token` });
    new CfnOutput(this, 'TableName', { value: this.data.table.tableName });
    new CfnOutput(this, 'ScheduleGroupName', { value: this.timers.groupName });
    new CfnOutput(this, 'TimerDeadLetterQueueUrl', { value: this.timers.deadLetterQueue.queueUrl });
    new CfnOutput(this, 'FailedInvocationsQueueUrl', { value: this.operations.failedInvocations.queueUrl });
    new CfnOutput(this, 'OperationsTopicArn', { value: this.operations.topic.topicArn });
    new CfnOutput(this, 'BreachTopicArn', { value: this.alerts.breachTopic.topicArn });
    new CfnOutput(this, 'SesIdentityArn', { value: this.alerts.emailIdentityArn });
    new CfnOutput(this, 'ReportFunctionName', { value: this.reports.reportFunction.fn.functionName });
    new CfnOutput(this, 'ProbeFunctionName', { value: this.probe.probe.fn.functionName });
  }
}

function stringOr(value: unknown, fallback: string): string {
  return typeof value === 'string' && value !== '' ? value : fallback;
}

/** Context arrives as JSON from cdk.json and as a string from `-c`; accept both. */
function listOr(value: unknown, fallback: readonly string[]): readonly string[] {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value === 'string' && value !== '') {
    return value.trim().startsWith('[') ? (JSON.parse(value) as unknown[]).map(String) : value.split(',').map((s) => s.trim());
  }
  return fallback;
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Fail the synth, not every function's cold start, on a malformed address. */
function emails(values: readonly string[], name: string): readonly string[] {
  const list = values.map((v) => v.trim()).filter(Boolean);
  if (list.length === 0) throw new Error(`context ${name} must list at least one email address`);
  const bad = list.filter((v) => !isEmail(v));
  if (bad.length > 0) throw new Error(`context ${name} has entries that are not email addresses: ${bad.join(', ')}`);
  return list;
}

/** From cdk.json a number, from `-c` a string; outside (0, 1) the functions would refuse to start. */
function shareOr(value: unknown, fallback: number): number {
  if (value === undefined || value === null || value === '') return fallback;
  const n = typeof value === 'string' ? Number(value) : value;
  if (typeof n !== 'number' || !(n > 0 && n < 1)) throw new Error(`context warningShare must be a number between 0 and 1 (exclusive): ${String(value)}`);
  return n;
}

/** An optional list of addresses: empty is fine, a malformed one fails the synth. */
function emailsOrNone(values: readonly string[], name: string): readonly string[] {
  return values.length ? emails(values, name) : [];
}

/** From cdk.json a boolean, from `-c` a string. */
function flag(value: unknown, name: string): boolean {
  if (value === undefined || value === null || value === '' || value === false || value === 'false') return false;
  if (value === true || value === 'true') return true;
  throw new Error(`context ${name} must be true or false: ${String(value)}`);
}

/** Cognito domain prefixes are global per region, so the account keeps stages of different accounts apart. */
function defaultDomainPrefix(stage: string, account: string): string {
  return Token.isUnresolved(account) ? `sla-desk-${stage}` : `sla-desk-${stage}-${account}`;
}
