import type { CfnElement } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '#handlers/http/routes';
import type { SlaDeskStack } from '../../lib/sla-desk-stack';
import { PROD_EVERY_OPTION, synthStage } from '../support/synth';
import { acknowledgedUnder } from '../support/acknowledgements';

/* Tickets' attachments on AWS: the bucket, the check of each upload, and who may touch either. */

type Json = Record<string, any>;
let stack: SlaDeskStack;
let template: Template;
let resources: Record<string, Json>;
let prod: { stack: SlaDeskStack; resources: Record<string, Json> };

beforeAll(() => {
  ({ stack, template, resources } = synthStage('dev'));
  prod = synthStage('prod', PROD_EVERY_OPTION);
}, 180_000);

const idIn = (of: SlaDeskStack, construct: IConstruct) => of.resolve((construct.node.defaultChild as CfnElement).logicalId) as string;
const idOf = (construct: IConstruct) => idIn(stack, construct);
const arnOf = (construct: IConstruct) => ({ 'Fn::GetAtt': [idOf(construct), 'Arn'] });
const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
const actionsOf = (s: Json): string[] => (Array.isArray(s.Action) ? s.Action : [s.Action]);
const statementsOfRole = (roleId: string): Json[] =>
  ofType('AWS::IAM::Policy')
    .filter(([, p]) => (p.Properties.Roles as Json[]).some((r) => r.Ref === roleId))
    .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as Json[])
    .filter((s) => s.Effect === 'Allow');
const bucket = () => resources[idOf(stack.attachments.bucket)]!;
const objects = () => ({ 'Fn::Join': ['', [arnOf(stack.attachments.bucket), '/tickets/*']] });
/** The roles allowed an S3 action on anything of the attachment bucket, by any statement of theirs. */
const rolesAllowed = (action: string): string[] =>
  ofType('AWS::IAM::Policy')
    .filter(([, p]) =>
      (p.Properties.PolicyDocument.Statement as Json[]).some(
        (s) =>
          s.Effect === 'Allow' &&
          actionsOf(s).some((a) => a === action || a === 's3:*' || (a.endsWith('*') && action.startsWith(a.slice(0, -1)))) &&
          JSON.stringify(s.Resource).includes(idOf(stack.attachments.bucket)),
      ),
    )
    .flatMap(([, p]) => (p.Properties.Roles as Json[]).map((r) => r.Ref as string))
    .sort();
const rolesOfRoutes = (matches: (route: (typeof ROUTES)[number]) => boolean) => [...new Set(ROUTES.filter(matches).map((r) => idOf(stack.api.capabilities.get(r.capability)!.role)))].sort();

describe('the attachment bucket', () => {
  it('is encrypted under the data key with a bucket key, blocks public access, enforces bucket ownership and refuses plain HTTP and TLS below 1.2', () => {
    const p = bucket().Properties;
    expect(p.BucketEncryption.ServerSideEncryptionConfiguration).toEqual([
      { BucketKeyEnabled: true, ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: arnOf(stack.data.key) } },
    ]);
    expect(p.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
    expect(p.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
    const [[, policy]] = ofType('AWS::S3::BucketPolicy').filter(([, r]) => r.Properties.Bucket.Ref === idOf(stack.attachments.bucket)) as [[string, Json]];
    const statements = policy.Properties.PolicyDocument.Statement as Json[];
    expect(statements).toContainEqual(expect.objectContaining({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
    expect(statements).toContainEqual(expect.objectContaining({ Effect: 'Deny', Action: 's3:*', Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } } }));
    // Nothing but the roles' own grants: no principal of the bucket policy may read or write objects.
    expect(statements.filter((s) => s.Effect === 'Allow' && actionsOf(s).some((a) => /^s3:(Get|Put)Object/.test(a)))).toEqual([]);
  });

  it("takes uploads from the console's origin only, with the signed type and condition, and answers reads to any origin (after the API's 303 a browser sends Origin: null)", () => {
    const upload = { AllowedMethods: ['PUT'], AllowedHeaders: ['content-type', 'if-none-match'], ExposedHeaders: ['etag'], MaxAge: 3600 };
    const read = { AllowedMethods: ['GET'], AllowedOrigins: ['*'], MaxAge: 3600 };
    expect(bucket().Properties.CorsConfiguration.CorsRules).toEqual([
      { ...upload, AllowedOrigins: [{ 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [idOf(stack.console.distribution), 'DomainName'] }]] }] },
      read,
    ]);
    // With its own domain, the console's origin is that domain.
    expect(prod.resources[idIn(prod.stack, prod.stack.attachments.bucket)]!.Properties.CorsConfiguration.CorsRules).toEqual([
      { ...upload, AllowedOrigins: ['https://support.provider.example'] },
      read,
    ]);
  });

  it('aborts incomplete uploads and removes rejected objects after a day, and keeps available ones (no expiry)', () => {
    expect(bucket().Properties.LifecycleConfiguration.Rules).toEqual([
      { Id: 'abort-incomplete-uploads', Status: 'Enabled', AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } },
      { Id: 'remove-rejected', Status: 'Enabled', TagFilters: [{ Key: 'sla-desk-attachment', Value: 'rejected' }], ExpirationInDays: 1 },
    ]);
  });

  it("is retained in production, and a development stage's is emptied and deleted with it", () => {
    expect(bucket().DeletionPolicy).toBe('Delete');
    expect(ofType('Custom::S3AutoDeleteObjects').map(([, r]) => r.Properties.BucketName)).toContainEqual({ Ref: idOf(stack.attachments.bucket) });
    const inProd = idIn(prod.stack, prod.stack.attachments.bucket);
    expect(prod.resources[inProd]!.DeletionPolicy).toBe('Retain');
    expect(Object.values(prod.resources).filter((r) => r.Type === 'Custom::S3AutoDeleteObjects' && r.Properties.BucketName.Ref === inProd)).toEqual([]);
  });
});

