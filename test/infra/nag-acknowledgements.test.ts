import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { CAPABILITIES } from '#handlers/http/routes';
import { SlaDeskStack } from '../../lib/sla-desk-stack';
import { PROD_EVERY_OPTION } from '../support/synth';
import { acknowledgedUnder } from '../support/acknowledgements';

/*
 * Every cdk-nag acknowledgement in the app, by rule and construct path, as a
 * reviewed list: a new acknowledgement fails here until it is added below,
 * so it shows up in review. A capability's function is written `Api/{capability}`.
 */

const EXPECTED: readonly (readonly [rule: string, path: string])[] = [
  ['AwsSolutions-APIG4', 'Api/DefaultRoute'],
  ['AwsSolutions-APIG4', 'Api/HttpApi/GET--health'],
  ['AwsSolutions-APIG4', 'Api/HttpApi/GET--openapi.json'],
  ['AwsSolutions-CFR1', 'Console/Distribution'],
  ['AwsSolutions-CFR2', 'Console/Distribution'],
  ['AwsSolutions-CFR3', 'Console/Distribution'],
  ['AwsSolutions-CFR4', 'Console/Distribution'],
  ['AwsSolutions-COG8', 'Identity/UserPool'],
  ['AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]', 'AWS679f53fac002430cb0da5b7982bd2287'],
  ['AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]', 'BucketNotificationsHandler050a0587b7544547bf325f094a3db834'],
  ['AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]', 'Custom::CDKBucketDeployment8693BB64968944B69AAFB0CC9EB8756C256MiB'],
  ['AwsSolutions-IAM5[Action::kms:GenerateDataKey*]', 'Alerts/RelayFunction'],
  ['AwsSolutions-IAM5[Action::kms:GenerateDataKey*]', 'Api/{capability}'],
  ['AwsSolutions-IAM5[Action::kms:GenerateDataKey*]', 'Attachments/CheckFunction'],
  ['AwsSolutions-IAM5[Action::kms:GenerateDataKey*]', 'Authorizer/Function'],
  ['AwsSolutions-IAM5[Action::kms:GenerateDataKey*]', 'Probe/ProbeFunction'],
  ['AwsSolutions-IAM5[Action::kms:GenerateDataKey*]', 'Reports/ReportFunction'],
  ['AwsSolutions-IAM5[Action::kms:GenerateDataKey*]', 'Timers/TimerFunction'],
  ['AwsSolutions-IAM5[Action::kms:ReEncrypt*]', 'Alerts/RelayFunction'],
  ['AwsSolutions-IAM5[Action::kms:ReEncrypt*]', 'Api/{capability}'],
  ['AwsSolutions-IAM5[Action::kms:ReEncrypt*]', 'Timers/TimerFunction'],
  ['AwsSolutions-IAM5[Action::s3:Abort*]', 'Custom::CDKBucketDeployment8693BB64968944B69AAFB0CC9EB8756C256MiB'],
  ['AwsSolutions-IAM5[Action::s3:DeleteObject*]', 'Custom::CDKBucketDeployment8693BB64968944B69AAFB0CC9EB8756C256MiB'],
  ['AwsSolutions-IAM5[Action::s3:GetBucket*]', 'Custom::CDKBucketDeployment8693BB64968944B69AAFB0CC9EB8756C256MiB'],
  ['AwsSolutions-IAM5[Action::s3:GetObject*]', 'Custom::CDKBucketDeployment8693BB64968944B69AAFB0CC9EB8756C256MiB'],
  ['AwsSolutions-IAM5[Action::s3:List*]', 'Custom::CDKBucketDeployment8693BB64968944B69AAFB0CC9EB8756C256MiB'],
  ['AwsSolutions-IAM5[Resource::*]', 'Alerts/RelayFunction'],
  ['AwsSolutions-IAM5[Resource::*]', 'Api/{capability}'],
  ['AwsSolutions-IAM5[Resource::*]', 'Attachments/CheckFunction'],
  ['AwsSolutions-IAM5[Resource::*]', 'Attachments/ExpiryFunction'],
  ['AwsSolutions-IAM5[Resource::*]', 'Authorizer/Function'],
  ['AwsSolutions-IAM5[Resource::*]', 'BucketNotificationsHandler050a0587b7544547bf325f094a3db834'],
  ['AwsSolutions-IAM5[Resource::*]', 'Custom::CDKBucketDeployment8693BB64968944B69AAFB0CC9EB8756C256MiB'],
  ['AwsSolutions-IAM5[Resource::*]', 'Identity/PreTokenFunction'],
  ['AwsSolutions-IAM5[Resource::*]', 'Probe/ProbeFunction'],
  ['AwsSolutions-IAM5[Resource::*]', 'Reports/ReportCheckFunction'],
  ['AwsSolutions-IAM5[Resource::*]', 'Reports/ReportFunction'],
  ['AwsSolutions-IAM5[Resource::*]', 'Timers/TimerFunction'],
  ['AwsSolutions-IAM5[Resource::<AttachmentsBucket134755D7.Arn>/tickets/*]', 'Api/{capability}'],
  ['AwsSolutions-IAM5[Resource::<AttachmentsBucket134755D7.Arn>/tickets/*]', 'Attachments/CheckFunction'],
  ['AwsSolutions-IAM5[Resource::<AttachmentsBucket134755D7.Arn>/tickets/*]', 'Attachments/ExpiryFunction'],
  ['AwsSolutions-IAM5[Resource::<ConsoleConsoleBucketBF0C0634.Arn>/*]', 'Custom::CDKBucketDeployment8693BB64968944B69AAFB0CC9EB8756C256MiB'],
  ['AwsSolutions-IAM5[Resource::<DataTableFDBAD0F2.Arn>/index/*]', 'Alerts/RelayFunction'],
  ['AwsSolutions-IAM5[Resource::<DataTableFDBAD0F2.Arn>/index/*]', 'Api/{capability}'],
  ['AwsSolutions-IAM5[Resource::<DataTableFDBAD0F2.Arn>/index/*]', 'Attachments/CheckFunction'],
  ['AwsSolutions-IAM5[Resource::<DataTableFDBAD0F2.Arn>/index/*]', 'Probe/ProbeFunction'],
  ['AwsSolutions-IAM5[Resource::<DataTableFDBAD0F2.Arn>/index/*]', 'Reports/ReportCheckFunction'],
  ['AwsSolutions-IAM5[Resource::<DataTableFDBAD0F2.Arn>/index/*]', 'Reports/ReportFunction'],
  ['AwsSolutions-IAM5[Resource::<DataTableFDBAD0F2.Arn>/index/*]', 'Timers/TimerFunction'],
  ['AwsSolutions-IAM5[Resource::<ReportsReportBucket6BB60140.Arn>/reports/*]', 'Api/{capability}'],
  ['AwsSolutions-IAM5[Resource::<ReportsReportBucket6BB60140.Arn>/reports/*]', 'Reports/ReportFunction'],
  ['AwsSolutions-IAM5[Resource::arn:aws:s3:::cdk-hnb659fds-assets-123456789012-eu-north-1/*]', 'Custom::CDKBucketDeployment8693BB64968944B69AAFB0CC9EB8756C256MiB'],
  ['AwsSolutions-IAM5[Resource::arn:aws:scheduler:eu-north-1:123456789012:schedule/sla-desk-dev/*]', 'Api/{capability}'],
  ['AwsSolutions-IAM5[Resource::arn:aws:scheduler:eu-north-1:123456789012:schedule/sla-desk-dev/*]', 'Timers/TimerFunction'],
  ['AwsSolutions-L1', 'Alerts/RelayFunction'],
  ['AwsSolutions-L1', 'Api/{capability}'],
  ['AwsSolutions-L1', 'Attachments/CheckFunction'],
  ['AwsSolutions-L1', 'Attachments/ExpiryFunction'],
  ['AwsSolutions-L1', 'Authorizer/Function'],
  ['AwsSolutions-L1', 'AWS679f53fac002430cb0da5b7982bd2287'],
  ['AwsSolutions-L1', 'Custom::CDKBucketDeployment8693BB64968944B69AAFB0CC9EB8756C256MiB'],
  ['AwsSolutions-L1', 'Identity/PreTokenFunction'],
  ['AwsSolutions-L1', 'Probe/ProbeFunction'],
  ['AwsSolutions-L1', 'Reports/ReportCheckFunction'],
  ['AwsSolutions-L1', 'Reports/ReportFunction'],
  ['AwsSolutions-L1', 'Timers/TimerFunction'],
  ['AwsSolutions-S1', 'Attachments/Bucket'],
  ['AwsSolutions-S1', 'Console/ConsoleBucket'],
  ['AwsSolutions-S1', 'Reports/ReportBucket'],
  ['AwsSolutions-SQS3', 'Operations/FailedInvocations'],
  ['AwsSolutions-SQS3', 'Timers/DeadLetterQueue'],
];

