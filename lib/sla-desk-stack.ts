import { CfnOutput, Stack, type StackProps, Tags, Token } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { isEmail, SlaDeskAlerts } from './alerts';
import { SlaDeskApi } from './api';
import { type ProbeTargetSpec, probeTargets, SlaDeskProbe } from './availability-probe';
import { SlaDeskData } from './data';
import { SlaDeskIdentity } from './identity';
import { SlaDeskTimers } from './sla-timers';

/** The routes that arm, replace or cancel SLA timers; no other route may touch Scheduler. */
export const TIMER_ARMING_ROUTES = ['create-ticket', 'update-ticket', 'add-comment'] as const;

export interface SlaDeskStackProps extends StackProps {
  /** Deployment stage. @default context `stage`, else 'dev' */
  readonly stage?: string;
  /** MACHINE_CLIENTS for the functions, as JSON. @default context `machineClients`, else '{}' */
  readonly machineClients?: string;
  /** Cognito domain prefix. @default context `authDomainPrefix`, else sla-desk-<stage>-<account> */
  readonly authDomainPrefix?: string;
  /** Sign-in redirect URLs. @default context `authCallbackUrls`, else a localhost URL */
  readonly callbackUrls?: readonly string[];
  /** Share of the SLA after which the warning fires. @default context `warningShare`, else 0.75 */
  readonly warningShare?: number;
  /** The provider's on-call list. @default context `onCallEmails` (comma-separated), else oncall@example.com */
  readonly onCallEmails?: readonly string[];
  /** Sender of alert emails. @default context `alertFromEmail`, else sla-desk@example.com */
  readonly alertFromEmail?: string;
  /** SES sending identity, a domain or an address. @default context `sesIdentity`, else the domain of alertFromEmail */
  readonly sesIdentity?: string;
  /** Probe targets besides the API's own health route. @default context `probeTargets` (JSON array), else none */
  readonly probeTargets?: readonly ProbeTargetSpec[];
}

export class SlaDeskStack extends Stack {
  readonly stage: string;
  readonly data: SlaDeskData;
  readonly identity: SlaDeskIdentity;
  readonly api: SlaDeskApi;
  readonly timers: SlaDeskTimers;
  readonly alerts: SlaDeskAlerts;
  readonly probe: SlaDeskProbe;

  constructor(scope: Construct, id: string, props: SlaDeskStackProps = {}) {
    super(scope, id, props);
    const context = (key: string): unknown => this.node.tryGetContext(key);

    this.stage = props.stage ?? stringOr(context('stage'), 'dev');
    if (!/^[a-z0-9-]+$/.test(this.stage)) throw new Error(`stage must be lower-case letters, digits and dashes: ${this.stage}`);
    Tags.of(this).add('app', 'sla-desk');
    Tags.of(this).add('stage', this.stage);

    this.data = new SlaDeskData(this, 'Data');

    this.identity = new SlaDeskIdentity(this, 'Identity', {
      domainPrefix: props.authDomainPrefix ?? stringOr(context('authDomainPrefix'), defaultDomainPrefix(this.stage, this.account)),
      callbackUrls: props.callbackUrls ?? listOr(context('authCallbackUrls'), ['http://localhost:3000/auth/callback']),
    });

    this.timers = new SlaDeskTimers(this, 'Timers', {
      stage: this.stage,
      table: this.data.table,
      onCallEmails: emails(props.onCallEmails ?? listOr(context('onCallEmails'), ['oncall@example.com']), 'onCallEmails'),
      warningShare: props.warningShare ?? shareOr(context('warningShare'), 0.75),
    });

    this.alerts = new SlaDeskAlerts(this, 'Alerts', {
      stage: this.stage,
      table: this.data.table,
      environment: this.timers.environment,
      fromEmail: props.alertFromEmail ?? stringOr(context('alertFromEmail'), 'sla-desk@example.com'),
      sesIdentity: props.sesIdentity ?? optionalString(context('sesIdentity')),
    });
    this.alerts.grantDeliver(this.timers.timerFunction);

    this.api = new SlaDeskApi(this, 'Api', {
      table: this.data.table,
      userPool: this.identity.userPool,
      clients: [this.identity.peopleClient, this.identity.machineClient],
      machineClients: props.machineClients ?? machineClientsJson(context('machineClients')),
      // Every function parses the timer settings; only the arming routes get permissions to use them.
      environment: this.timers.environment,
    });
    for (const routeId of TIMER_ARMING_ROUTES) {
      const fn = this.api.functions.get(routeId);
      // A renamed route must not silently lose its timers.
      if (!fn) throw new Error(`Route ${routeId} arms SLA timers but is not in the route table`);
      this.timers.grantArm(fn);
    }

    this.probe = new SlaDeskProbe(this, 'Probe', {
      stage: this.stage,
      table: this.data.table,
      // The default stage's URL ends in a slash.
      healthUrl: `${this.api.url}health`,
      targets: props.probeTargets ?? probeTargets(context('probeTargets')),
      // Its configuration parses the timer settings like every function's; it gets no permission to use them.
      environment: this.timers.environment,
    });
    this.timers.notifyOperations(this.probe.errorsAlarm).notifyOperations(this.probe.missingSamplesAlarm);

    new CfnOutput(this, 'ApiUrl', { value: this.api.url });
    new CfnOutput(this, 'UserPoolId', { value: this.identity.userPool.userPoolId });
    new CfnOutput(this, 'PeopleClientId', { value: this.identity.peopleClient.userPoolClientId });
    new CfnOutput(this, 'MachineClientId', { value: this.identity.machineClient.userPoolClientId });
    new CfnOutput(this, 'AuthIssuer', { value: this.api.issuer });
    new CfnOutput(this, 'TokenEndpoint', { value: `${this.identity.domain.baseUrl()}/oauth2/token` });
    new CfnOutput(this, 'TableName', { value: this.data.table.tableName });
    new CfnOutput(this, 'ScheduleGroupName', { value: this.timers.groupName });
    new CfnOutput(this, 'TimerDeadLetterQueueUrl', { value: this.timers.deadLetterQueue.queueUrl });
    new CfnOutput(this, 'OperationsTopicArn', { value: this.timers.operationsTopic.topicArn });
    new CfnOutput(this, 'BreachTopicArn', { value: this.alerts.breachTopic.topicArn });
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

function machineClientsJson(value: unknown): string {
  if (value === undefined || value === null || value === '') return '{}';
  const parsed: unknown = typeof value === 'string' ? JSON.parse(value) : value;
  // Fail the synth, not the functions' cold start, on a malformed mapping.
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || !Object.values(parsed).every((v) => typeof v === 'string')) {
    throw new Error('context machineClients must be a JSON object of app client id to customer id');
  }
  return JSON.stringify(parsed);
}

/** Cognito domain prefixes are global per region, so the account keeps stages of different accounts apart. */
function defaultDomainPrefix(stage: string, account: string): string {
  return Token.isUnresolved(account) ? `sla-desk-${stage}` : `sla-desk-${stage}-${account}`;
}
