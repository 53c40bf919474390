import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, type CfnElement } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { CAPABILITIES } from '#handlers/http/routes';
import { SlaDeskStack } from '../../lib/sla-desk-stack';
import { PROD_CONTEXT } from '../support/synth';

/* Stages side by side, synthesised without bundling: what each keeps, what each costs. */

type Json = Record<string, any>;

const PROJECT_CONTEXT = (JSON.parse(readFileSync(join(__dirname, '../../cdk.json'), 'utf8')) as { context: Json }).context;

const CERTIFICATE = 'arn:aws:acm:us-east-1:123456789012:certificate/0f2b7c1e-3a4d-4e5f-8a9b-0c1d2e3f4a5b';
/** The functions besides one per capability of the API: timer, relay, probe, report, report check, attachment check and expiry, token trigger, authorizer. */
const OTHER_FUNCTIONS = 9;

function synth(stage: string, context: Record<string, unknown> = {}): { stack: SlaDeskStack; template: Template; resources: Record<string, Json> } {
  const app = new App({ context: { ...PROJECT_CONTEXT, 'aws:cdk:bundling-stacks': [], ...context } });
  const stack = new SlaDeskStack(app, `SlaDesk-${stage}`, { stage, env: { account: '123456789012', region: 'eu-north-1' } });
  const template = Template.fromStack(stack);
  return { stack, template, resources: template.toJSON().Resources as Record<string, Json> };
}

/** cdk-nag's findings that no acknowledgement covers. */
const findings = (stack: SlaDeskStack) => new AwsSolutionsChecks().validateScope(stack).violations.map((v) => `${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath).join(', ')}`);

const logicalId = (stack: SlaDeskStack, construct: IConstruct): string => stack.resolve((construct.node.defaultChild as CfnElement).logicalId);