const PROJECT_CONTEXT = (JSON.parse(readFileSync(join(__dirname, '../../cdk.json'), 'utf8')) as { context: Record<string, unknown> }).context;
const CAPABILITY_NAMES = new Set<string>(CAPABILITIES);

interface Acknowledgement {
  readonly rule: string;
  readonly path: string;
  readonly reason: string;
}

/** Where Validations.acknowledge records them: metadata on the construct, keyed by rule. */
function acknowledgements(root: IConstruct): Acknowledgement[] {
  return acknowledgedUnder(root).map(({ rule, path, reason }) => ({ rule, path: pattern(path), reason }));
}

/** The path below the stack, a capability's function written as `Api/{capability}`. */
function pattern(path: string): string {
  const [, ...below] = path.split('/');
  if (below[0] === 'Api' && below[1] !== undefined && CAPABILITY_NAMES.has(below[1])) below[1] = '{capability}';
  return below.join('/');
}

let found: Acknowledgement[];
let foundInProd: Acknowledgement[];

/** A stage's app with an account so names resolve; no bundling is needed to walk the tree. */
function synth(stage: string, context: Record<string, unknown> = {}): SlaDeskStack {
  const app = new App({ context: { ...PROJECT_CONTEXT, 'aws:cdk:bundling-stacks': [], ...context } });
  return new SlaDeskStack(app, `SlaDesk-${stage}`, { stage, env: { account: '123456789012', region: 'eu-north-1' } });
}