describe('the check of an upload', () => {
  it('is invoked by S3 for each object created under tickets/, and only by S3 for this bucket and account', () => {
    const [[, notifications]] = ofType('Custom::S3BucketNotifications') as [[string, Json]];
    expect(notifications.Properties.BucketName).toEqual({ Ref: idOf(stack.attachments.bucket) });
    expect(notifications.Properties.NotificationConfiguration).toEqual({
      LambdaFunctionConfigurations: [
        { Events: ['s3:ObjectCreated:*'], Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'tickets/' }] } }, LambdaFunctionArn: arnOf(stack.attachments.checkFunction.fn) },
      ],
    });
    template.hasResourceProperties('AWS::Lambda::Permission', {
      FunctionName: arnOf(stack.attachments.checkFunction.fn),
      Principal: 's3.amazonaws.com',
      SourceAccount: '123456789012',
      SourceArn: arnOf(stack.attachments.bucket),
    });
    expect(bucket().Properties.NotificationConfiguration).toBeUndefined();
  });

  it('runs its own entry with the table and the settings every function parses, and takes the bucket from the event', () => {
    const fn = resources[idOf(stack.attachments.checkFunction.fn)]!.Properties;
    expect(fn.Environment.Variables).toMatchObject({ TABLE_NAME: { Ref: idOf(stack.data.table) }, SCHEDULE_GROUP: stack.timers.groupName });
    expect(fn.Environment.Variables.ATTACHMENT_BUCKET).toBeUndefined();
    expect(JSON.stringify(fn.Description)).toContain('check of uploaded attachments');
  });

  it("writes only its tickets' items (UpdateItem on TICKET# partitions), reads the objects' first bytes and tags them, and decrypts through S3 only", () => {
    const statements = statementsOfRole(idOf(stack.attachments.checkFunction.role));
    const writes = statements.filter((s) => actionsOf(s).some((a) => /^dynamodb:(Put|Update|Delete|BatchWrite)/.test(a)));
    expect(writes).toEqual([
      expect.objectContaining({ Action: 'dynamodb:UpdateItem', Resource: arnOf(stack.data.table), Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['TICKET#*'] } } }),
    ]);
    const s3 = statements.filter((s) => actionsOf(s).some((a) => a.startsWith('s3:')));
    expect(s3).toEqual([expect.objectContaining({ Action: ['s3:GetObject', 's3:PutObjectTagging'], Resource: objects() })]);
    // Nor does it read the deployment's settings (the probe targets).
    const denied = ofType('AWS::IAM::Policy')
      .filter(([, p]) => (p.Properties.Roles as Json[]).some((r) => r.Ref === idOf(stack.attachments.checkFunction.role)))
      .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as Json[])
      .filter((s) => s.Effect === 'Deny');
    expect(denied).toContainEqual(expect.objectContaining({ Condition: { 'ForAnyValue:StringLike': { 'dynamodb:LeadingKeys': ['SETTINGS#*'] } } }));
    expect(statements).toContainEqual(
      expect.objectContaining({
        Action: 'kms:Decrypt',
        Resource: arnOf(stack.data.key),
        Condition: { StringEquals: { 'kms:ViaService': { 'Fn::Join': ['', ['s3.eu-north-1.', { Ref: 'AWS::URLSuffix' }]] } } },
      }),
    );
  });

  it('dead-letters a run that failed after two retries and pages on its first error', () => {
    const fn = stack.attachments.checkFunction.fn;
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: idOf(fn) },
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: 6 * 3600,
      DestinationConfig: { OnFailure: { Destination: arnOf(stack.operations.failedInvocations) } },
    });
    expect(resources[idOf(stack.attachments.errorsAlarm)]!.Properties).toMatchObject({
      MetricName: 'Errors',
      Namespace: 'AWS/Lambda',
      Threshold: 1,
      EvaluationPeriods: 1,
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: idOf(fn) } }],
      AlarmActions: [{ Ref: idOf(stack.operations.topic) }],
    });
  });
});