const ofType = (resources: Record<string, Json>, type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
const ownFunctions = (resources: Record<string, Json>) =>
  ofType(resources, 'AWS::Lambda::Function').filter(
    ([id]) =>
      !['CustomCDKBucketDeployment', 'CustomS3AutoDeleteObjects', 'AWS679f53fac002430cb0da5b7982bd2287', 'BucketNotificationsHandler050a0587b7544547bf325f094a3db834'].some((prefix) =>
        id.startsWith(prefix),
      ),
  );

let prod: ReturnType<typeof synth>;
let dev: ReturnType<typeof synth>;

beforeAll(() => {
  prod = synth('prod', PROD_CONTEXT);
  dev = synth('dev');
}, 120_000);

describe('prod', () => {
  it('refuses to synthesise without its context, naming every missing key in one message', () => {
    expect(() => synth('prod')).toThrow('sla-desk stage prod: missing context sesIdentity or alertFromEmail, onCallEmails, hypercareEscalationEmails, financeEmails, probeTargets, authDomainPrefix');
  });

  it('retains and protects the table, with point-in-time recovery and its own key', () => {
    const [[, table]] = ofType(prod.resources, 'AWS::DynamoDB::Table') as [[string, Json]];
    expect(table).toMatchObject({
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: { DeletionProtectionEnabled: true, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true }, SSESpecification: { SSEEnabled: true, SSEType: 'KMS' } },
    });
  });

  it('retains the data keys, the reports, the user pool and every log group', () => {
    const retained = (construct: IConstruct) => prod.resources[logicalId(prod.stack, construct)]!.DeletionPolicy;
    expect(retained(prod.stack.data.key)).toBe('Retain');
    expect(retained(prod.stack.reports.key)).toBe('Retain');
    expect(retained(prod.stack.reports.bucket)).toBe('Retain');
    expect(retained(prod.stack.console.bucket)).toBe('Retain');
    expect(ofType(prod.resources, 'Custom::S3AutoDeleteObjects')).toEqual([]);
    const [[, pool]] = ofType(prod.resources, 'AWS::Cognito::UserPool') as [[string, Json]];
    expect(pool).toMatchObject({ DeletionPolicy: 'Retain', Properties: { DeletionProtection: 'ACTIVE' } });
    const logGroups = ofType(prod.resources, 'AWS::Logs::LogGroup');
    expect(logGroups.length).toBeGreaterThanOrEqual(CAPABILITIES.length + OTHER_FUNCTIONS + 1);
    for (const [id, group] of logGroups) {
      expect(group.DeletionPolicy, id).toBe('Retain');
      expect(group.Properties.RetentionInDays, id).toBeGreaterThanOrEqual(90);
    }
  });

  it('has no dashboard by default (USD 3 a month), and asked for one, it shows the API, every function, the queues, delivery, probe, availability, reports and the SLA figures', () => {
    expect(ofType(prod.resources, 'AWS::CloudWatch::Dashboard')).toHaveLength(0);
    const withDashboard = synth('prod', { ...PROD_CONTEXT, dashboard: 'true' });
    const dashboards = ofType(withDashboard.resources, 'AWS::CloudWatch::Dashboard');
    expect(dashboards).toHaveLength(1);
    expect(dashboards[0]![1].Properties.DashboardName).toBe('sla-desk-prod-eu-north-1');
    // The body is JSON with the template's references spliced in: put each reference's name in its place.
    const join = dashboards[0]![1].Properties.DashboardBody['Fn::Join'][1] as unknown[];
    const body = join.map((part) => (typeof part === 'string' ? part : ((part as Json).Ref ?? (part as Json)['Fn::GetAtt']?.join('.') ?? 'reference'))).join('');
    const widgets = (JSON.parse(body) as { widgets: Json[] }).widgets;
    expect(widgets.length).toBeGreaterThanOrEqual(12);
    for (const metric of [
      '"5xx"',
      '"Count"',
      '"Latency"',
      '"IntegrationLatency"',
      'sla-desk/prod',
      'AlertDeliveryFailures',
      'OldestPendingAlertAge',
      'ProbeFailures',
      'ProbeSamplesMissing',
      'AvailabilityMonthToDate',
      'ReportGenerationTime',
      'MonthlyReportsMissing',
      'TicketsOpened',
      'FirstResponseBusinessMinutes',
      'SlaWarnings',
      'SlaBreaches',
      'Messages on dead-letter queues',
      '"type":"alarm"',
    ]) {
      expect(body, metric).toContain(metric);
    }
    // Errors and throttles of every function, one line each.
    const lines = widgets.flatMap((w) => (w.properties.metrics ?? []) as unknown[][]);
    for (const [id] of ownFunctions(prod.resources)) {
      expect(
        lines.filter((l) => l[0] === 'AWS/Lambda' && l[3] === id).map((l) => l[1]),
        id,
      ).toEqual(['Errors', 'Throttles']);
    }
    withDashboard.template.hasOutput('DashboardUrl', {});
  });

  it('has the console on its own domain when given one, with a us-east-1 certificate and TLS 1.2', () => {
    const custom = synth('prod', { ...PROD_CONTEXT, consoleDomain: 'support.provider.example', consoleCertificateArn: CERTIFICATE });
    const [[, distribution]] = ofType(custom.resources, 'AWS::CloudFront::Distribution') as [[string, Json]];
    expect(distribution.Properties.DistributionConfig).toMatchObject({
      Aliases: ['support.provider.example'],
      ViewerCertificate: { AcmCertificateArn: CERTIFICATE, MinimumProtocolVersion: 'TLSv1.2_2021', SslSupportMethod: 'sni-only' },
    });
    custom.template.hasOutput('ConsoleUrl', { Value: 'https://support.provider.example' });
    const [[, api]] = ofType(custom.resources, 'AWS::ApiGatewayV2::Api') as [[string, Json]];
    expect(api.Properties.CorsConfiguration.AllowOrigins).toEqual(['https://support.provider.example']);
    // With its own certificate the distribution needs no CFR4 acknowledgement, and has none.
    expect(findings(custom.stack)).toEqual([]);
  });

  it('leaves no unacknowledged cdk-nag finding', () => {
    expect(findings(prod.stack)).toEqual([]);
  });
});

describe('dev', () => {
  it('synthesises with no context at all, on the example defaults', () => {
    dev.template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'oncall@example.com' });
  });

  it('can be torn down: no deletion protection, and table, keys, buckets (emptied first), user pool and log groups go with the stack', () => {
    const [[, table]] = ofType(dev.resources, 'AWS::DynamoDB::Table') as [[string, Json]];
    expect(table).toMatchObject({ DeletionPolicy: 'Delete', Properties: { DeletionProtectionEnabled: false, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } } });
    for (const [id, key] of ofType(dev.resources, 'AWS::KMS::Key')) expect(key.DeletionPolicy, id).toBe('Delete');
    for (const [id, bucket] of ofType(dev.resources, 'AWS::S3::Bucket')) expect(bucket.DeletionPolicy, id).toBe('Delete');
    expect(ofType(dev.resources, 'Custom::S3AutoDeleteObjects')).toHaveLength(3);
    const [[, pool]] = ofType(dev.resources, 'AWS::Cognito::UserPool') as [[string, Json]];
    expect(pool).toMatchObject({ DeletionPolicy: 'Delete', Properties: { DeletionProtection: 'INACTIVE' } });
    for (const [id, group] of ofType(dev.resources, 'AWS::Logs::LogGroup')) {
      expect(group.DeletionPolicy, id).toBe('Delete');
      expect(group.Properties.RetentionInDays, id).toBe(14);
    }
  });

  it('has no dashboard unless asked for one', () => {
    dev.template.resourceCountIs('AWS::CloudWatch::Dashboard', 0);
    synth('dev', { dashboard: 'true' }).template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
  });
});

