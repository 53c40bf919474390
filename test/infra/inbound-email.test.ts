import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CfnElement } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SlaDeskStack } from '../../lib/sla-desk-stack';
import { synthStage } from '../support/synth';
import { acknowledgedUnder } from '../support/acknowledgements';

/* Email into tickets on AWS: deployed only with context inboundDomain. */

type Json = Record<string, any>;
let stack: SlaDeskStack;
let template: Template;
let resources: Record<string, Json>;

beforeAll(() => {
  ({ stack, template, resources } = synthStage('dev', { inboundDomain: 'Inbound.Provider.example' }));
}, 120_000);

const idOf = (construct: IConstruct) => stack.resolve((construct.node.defaultChild as CfnElement).logicalId) as string;
const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
const statementsOfRole = (roleId: string): Json[] =>
  ofType('AWS::IAM::Policy')
    .filter(([, p]) => (p.Properties.Roles as Json[]).some((r) => r.Ref === roleId))
    .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as Json[]);
const actionsOf = (s: Json): string[] => (Array.isArray(s.Action) ? s.Action : [s.Action]);

describe('email into tickets on AWS', () => {
  it('is not deployed without context inboundDomain', () => {
    const { resources: without } = synthStage('dev');
    expect(Object.values(without).filter((r) => r.Type.startsWith('AWS::SES::Receipt'))).toEqual([]);
    expect(Object.keys(without).filter((id) => id.startsWith('InboundEmail'))).toEqual([]);
  });

  it('refuses an inboundDomain that is not a domain name', () => {
    expect(() => synthStage('dev', { inboundDomain: 'not a domain' })).toThrow(/context inboundDomain is not a domain name/);
  });

  it('receives every address at the inbound domain, scanned and over TLS: the raw message to S3 under inbound/, then the ingest function invoked asynchronously', () => {
    template.resourceCountIs('AWS::SES::ReceiptRule', 1);
    template.hasResourceProperties('AWS::SES::ReceiptRuleSet', { RuleSetName: 'sla-desk-dev-inbound' });
    template.hasResourceProperties('AWS::SES::ReceiptRule', {
      RuleSetName: { Ref: idOf(stack.inboundEmail!.ruleSet) },
      Rule: {
        Enabled: true,
        Recipients: ['inbound.provider.example'],
        ScanEnabled: true,
        TlsPolicy: 'Require',
        Actions: [
          { S3Action: { BucketName: { Ref: idOf(stack.inboundEmail!.bucket) }, ObjectKeyPrefix: 'inbound/' } },
          { LambdaAction: { FunctionArn: { 'Fn::GetAtt': [idOf(stack.inboundEmail!.ingestFunction.fn), 'Arn'] }, InvocationType: 'Event' } },
        ],
      },
    });
  });

  it('keeps raw messages 30 days in a KMS-encrypted bucket with no public access, TLS only, which only SES of this account may write to', () => {
    const bucket = resources[idOf(stack.inboundEmail!.bucket)]!.Properties;
    expect(bucket.BucketEncryption.ServerSideEncryptionConfiguration).toEqual([
      { BucketKeyEnabled: true, ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [idOf(stack.inboundEmail!.key), 'Arn'] } } },
    ]);
    expect(bucket.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
    expect(bucket.LifecycleConfiguration.Rules).toEqual([{ Id: 'raw-inbound-email', Status: 'Enabled', ExpirationInDays: 30, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } }]);
    const policy = Object.values(template.findResources('AWS::S3::BucketPolicy', { Properties: { Bucket: { Ref: idOf(stack.inboundEmail!.bucket) } } }))[0]!;
    const statements = policy.Properties.PolicyDocument.Statement as Json[];
    expect(statements).toContainEqual(expect.objectContaining({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
    expect(statements).toContainEqual(expect.objectContaining({ Effect: 'Deny', Action: 's3:*', Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } } }));
    const writes = statements.filter((s) => s.Effect === 'Allow' && actionsOf(s).includes('s3:PutObject'));
    expect(writes).toEqual([expect.objectContaining({ Principal: { Service: 'ses.amazonaws.com' }, Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } } })]);
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true, Description: 'sla-desk dev raw inbound email' });
  });

  it('lets SES have a data key of the bucket key only through S3, for this account', () => {
    const key = resources[idOf(stack.inboundEmail!.key)]!.Properties;
    const ses = (key.KeyPolicy.Statement as Json[]).filter((s) => s.Principal?.Service === 'ses.amazonaws.com');
    expect(ses).toEqual([
      expect.objectContaining({
        Action: 'kms:GenerateDataKey',
        Condition: { StringEquals: { 'aws:SourceAccount': '123456789012', 'kms:ViaService': { 'Fn::Join': ['', ['s3.eu-north-1.', { Ref: 'AWS::URLSuffix' }]] } } },
      }),
    ]);
  });

  it("grants the ingest function what it needs: the stored messages, their key, the reply-address secret, writes to what a customer's comment or ticket writes, and its timers", () => {
    const fn = stack.inboundEmail!.ingestFunction;
    const statements = statementsOfRole(idOf(fn.role)).filter((s) => s.Effect === 'Allow');
    const reads = statements.filter((s) => actionsOf(s).includes('s3:GetObject'));
    expect(reads).toEqual([expect.objectContaining({ Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [idOf(stack.inboundEmail!.bucket), 'Arn'] }, '/inbound/*']] } })]);
    expect(statements.some((s) => actionsOf(s).some((a) => a.startsWith('s3:') && a !== 's3:GetObject' && a !== 's3:PutObject'))).toBe(false);
    expect(statements.filter((s) => actionsOf(s).includes('kms:Decrypt')).map((s) => s.Resource)).toContainEqual({ 'Fn::GetAtt': [idOf(stack.inboundEmail!.key), 'Arn'] });
    expect(statements.filter((s) => actionsOf(s).includes('secretsmanager:GetSecretValue')).map((s) => s.Resource)).toEqual([{ Ref: idOf(stack.inboundEmail!.secret) }]);
    const writes = statements.filter((s) => actionsOf(s).some((a) => /^dynamodb:(Put|Update|Delete|BatchWrite)/.test(a)));
    expect(writes).toEqual([
      expect.objectContaining({
        Action: ['dynamodb:PutItem', 'dynamodb:UpdateItem'],
        Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['INBOUND#*', 'TICKET#*', 'CUSTOMER#*', 'IDEMPOTENCY#*', 'PERSON#*'] } },
      }),
    ]);
    // Its files become the ticket's attachments: PutObject under tickets/ of the attachment bucket, a data key through S3.
    expect(resources[idOf(fn.fn)]!.Properties.Environment.Variables.ATTACHMENT_BUCKET).toEqual({ Ref: idOf(stack.attachments.bucket) });
    const puts = statements.filter((s) => actionsOf(s).includes('s3:PutObject'));
    expect(puts).toEqual([expect.objectContaining({ Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [idOf(stack.attachments.bucket), 'Arn'] }, '/tickets/*']] } })]);
    // A message may open a ticket: it arms the ticket's timers in the stage's group, handing Scheduler the timer role only.
    expect(statements.filter((s) => actionsOf(s).includes('scheduler:CreateSchedule'))).toHaveLength(1);
    expect(statements.filter((s) => actionsOf(s).includes('iam:PassRole')).map((s) => s.Resource)).toEqual([{ 'Fn::GetAtt': [idOf(stack.timers.schedulerRole), 'Arn'] }]);
    // Only SES, for this account, may invoke it.
    template.hasResourceProperties('AWS::Lambda::Permission', {
      FunctionName: { 'Fn::GetAtt': [idOf(fn.fn), 'Arn'] },
      Principal: 'ses.amazonaws.com',
      SourceAccount: { Ref: 'AWS::AccountId' },
    });
  });

  it("lets a person's erasure, and only it, delete the raw emails they sent: DeleteObject under inbound/", () => {
    const erasure = stack.api.capabilities.get('privacy')!;
    const deletes = statementsOfRole(idOf(erasure.role)).filter((s) => s.Effect === 'Allow' && actionsOf(s).includes('s3:DeleteObject'));
    expect(deletes.flatMap((s) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]))).toContainEqual({
      'Fn::Join': ['', [{ 'Fn::GetAtt': [idOf(stack.inboundEmail!.bucket), 'Arn'] }, '/inbound/*']],
    });
    expect(resources[idOf(erasure.fn)]!.Properties.Environment.Variables.INBOUND_BUCKET).toEqual({ Ref: idOf(stack.inboundEmail!.bucket) });
    const onInbound = ofType('AWS::IAM::Policy').filter(([, p]) =>
      (p.Properties.PolicyDocument.Statement as Json[]).some((s) => actionsOf(s).includes('s3:DeleteObject') && JSON.stringify(s.Resource).includes(idOf(stack.inboundEmail!.bucket))),
    );
    expect(onInbound.flatMap(([, p]) => (p.Properties.Roles as Json[]).map((r) => r.Ref))).toEqual([idOf(erasure.role)]);
  });

  it('gives the function its settings, and never the secret itself', () => {
    const env = resources[idOf(stack.inboundEmail!.ingestFunction.fn)]!.Properties.Environment.Variables;
    expect(env).toMatchObject({
      INBOUND_DOMAIN: 'inbound.provider.example',
      INBOUND_BUCKET: { Ref: idOf(stack.inboundEmail!.bucket) },
      INBOUND_PREFIX: 'inbound/',
      INBOUND_SECRET_ARN: { Ref: idOf(stack.inboundEmail!.secret) },
    });
    template.hasResourceProperties('AWS::SecretsManager::Secret', { GenerateSecretString: { PasswordLength: 64, ExcludePunctuation: true } });
  });

  it("lets the functions that send tickets' emails sign their Reply-To: the domain, the secret's ARN and read access to it, no more", () => {
    for (const fn of [stack.timers.timerFunction, stack.alerts.relay]) {
      const env = resources[idOf(fn.fn)]!.Properties.Environment.Variables;
      expect(env).toMatchObject({ INBOUND_DOMAIN: 'inbound.provider.example', INBOUND_SECRET_ARN: { Ref: idOf(stack.inboundEmail!.secret) } });
      expect(env.INBOUND_BUCKET).toBeUndefined();
      const statements = Object.values(resources)
        .filter((r) => r.Type === 'AWS::IAM::Policy' && JSON.stringify(r.Properties.Roles).includes(idOf(fn.role)))
        .flatMap((r) => r.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[]);
      const reads = statements.filter((s) => [s.Action].flat().includes('secretsmanager:GetSecretValue'));
      expect(reads.map((s) => s.Resource)).toEqual([{ Ref: idOf(stack.inboundEmail!.secret) }]);
    }
  });

  it('dead-letters a run that failed after two retries and pages on its first error', () => {
    const fn = stack.inboundEmail!.ingestFunction.fn;
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: idOf(fn) },
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [idOf(stack.operations.failedInvocations), 'Arn'] } } },
    });
    const alarm = resources[idOf(stack.inboundEmail!.errorsAlarm)]!.Properties;
    expect(alarm).toMatchObject({ MetricName: 'Errors', Namespace: 'AWS/Lambda', Threshold: 1, EvaluationPeriods: 1, Dimensions: [{ Name: 'FunctionName', Value: { Ref: idOf(fn) } }] });
  });

  it('leaves cdk-nag no unacknowledged finding, each acknowledgement of its own with a reason', () => {
    const report = new AwsSolutionsChecks().validateScope(stack);
    expect(report.violations.map((v) => `${v.severity} ${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath).join(', ')}`)).toEqual([]);
    const found = acknowledgedUnder(stack.inboundEmail!);
    for (const { rule, reason } of found) expect(reason.length, rule).toBeGreaterThan(40);
    const acknowledged = found.map((a) => `${a.rule} ${a.path.split('/').slice(1).join('/')}`);
    expect([...new Set(acknowledged)].sort()).toEqual([
      'AwsSolutions-IAM5[Action::kms:GenerateDataKey*] InboundEmail/IngestFunction',
      'AwsSolutions-IAM5[Resource::*] InboundEmail/IngestFunction',
      'AwsSolutions-IAM5[Resource::<AttachmentsBucket134755D7.Arn>/tickets/*] InboundEmail/IngestFunction',
      'AwsSolutions-IAM5[Resource::<DataTableFDBAD0F2.Arn>/index/*] InboundEmail/IngestFunction',
      'AwsSolutions-IAM5[Resource::<InboundEmailBucket1564483B.Arn>/inbound/*] InboundEmail/IngestFunction',
      'AwsSolutions-IAM5[Resource::arn:aws:scheduler:eu-north-1:123456789012:schedule/sla-desk-dev/*] InboundEmail/IngestFunction',
      'AwsSolutions-L1 InboundEmail/IngestFunction',
      'AwsSolutions-S1 InboundEmail/Bucket',
      'AwsSolutions-SMG4 InboundEmail/ReplyAddressSecret',
    ]);
  });

  it('passes cfn-lint with no errors', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sla-desk-inbound-lint-'));
    try {
      const file = join(dir, 'SlaDesk-dev.template.json');
      writeFileSync(file, JSON.stringify(template.toJSON()));
      const run = spawnSync('cfn-lint', ['--format', 'json', '--regions', 'eu-north-1', '--', file], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
      if (run.error) throw new Error('cfn-lint is not installed: pip install cfn-lint');
      const findings = (JSON.parse(run.stdout || '[]') as { Level: string; Rule: { Id: string }; Message: string }[]).filter((f) => f.Level === 'Error');
      expect(findings.map((f) => `${f.Rule.Id} ${f.Message}`)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