describe('who may touch attachments', () => {
  it('only the routes that hand out upload URLs may PutObject, only those that link to a file and the check may GetObject, and only the check tags', () => {
    const uploads = rolesOfRoutes((r) => r.attachments === 'upload');
    const reads = rolesOfRoutes((r) => r.attachments === 'read');
    expect(uploads).toEqual([idOf(stack.api.capabilities.get('tickets')!.role)]);
    expect(reads).toEqual(uploads);
    const check = idOf(stack.attachments.checkFunction.role);
    expect(rolesAllowed('s3:PutObject')).toEqual(uploads);
    expect(rolesAllowed('s3:GetObject')).toEqual([...reads, check].sort());
    expect(rolesAllowed('s3:PutObjectTagging')).toEqual([check]);
    // Only a person's erasure (their files) and the expiry (an expired record's object) delete; nobody's role lists or
    // reconfigures it (a development stage's emptying at deletion is the bucket policy's, for CDK's function).
    expect(rolesAllowed('s3:DeleteObject')).toEqual([idOf(stack.api.capabilities.get('privacy')!.role), idOf(stack.attachments.expiryFunction.role)].sort());
    for (const action of ['s3:ListBucket', 's3:PutBucketPolicy', 's3:PutLifecycleConfiguration']) expect(rolesAllowed(action), action).toEqual([]);
  });

  it('the tickets function gets the bucket name, S3 actions on tickets/* only, and the data key through S3: a data key to upload, decryption to read', () => {
    const tickets = stack.api.capabilities.get('tickets')!;
    expect(resources[idOf(tickets.fn)]!.Properties.Environment.Variables.ATTACHMENT_BUCKET).toEqual({ Ref: idOf(stack.attachments.bucket) });
    const statements = statementsOfRole(idOf(tickets.role));
    const onBucket = statements.filter((s) => JSON.stringify(s.Resource).includes(idOf(stack.attachments.bucket)));
    // It serves both routes, so it has both grants (merged into one statement each).
    expect(onBucket).toEqual([expect.objectContaining({ Action: ['s3:GetObject', 's3:PutObject'], Resource: objects() })]);
    const viaS3 = statements.filter((s) => JSON.stringify(s.Condition ?? {}).includes('s3.eu-north-1.'));
    expect(viaS3).toEqual([expect.objectContaining({ Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: arnOf(stack.data.key) })]);
    for (const [capability, fn] of stack.api.capabilities) {
      if (capability !== 'tickets' && capability !== 'privacy') expect(resources[idOf(fn.fn)]!.Properties.Environment.Variables.ATTACHMENT_BUCKET, capability).toBeUndefined();
    }
  });
});

describe('cdk-nag', () => {
  it('leaves no unacknowledged finding, and each acknowledgement under Attachments gives its reason', () => {
    const report = new AwsSolutionsChecks().validateScope(stack);
    expect(report.violations.map((v) => `${v.severity} ${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath).join(', ')}`)).toEqual([]);
    const found = acknowledgedUnder(stack.attachments);
    for (const { rule, reason } of found) expect(reason.length, rule).toBeGreaterThan(40);
    const acknowledged = found.map((a) => `${a.rule} ${a.path.split('/').slice(1).join('/')}`);
    expect([...new Set(acknowledged)].sort()).toEqual([
      'AwsSolutions-IAM5[Action::kms:GenerateDataKey*] Attachments/CheckFunction',
      'AwsSolutions-IAM5[Resource::*] Attachments/CheckFunction',
      'AwsSolutions-IAM5[Resource::*] Attachments/ExpiryFunction',
      'AwsSolutions-IAM5[Resource::<AttachmentsBucket134755D7.Arn>/tickets/*] Attachments/CheckFunction',
      'AwsSolutions-IAM5[Resource::<AttachmentsBucket134755D7.Arn>/tickets/*] Attachments/ExpiryFunction',
      'AwsSolutions-IAM5[Resource::<DataTableFDBAD0F2.Arn>/index/*] Attachments/CheckFunction',
      'AwsSolutions-L1 Attachments/CheckFunction',
      'AwsSolutions-L1 Attachments/ExpiryFunction',
      'AwsSolutions-S1 Attachments/Bucket',
    ]);
  });
});