describe('cost knobs', () => {
  const alarmMetrics = (resources: Record<string, Json>) =>
    ofType(resources, 'AWS::CloudWatch::Alarm').reduce((n, [, a]) => n + (a.Properties.Metrics ? (a.Properties.Metrics as Json[]).filter((m) => m.MetricStat).length : 1), 0);

  it('the same alarms in every stage: one per concern, on at most two metrics each', () => {
    const alarms = ofType(prod.resources, 'AWS::CloudWatch::Alarm');
    expect(alarms).toHaveLength(ofType(dev.resources, 'AWS::CloudWatch::Alarm').length);
    // Five scheduled functions, the attachment check, the token trigger and the authorizer page on errors; the rest are one per concern.
    expect(alarms).toHaveLength(19);
    expect(alarmMetrics(prod.resources)).toBe(21);
  });

  it('functionAlarms=true adds an Errors alarm to every function without one, and a Throttles alarm to every function', () => {
    const { resources, stack } = synth('dev', { functionAlarms: 'true' });
    const functions = ownFunctions(resources).length;
    expect(functions).toBe(CAPABILITIES.length + OTHER_FUNCTIONS);
    expect(stack.monitoring.functionAlarms).toHaveLength(2 * functions - 8);
    expect(ofType(resources, 'AWS::CloudWatch::Alarm')).toHaveLength(19 + 2 * functions - 8);
  });

  it('tracing=false turns X-Ray off on every function', () => {
    const { resources } = synth('dev', { tracing: 'false' });
    for (const [id, fn] of ownFunctions(resources)) expect(fn.Properties.TracingConfig, id).toBeUndefined();
  });

  it('userPoolWaf=true puts a regional web ACL on the user pool; off by default', () => {
    expect(ofType(prod.resources, 'AWS::WAFv2::WebACL')).toEqual([]);
    const { resources, stack } = synth('dev', { userPoolWaf: 'true', functionAlarms: 'true', dashboard: 'true' });
    expect(findings(stack)).toEqual([]);
    const [[aclId, acl]] = ofType(resources, 'AWS::WAFv2::WebACL') as [[string, Json]];
    expect(acl.Properties).toMatchObject({ Scope: 'REGIONAL', DefaultAction: { Allow: {} } });
    expect((acl.Properties.Rules as Json[]).map((r) => r.Name)).toEqual(['AWSManagedRulesAmazonIpReputationList', 'AWSManagedRulesCommonRuleSet', 'RequestsPerAddress']);
    const [[, association]] = ofType(resources, 'AWS::WAFv2::WebACLAssociation') as [[string, Json]];
    expect(association.Properties).toEqual({
      ResourceArn: { 'Fn::GetAtt': [logicalId(stack, stack.identity.userPool), 'Arn'] },
      WebACLArn: { 'Fn::GetAtt': [aclId, 'Arn'] },
    });
  });

  it('threatProtection=true puts the user pool on the Plus plan with full threat protection; Essentials by default, billed per user only past 10,000', () => {
    const pool = (resources: Record<string, Json>) => (ofType(resources, 'AWS::Cognito::UserPool')[0]![1] as Json).Properties as Json;
    for (const { resources } of [prod, dev]) {
      expect(pool(resources).UserPoolTier).toBe('ESSENTIALS');
      expect(pool(resources).UserPoolAddOns).toBeUndefined();
    }
    const { resources, stack } = synth('prod', { ...PROD_CONTEXT, threatProtection: 'true' });
    expect(findings(stack)).toEqual([]);
    expect(pool(resources)).toMatchObject({ UserPoolTier: 'PLUS', UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' } });
  });

  it('always-on billable resources: KMS keys and log groups per stage', () => {
    for (const { resources } of [prod, dev]) {
      // The data key (table, reports and attachments) and the topics' (operations and breach topics).
      expect(ofType(resources, 'AWS::KMS::Key')).toHaveLength(2);
      // One per function, the API's access logs, the console deployment's and the probe targets writer's.
      expect(ofType(resources, 'AWS::Logs::LogGroup')).toHaveLength(CAPABILITIES.length + OTHER_FUNCTIONS + 3);
    }
  });
});