beforeAll(() => {
  // The stage `cdk synth -c stage=dev` makes.
  found = acknowledgements(synth('dev'));
  // Production with every option on: its own domain, threat protection, the user pool's WAF, per-function alarms.
  foundInProd = acknowledgements(synth('prod', PROD_EVERY_OPTION));
}, 60_000);

describe('cdk-nag acknowledgements', () => {
  it('are exactly the reviewed list', () => {
    const actual = [...new Set(found.map((a) => JSON.stringify([a.rule, a.path])))].map((s) => JSON.parse(s) as [string, string]).sort(compare);
    expect(actual).toEqual([...EXPECTED].sort(compare));
  });

  it('the reviewed list is sorted and has no repeats, so a change is one line', () => {
    const lines = EXPECTED.map((e) => JSON.stringify(e));
    expect(lines).toEqual([...EXPECTED].sort(compare).map((e) => JSON.stringify(e)));
    expect(new Set(lines).size).toBe(lines.length);
  });

  it('each carries a written reason', () => {
    expect(found.length).toBeGreaterThan(EXPECTED.length);
    for (const { rule, path, reason } of [...found, ...foundInProd]) expect(reason.trim().length, `${rule} ${path}`).toBeGreaterThan(40);
  });

  it('production with every option on acknowledges nothing the list lacks (its schedule group named for its stage)', () => {
    const reviewed = new Set(EXPECTED.map((e) => JSON.stringify(e)));
    const unlisted = foundInProd.map((a) => JSON.stringify([a.rule.replace('schedule/sla-desk-prod/', 'schedule/sla-desk-dev/'), a.path])).filter((line) => !reviewed.has(line));
    expect([...new Set(unlisted)]).toEqual([]);
    // Threat protection on: the Plus plan needs no acknowledgement.
    expect(foundInProd.map((a) => a.rule)).not.toContain('AwsSolutions-COG8');
  });
});

function compare(a: readonly [string, string], b: readonly [string, string]): number {
  return a[0] === b[0] ? a[1].localeCompare(b[1]) : a[0].localeCompare(b[0]);
}
