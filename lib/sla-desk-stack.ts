import { Annotations, CfnOutput, RemovalPolicy, Stack, type StackProps, Tags } from 'aws-cdk-lib';
import { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { SlaDeskAlerts } from './alerts';
import { probedPath } from '../functions/handlers/http/routes';
import { PARTITION, partitionsUnder } from '../functions/adapters/dynamodb/table';
import { SlaDeskApi } from './api';
import { SlaDeskAttachments } from './attachments';
import { SlaDeskAuthorizer } from './authorizer';
import { type ProbeTargetSpec, SlaDeskProbe } from './availability-probe';
import { SlaDeskData } from './data';
import { SlaDeskIdentity } from './identity';
import { SlaDeskInboundEmail } from './inbound-email';
import { SlaDeskConsole } from './console-hosting';
import { SlaDeskOperations } from './operations';
import { SlaDeskReports } from './reports';
import { SlaDeskTimers } from './sla-timers';
import { SlaDeskMonitoring } from './monitoring';
import { type FunctionSettings, SlaDeskFunction } from './sla-desk-function';
import { defaultDomainPrefix, type StageConfig, stageConfig } from './stage-config';

/**
 * A prop wins over the context key of the same meaning. Stage `prod` requires
 * its own values where the defaults below are examples (see lib/stage-config.ts);
 * the cost knobs (dashboard, tracing, functionAlarms, userPoolWaf, threatProtection) are context only.
 */
export interface SlaDeskStackProps extends StackProps {
  /** Deployment stage. @default context `stage`, else 'dev' */
  readonly stage?: string;
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
  /** Who may call the API: people's access tokens and integrations' signed assertions. */
  readonly authorizer: SlaDeskAuthorizer;
  readonly timers: SlaDeskTimers;
  readonly alerts: SlaDeskAlerts;
  readonly probe: SlaDeskProbe;
  readonly reports: SlaDeskReports;
  /** Tickets' attachments: their bucket, and the check of each upload. */
  readonly attachments: SlaDeskAttachments;
  /** Email into tickets: deployed only with context `inboundDomain`. */
  readonly inboundEmail?: SlaDeskInboundEmail;
  readonly console: SlaDeskConsole;
  /** One message on any dead-letter queue. */
  readonly deadLettersAlarm: Alarm;
  readonly monitoring: SlaDeskMonitoring;
  /** The stage's settings, as context (or props) gave them. */
  readonly config: StageConfig;

  constructor(scope: Construct, id: string, props: SlaDeskStackProps = {}) {
    super(scope, id, props);
    if (this.node.tryGetContext('machineClients') !== undefined) {
      throw new Error("context machineClients is no longer read: register each customer system's key with sla-desk onboard --integration <id> --public-key <file> (no deploy)");
    }
    // A prop wins over the context key of the same meaning.
    const fromProps: Record<string, unknown> = {
      authDomainPrefix: props.authDomainPrefix,
      authCallbackUrls: props.callbackUrls,
      warningShare: props.warningShare,
      onCallEmails: props.onCallEmails,
      alertFromEmail: props.alertFromEmail,
      sesIdentity: props.sesIdentity,
      sesIdentityExists: props.sesIdentityExists,
      hypercareEscalationEmails: props.hypercareEscalationEmails,
      breachTopicEmails: props.breachTopicEmails,
      probeTargets: props.probeTargets,
      financeEmails: props.financeEmails,
    };
    const config = stageConfig(props.stage ?? stringOr(this.node.tryGetContext('stage'), 'dev'), (key) => fromProps[key] ?? this.node.tryGetContext(key));
    this.config = config;
    this.stage = config.stage;
    Tags.of(this).add('app', 'sla-desk');
    Tags.of(this).add('stage', this.stage);

    const retention = config.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    const functions: FunctionSettings = {
      stage: this.stage,
      tracing: config.tracing,
      logRetention: config.production ? RetentionDays.THREE_MONTHS : RetentionDays.TWO_WEEKS,
      logRemovalPolicy: retention,
      ...(config.resolutionTargets ? { resolutionTargets: config.resolutionTargets } : {}),
      ...(config.retention ? { retention: config.retention } : {}),
    };

    this.operations = new SlaDeskOperations(this, 'Operations', { stage: this.stage, onCallEmails: config.onCallEmails });
    this.data = new SlaDeskData(this, 'Data', { retain: config.retainData });

    // Before the functions: the messages they write link into it.
    this.console = new SlaDeskConsole(this, 'Console', { retain: config.retainData, domain: config.consoleDomain, logRetention: functions.logRetention });

    this.timers = new SlaDeskTimers(this, 'Timers', {
      stage: this.stage,
      functions,
      table: this.data.table,
      onCallEmails: config.onCallEmails,
      operations: this.operations,
      warningShare: config.warningShare,
      hypercareEscalationEmails: config.hypercareEscalationEmails,
      consoleUrl: this.console.url,
    });

    this.alerts = new SlaDeskAlerts(this, 'Alerts', {
      stage: this.stage,
      functions,
      table: this.data.table,
      operations: this.operations,
      environment: this.timers.environment,
      fromEmail: config.alertFromEmail,
      sesIdentity: config.sesIdentity,
      sesIdentityExists: config.sesIdentityExists,
      breachTopicEmails: config.breachTopicEmails,
    });
    this.alerts.grantDeliver(this.timers.timerFunction);

    this.identity = new SlaDeskIdentity(this, 'Identity', {
      functions,
      retain: config.retainData,
      waf: config.userPoolWaf,
      threatProtection: config.threatProtection,
      domainPrefix: config.authDomainPrefix ?? defaultDomainPrefix(this.stage, this.account),
      // The console signs in with the authorization code flow and PKCE, and comes back to its own page.
      callbackUrls: [`${this.console.url}/`, ...config.callbackUrls],
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

    // The measured targets are written into the table at deploy (SlaDeskProbe), not into environments: the API's
    // availability routes, the relay (its hypercare digests) and the report function read them once per cold start.
    this.authorizer = new SlaDeskAuthorizer(this, 'Authorizer', {
      functions,
      table: this.data.table,
      userPool: this.identity.userPool,
      peopleClient: this.identity.peopleClient,
      operations: this.operations,
    });
    this.api = new SlaDeskApi(this, 'Api', {
      functions,
      // Browsers may call it from the console's origin only.
      corsOrigins: [this.console.url],
      table: this.data.table,
      authorizer: this.authorizer.authorizer,
      // Every function parses the timer settings; only the arming routes get permissions to use them.
      environment: this.timers.environment,
      accessLogRetention: config.production ? RetentionDays.SIX_MONTHS : RetentionDays.TWO_WEEKS,
      accessLogRemovalPolicy: retention,
    });
    // Only the routes declared to arm, replace or cancel SLA timers may touch Scheduler.
    for (const fn of this.api.functionsFor((r) => r.armsTimers)) this.timers.grantArm(fn);

    this.probe = new SlaDeskProbe(this, 'Probe', {
      stage: this.stage,
      functions,
      table: this.data.table,
      operations: this.operations,
      // The default stage's URL ends in a slash.
      healthUrl: `${this.api.url}${probedPath()}`,
      targets: config.probeTargets,
      // Its configuration parses the timer settings like every function's; it gets no permission to use them.
      environment: this.timers.environment,
    });

    this.reports = new SlaDeskReports(this, 'Reports', {
      stage: this.stage,
      functions,
      retain: config.retainData,
      table: this.data.table,
      key: this.data.key,
      operations: this.operations,
      environment: {
        ...this.timers.environment,
        FINANCE_EMAILS: config.financeEmails.join(','),
        API_HEALTH_URL: `${this.api.url}${probedPath()}`,
        ALERT_FROM_EMAIL: this.alerts.fromEmail,
      },
    });
    if (config.inboundDomain) {
      this.inboundEmail = new SlaDeskInboundEmail(this, 'InboundEmail', {
        stage: this.stage,
        functions,
        table: this.data.table,
        operations: this.operations,
        environment: this.timers.environment,
        domain: config.inboundDomain,
        retain: config.retainData,
      });
      // The functions that send a ticket's emails sign each one's Reply-To.
      for (const fn of [this.timers.timerFunction, this.alerts.relay]) this.inboundEmail.letSign(fn);
      // A message may open a ticket, which arms its SLA timers.
      this.timers.grantArm(this.inboundEmail.ingestFunction);
    }

    // The console's downloads are redirected to presigned URLs of this bucket.
    this.console.allowConnect(`https://${this.reports.bucket.bucketRegionalDomainName}`);
    // Only the routes declared to serve report files read the bucket; only the one that asks for a report invokes the function.
    for (const fn of this.api.functionsFor((r) => r.reports === 'read')) this.reports.grantRead(fn);
    for (const fn of this.api.functionsFor((r) => r.reports === 'request')) this.reports.grantRequest(fn);

    this.attachments = new SlaDeskAttachments(this, 'Attachments', {
      stage: this.stage,
      functions,
      retain: config.retainData,
      table: this.data.table,
      key: this.data.key,
      operations: this.operations,
      environment: this.timers.environment,
      consoleOrigin: this.console.url,
    });
    // The console uploads to and downloads from presigned URLs of this bucket. Its CORS names the distribution, which
    // carries the headers policy, so that names the bucket by a host pattern of the region (as it does the API);
    // the page's own policy names the bucket's exact host.
    this.console.allowConnect(`https://${this.attachments.bucket.bucketRegionalDomainName}`, `https://*.s3.${this.region}.${this.urlSuffix}`);
    // Only the route that hands out upload URLs may write the bucket, only the one that links to a file read it.
    for (const fn of this.api.functionsFor((r) => r.attachments === 'upload')) this.attachments.grantUpload(fn);
    for (const fn of this.api.functionsFor((r) => r.attachments === 'read')) this.attachments.grantRead(fn);
    // A person's erasure deletes their files and their account: its function alone.
    for (const fn of this.api.functionsFor((r) => r.deletes)) {
      this.attachments.grantErase(fn);
      this.identity.grantDeleteUsers(fn);
      this.inboundEmail?.grantErase(fn);
    }
    // An email's files become the ticket's attachments: the ingest function stores them as an upload would.
    if (this.inboundEmail) this.attachments.grantUpload(this.inboundEmail.ingestFunction);

    // Only what measures or reports availability reads the probe targets item (the probe, the relay for its digests,
    // the report function, and the API's availability routes).
    const readsTargets = new Set([...this.api.functionsFor((r) => r.probeTargets), this.probe.probe, this.alerts.relay, this.reports.reportFunction]);
    for (const fn of [...this.api.capabilities.values(), this.timers.timerFunction, this.reports.checkFunction, this.attachments.checkFunction]) {
      if (!readsTargets.has(fn)) fn.denyReading(this.data.table, [partitionsUnder(PARTITION.settings)]);
    }

    this.deadLettersAlarm = this.operations.alarmOnDeadLetters(
      'Events are waiting on a dead-letter queue: SLA timers or recurring runs (relay, probe, report, report check) Scheduler could not deliver, or runs of the timer, relay, probe, report or attachment-check functions that failed after their retries. Warnings, breaches or samples may be late (the sweep still records breaches), or an attachment stays pending. Inspect and replay the queues.',
      [this.timers.deadLetterQueue],
    );

    this.monitoring = new SlaDeskMonitoring(this, 'Monitoring', {
      stage: this.stage,
      operations: this.operations,
      api: this.api,
      functions: this.node.findAll().filter((c): c is SlaDeskFunction => c instanceof SlaDeskFunction),
      deadLettersAlarm: this.deadLettersAlarm,
      dashboard: config.dashboard,
      functionAlarms: config.functionAlarms,
    });
    this.monitoring.showAlarms(this.node.findAll().filter((c): c is Alarm => c instanceof Alarm));

    this.console.deploy({ apiUrl: this.api.url, region: this.region, userPoolClientId: this.identity.peopleClient.userPoolClientId, authUrl: this.identity.domain.baseUrl() });

    new CfnOutput(this, 'ApiUrl', { value: this.api.url });
    new CfnOutput(this, 'ConsoleUrl', { value: this.console.url });
    new CfnOutput(this, 'UserPoolId', { value: this.identity.userPool.userPoolId });
    new CfnOutput(this, 'PeopleClientId', { value: this.identity.peopleClient.userPoolClientId });
    new CfnOutput(this, 'IntegrationAudience', { value: this.authorizer.audience, description: "What an integration's signed assertion names as aud" });
    new CfnOutput(this, 'AuthIssuer', { value: this.authorizer.issuer });
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
    new CfnOutput(this, 'ReportCheckFunctionName', { value: this.reports.checkFunction.fn.functionName });
    if (this.monitoring.dashboard) {
      new CfnOutput(this, 'DashboardUrl', {
        value: `https://${this.region}.console.aws.amazon.com/cloudwatch/home?region=${this.region}#dashboards/dashboard/${this.monitoring.dashboard.dashboardName}`,
      });
    }
    if (this.identity.webAcl) new CfnOutput(this, 'UserPoolWebAclArn', { value: this.identity.webAcl.attrArn });
  }
}

function stringOr(value: unknown, fallback: string): string {
  return typeof value === 'string' && value !== '' ? value : fallback;
}
