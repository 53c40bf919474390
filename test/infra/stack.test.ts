import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, type CfnElement } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_SCOPES } from '#handlers/http/identity';
import { CAPABILITIES, ROUTES, type RouteSpec } from '#handlers/http/routes';
import { tableDefinition, toProbeTargetsItem } from '#adapters/dynamodb/table';
import { SlaDeskStack } from '../../lib/sla-desk-stack';
import { deployedFile, filledIn } from '../support/synth';
import { acknowledgedUnder } from '../support/acknowledgements';

/* Synthesised once for the file, offline: explicit account and region mean no lookups. */

type Json = Record<string, any>;
type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Condition?: Json };

const ON_CALL = ['oncall@example.com', 'second-line@example.com'];
const ALERT_FROM = 'sla-desk@alerts.example.com';
const PROBE_TARGETS = [{ name: 'portal', url: 'https://portal.example.com/health', timeoutMs: 3000 }];
/** The routes that arm SLA timers; nothing else in the API may touch Scheduler. */
const ARMING_ROUTES = ['create-ticket', 'update-ticket', 'add-comment'];
const WRITE_ACTIONS = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];

/** What production must be told besides the SES identity and the Cognito domain. */
const PROD_CONTEXT = {
  onCallEmails: ON_CALL.join(','),
  hypercareEscalationEmails: 'lead@example.com',
  financeEmails: 'finance@example.com',
  probeTargets: JSON.stringify(PROBE_TARGETS),
};

/** The feature flags and settings of cdk.json, as `cdk synth` applies them. */
const PROJECT_CONTEXT = (JSON.parse(readFileSync(join(__dirname, '../../cdk.json'), 'utf8')) as { context: Json }).context;

let outdir: string;
let stack: SlaDeskStack;
let template: Template;
let resources: Record<string, Json>;

beforeAll(() => {
  outdir = mkdtempSync(join(tmpdir(), 'sla-desk-cdk-'));
  // As `-c` passes them: strings, the list comma-separated.
  const app = new App({
    outdir,
    context: {
      ...PROJECT_CONTEXT,
      breachTopicEmails: 'duty-phone@example.com',
      onCallEmails: ON_CALL.join(', '),
      warningShare: '0.8',
      alertFromEmail: ALERT_FROM,
      sesIdentity: 'example.com',
      probeTargets: JSON.stringify(PROBE_TARGETS),
    },
  });
  stack = new SlaDeskStack(app, 'SlaDesk-test', {
    stage: 'test',
    env: { account: '123456789012', region: 'eu-north-1' },
  });
  template = Template.fromStack(stack);
  resources = template.toJSON().Resources as Record<string, Json>;
}, 180_000);

afterAll(() => {
  if (outdir) rmSync(outdir, { recursive: true, force: true });
});

/** The logical id of a construct's CloudFormation resource, as the template has it (overrides included). */
const logicalId = (construct: IConstruct): string => stack.resolve((construct.node.defaultChild as CfnElement).logicalId);
const ofType = (type: string): [string, Json][] => Object.entries(resources).filter(([, r]) => r.Type === type);
const asArray = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);
const functionOf = (route: RouteSpec) => {
  const fn = stack.api.capabilities.get(route.capability);
  if (!fn) throw new Error(`no function for route ${route.id}`);
  return fn;
};
const functionLogicalId = (route: RouteSpec) => logicalId(functionOf(route).fn);
const roleLogicalId = (route: RouteSpec) => logicalId(functionOf(route).role);
const routeById = (id: string) => ROUTES.find((r) => r.id === id)!;
/** CDK's own functions and roles: the bucket deployment copies the console's build at deploy, and (development stages) the auto-delete empties buckets at deletion. */
/** CDK's own singleton functions (and their roles): the console's bucket deployment, the buckets' auto-delete, the AWS custom resource that writes the probe targets, and the one that writes the attachment bucket's notifications. */
const cdkDeployment = (logicalId: string) =>
  ['CustomCDKBucketDeployment', 'CustomS3AutoDeleteObjects', 'AWS679f53fac002430cb0da5b7982bd2287', 'BucketNotificationsHandler050a0587b7544547bf325f094a3db834'].some((prefix) =>
    logicalId.startsWith(prefix),
  );
const getAtt = (construct: IConstruct, attribute = 'Arn') => ({ 'Fn::GetAtt': [logicalId(construct), attribute] });
/** An intrinsic as a readable string, e.g. `arn:aws:scheduler:...` or `<Table.Arn>`. */
const flat = (value: unknown): string => {
  if (typeof value === 'string') return value;
  const v = value as Json;
  if (v['Fn::Join']) return (v['Fn::Join'][1] as unknown[]).map(flat).join(v['Fn::Join'][0]);
  if (v['Fn::GetAtt']) return `<${v['Fn::GetAtt'].join('.')}>`;
  if (v.Ref) return `<${v.Ref}>`;
  return JSON.stringify(value);
};
/** Logical ids of the roles with an Allow statement naming one of the actions. */
const rolesAllowed = (...actions: string[]) =>
  ofType('AWS::IAM::Role')
    .filter(([id]) => statementsOfRole(id).some((s) => asArray(s.Action).some((a) => actions.includes(a))))
    .map(([id]) => id)
    .sort();
const statementsWith = (roleId: string, action: string) => statementsOfRole(roleId).filter((s) => asArray(s.Action).includes(action));

/** The Allow statements of the operations topic's one policy (the other is the SSL-only Deny). */
function operationsTopicAllows(of: Template, topicId: string): Statement[] {
  const policies = Object.values(of.findResources('AWS::SNS::TopicPolicy', { Properties: { Topics: [{ Ref: topicId }] } }));
  expect(policies).toHaveLength(1);
  return (policies[0]!.Properties.PolicyDocument.Statement as Statement[]).filter((s) => s.Effect === 'Allow');
}

/** Every Allow statement attached to a role: its inline policies and the AWS::IAM::Policy resources naming it. */
function statementsOfRole(roleId: string, effect: 'Allow' | 'Deny' = 'Allow'): Statement[] {
  const inline = (resources[roleId]?.Properties?.Policies ?? []).flatMap((p: Json) => p.PolicyDocument.Statement);
  const attached = ofType('AWS::IAM::Policy')
    .filter(([, p]) => (p.Properties.Roles as Json[]).some((r) => r.Ref === roleId))
    .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as Statement[]);
  return [...inline, ...attached].filter((s: Statement) => s.Effect === effect);
}

describe('data', () => {
  it('is one table, PK/SK with four string GSIs projecting ALL, on demand, with TTL on expiresAt', () => {
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: 'PK', KeyType: 'HASH' },
        { AttributeName: 'SK', KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      GlobalSecondaryIndexes: [1, 2, 3, 4].map((n) => ({
        IndexName: `GSI${n}`,
        KeySchema: [
          { AttributeName: `GSI${n}PK`, KeyType: 'HASH' },
          { AttributeName: `GSI${n}SK`, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      })),
      AttributeDefinitions: Match.arrayWith(['PK', 'SK', 'GSI1PK', 'GSI1SK', 'GSI2PK', 'GSI2SK', 'GSI3PK', 'GSI3SK', 'GSI4PK', 'GSI4SK'].map((name) => ({ AttributeName: name, AttributeType: 'S' }))),
    });
  });

  it('has the same keys and indexes as the table the local stack creates', () => {
    const local = tableDefinition('any');
    const [, table] = ofType('AWS::DynamoDB::Table')[0]!;
    expect(table.Properties.KeySchema).toEqual(local.KeySchema);
    expect(table.Properties.GlobalSecondaryIndexes).toEqual(local.GlobalSecondaryIndexes);
    expect([...table.Properties.AttributeDefinitions].sort((a: Json, b: Json) => a.AttributeName.localeCompare(b.AttributeName))).toEqual(
      [...local.AttributeDefinitions!].sort((a, b) => a.AttributeName!.localeCompare(b.AttributeName!)),
    );
  });

  it('has point-in-time recovery in a development stage too, which can be torn down (no deletion protection, deleted with the stack)', () => {
    template.hasResource('AWS::DynamoDB::Table', {
      Properties: Match.objectLike({
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: false,
      }),
      DeletionPolicy: 'Delete',
      UpdateReplacePolicy: 'Delete',
    });
  });

  it('is encrypted with a rotating customer managed key, deleted with a development stack after the shortest wait', () => {
    const keyId = logicalId(stack.data.key);
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } },
    });
    expect(resources[keyId]).toMatchObject({ Properties: { EnableKeyRotation: true, PendingWindowInDays: 7 }, DeletionPolicy: 'Delete' });
  });
});

describe('api', () => {
  it('has exactly the routes of the route table, the Lambda authorizer where authenticated and NONE elsewhere', () => {
    // And the $default route, for what no declared route takes.
    template.resourceCountIs('AWS::ApiGatewayV2::Route', ROUTES.length + 1);
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: '$default', AuthorizationType: 'NONE' });
    const [[authorizerId]] = ofType('AWS::ApiGatewayV2::Authorizer') as [[string, Json]];
    for (const route of ROUTES) {
      template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
        RouteKey: `${route.method} ${route.path}`,
        AuthorizationType: route.authenticated ? 'CUSTOM' : 'NONE',
        AuthorizerId: route.authenticated ? { Ref: authorizerId } : Match.absent(),
        // Lambda authorizers take no scopes: the authorizer itself asks for an API scope.
        AuthorizationScopes: Match.absent(),
      });
    }
  });

  it('sends each route to its own function with payload format 2.0', () => {
    for (const route of ROUTES) {
      const [, r] = ofType('AWS::ApiGatewayV2::Route').find(([, r]) => r.Properties.RouteKey === `${route.method} ${route.path}`)!;
      const integrationId = (r.Properties.Target['Fn::Join'][1] as Json[]).find((part) => part.Ref)!.Ref as string;
      const integration = resources[integrationId]!.Properties;
      expect(integration.IntegrationType).toBe('AWS_PROXY');
      expect(integration.PayloadFormatVersion).toBe('2.0');
      expect(integration.IntegrationUri).toEqual({ 'Fn::GetAtt': [functionLogicalId(route), 'Arn'] });
    }
  });

  it("authorizes with one Lambda authorizer on the Authorization header, simple responses cached 30 s, told the pool, the people client and the stage's audience (integrations are no app clients)", () => {
    const pool = logicalId(stack.identity.userPool);
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'REQUEST',
      IdentitySource: ['$request.header.Authorization'],
      AuthorizerPayloadFormatVersion: '2.0',
      EnableSimpleResponses: true,
      AuthorizerResultTtlInSeconds: 30,
    });
    const env = resources[logicalId(stack.authorizer.function.fn)]!.Properties.Environment.Variables as Json;
    expect(flat(env.AUTH_ISSUER)).toBe(`https://cognito-idp.eu-north-1.<AWS::URLSuffix>/<${pool}>`);
    expect(env.PEOPLE_CLIENT_ID).toEqual({ Ref: logicalId(stack.identity.peopleClient) });
    expect(env.INTEGRATION_AUDIENCE).toBe('urn:sla-desk:test');
    template.resourceCountIs('AWS::Cognito::UserPoolClient', 1);
    expect(API_SCOPES).toEqual(['sla-desk/customer', 'sla-desk/agent', 'sla-desk/finance', 'sla-desk/admin']);
  });

  it('logs every request as JSON to a log group with retention, and throttles the default stage', () => {
    template.resourceCountIs('AWS::ApiGatewayV2::Stage', 1);
    const [, stage] = ofType('AWS::ApiGatewayV2::Stage')[0]!;
    const props = stage.Properties;
    expect(props.StageName).toBe('$default');
    expect(props.AutoDeploy).toBe(true);
    expect(props.DefaultRouteSettings).toEqual({ ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 });

    const logGroupId = props.AccessLogSettings.DestinationArn['Fn::GetAtt'][0] as string;
    expect(resources[logGroupId]!.Type).toBe('AWS::Logs::LogGroup');
    expect(resources[logGroupId]!.Properties.RetentionInDays).toBeGreaterThan(0);
    const format = JSON.parse(props.AccessLogSettings.Format as string) as Record<string, string>;
    // The caller as the Lambda authorizer's context names it (a JWT authorizer's claims are not there any more).
    expect(format).toMatchObject({ requestId: '$context.requestId', routeKey: '$context.routeKey', status: '$context.status', caller: '$context.authorizer.subject' });
    expect(JSON.stringify(format)).not.toContain('authorizer.claims');
  });

  it('outputs the API URL, user pool and client ids', () => {
    for (const name of ['ApiUrl', 'UserPoolId', 'PeopleClientId', 'TokenEndpoint', 'ScheduleGroupName', 'FailedInvocationsQueueUrl', 'BreachTopicArn', 'SesIdentityArn', 'ProbeFunctionName']) {
      template.hasOutput(name, {});
    }
  });
});

describe('functions', () => {
  it('are one per capability of the API, the authorizer, the timer, the relay, the probe, the report function, the attachment check and expiry and the token trigger: ARM64, Node.js 22, ES module bundle, own log group with retention', () => {
    // And CDK's own bucket-deployment function, which puts the console's build in place at deploy,
    // the auto-delete function that empties a development stage's buckets when the stack goes,
    // the custom resource that writes the probe targets into the table, and the one that writes the attachment bucket's notifications.
    template.resourceCountIs('AWS::Lambda::Function', CAPABILITIES.length + 9 + 4);
    for (const [, fn] of ofType('AWS::Lambda::Function').filter(([id]) => !cdkDeployment(id))) {
      const p = fn.Properties;
      expect(p.Architectures).toEqual(['arm64']);
      expect(p.Runtime).toBe('nodejs22.x');
      expect(p.Handler).toBe('index.handler');
      const logGroupId = p.LoggingConfig.LogGroup.Ref as string;
      expect(resources[logGroupId]!.Properties.RetentionInDays).toBeGreaterThan(0);
    }
  });

  it("answer within the HTTP API's 30 s integration timeout: the erasure, which may go through a large customer's every ticket, gets all of it but a second; the rest keep 10 s", async () => {
    const { HTTP_API_INTEGRATION_TIMEOUT_SECONDS } = await import('../../lib/api');
    expect(HTTP_API_INTEGRATION_TIMEOUT_SECONDS).toBe(30);
    for (const [capability, fn] of stack.api.capabilities) {
      const timeout = resources[logicalId(fn.fn)]!.Properties.Timeout as number;
      expect(timeout, capability).toBe(capability === 'privacy' ? HTTP_API_INTEGRATION_TIMEOUT_SECONDS - 1 : 10);
    }
  });

  it('get the configuration they need', () => {
    const table = logicalId(stack.data.table);
    for (const route of ROUTES) {
      const fn = resources[functionLogicalId(route)]!;
      const env = fn.Properties.Environment.Variables as Json;
      expect(env, route.id).toMatchObject({ TABLE_NAME: { Ref: table }, POWERTOOLS_SERVICE_NAME: 'sla-desk', LOG_LEVEL: 'INFO', NODE_OPTIONS: '--enable-source-maps' });
      // No machine clients: integrations are keys in the table, which the authorizer alone reads.
      expect([undefined, '{}'], route.id).toContain(env.MACHINE_CLIENTS);
      // The measured targets come from the table, not the environment (Lambda's 4 KB for all variables).
      expect(env.PROBE_TARGETS, route.id).toBeUndefined();
      // Nothing reads the issuer: the authorizer checks it.
      expect(env.AUTH_ISSUER, route.id).toBeUndefined();
    }
  });

  it('all get the SLA timer settings they parse at cold start', () => {
    const timerArn = `arn:aws:lambda:eu-north-1:123456789012:function:sla-desk-test-sla-timer`;
    const withoutConfig = [logicalId(stack.identity.preTokenTrigger.fn), logicalId(stack.authorizer.function.fn)];
    for (const [id, fn] of ofType('AWS::Lambda::Function').filter(([id]) => !withoutConfig.includes(id) && !cdkDeployment(id))) {
      const env = fn.Properties.Environment.Variables as Json;
      expect(env, id).toMatchObject({
        SCHEDULE_GROUP: 'sla-desk-test',
        SCHEDULER_ROLE_ARN: getAtt(stack.timers.schedulerRole),
        TIMER_DLQ_ARN: getAtt(stack.timers.deadLetterQueue),
        WARNING_SHARE: '0.8',
        ONCALL_EMAILS: ON_CALL.join(','),
      });
      expect(flat(env.TIMER_TARGET_ARN), id).toBe(timerArn);
    }
    // The ARN the functions are given is the timer function's own.
    expect(resources[logicalId(stack.timers.timerFunction.fn)]!.Properties.FunctionName).toBe('sla-desk-test-sla-timer');
  });

  it("use no managed policies (CDK's bucket deployment only its basic execution role)", () => {
    for (const [id, role] of ofType('AWS::IAM::Role')) {
      if (cdkDeployment(id)) expect(JSON.stringify(role.Properties.ManagedPolicyArns)).toContain('AWSLambdaBasicExecutionRole');
      else expect(role.Properties.ManagedPolicyArns, id).toBeUndefined();
    }
  });

  it('never get DynamoDB actions on Resource "*"', () => {
    const statements = [
      ...ofType('AWS::IAM::Policy').flatMap(([, p]) => p.Properties.PolicyDocument.Statement as Statement[]),
      ...ofType('AWS::IAM::Role').flatMap(([, r]) => (r.Properties.Policies ?? []).flatMap((p: Json) => p.PolicyDocument.Statement)),
    ];
    // But dynamodb:ListStreams, which takes no resource but "*" and lists streams' names only: reading the table's stream (the attachments' expiry) needs it.
    const offending = statements.filter((s) => asArray(s.Action).some((a) => (a.startsWith('dynamodb:') && a !== 'dynamodb:ListStreams') || a === '*') && asArray(s.Resource).includes('*'));
    expect(offending).toEqual([]);
  });

  it("may write to the table only where the route table says one of the function's routes writes", () => {
    for (const route of ROUTES) {
      const actions = statementsOfRole(roleLogicalId(route)).flatMap((s) => asArray(s.Action));
      expect(actions, route.id).toContain('dynamodb:Query');
      const writes = actions.filter((a) => WRITE_ACTIONS.includes(a) || a === 'dynamodb:*');
      if (ROUTES.some((r) => r.capability === route.capability && r.writes)) expect(writes, route.id).toContain('dynamodb:PutItem');
      else expect(writes, route.id).toEqual([]);
    }
    // Reading reports and the public routes write nothing.
    expect(ROUTES.filter((r) => r.capability === 'reports' || r.capability === 'public').some((r) => r.writes)).toBe(false);
  });

  it('bundle into ES modules that load and export a handler', () => {
    const functions = [...new Set(ROUTES.map(functionOf)), stack.timers.timerFunction, stack.alerts.relay, stack.probe.probe, stack.identity.preTokenTrigger, stack.reports.checkFunction];
    const bundles = functions.map((fn) => {
      // Staged assets are named after their hash, which is also the S3 key.
      const s3Key = resources[logicalId(fn.fn)]!.Properties.Code.S3Key as string;
      const file = join(outdir, `asset.${s3Key.replace(/\.zip$/, '')}`, 'index.mjs');
      expect(existsSync(file), fn.node.path).toBe(true);
      return file;
    });
    // A separate process: the bundles carry their own SDK and must load without this repository's node_modules.
    const script = `for (const f of JSON.parse(process.argv[1])) { const m = await import(f); if (typeof m.handler !== 'function') throw new Error(f + ' exports no handler'); }`;
    execFileSync(process.execPath, ['--input-type=module', '-e', script, JSON.stringify(bundles)], {
      cwd: outdir,
      env: {
        PATH: process.env.PATH ?? '',
        AWS_REGION: 'eu-north-1',
        TABLE_NAME: 'sla-desk-test',
        MACHINE_CLIENTS: '{}',
        POWERTOOLS_SERVICE_NAME: 'sla-desk',
        NODE_NO_WARNINGS: '1',
      },
      stdio: 'pipe',
    });
  });
});

describe('sla timers', () => {
  const schedulerRoleId = () => logicalId(stack.timers.schedulerRole);
  const armingRoleIds = () => [...new Set(ARMING_ROUTES.map((id) => roleLogicalId(routeById(id)))), logicalId(stack.timers.timerFunction.role)].sort();

  it('have one schedule group per stage, named sla-desk-<stage>', () => {
    template.hasResourceProperties('AWS::Scheduler::ScheduleGroup', { Name: 'sla-desk-test' });
  });

  it('are fired through a role only scheduler.amazonaws.com may assume, for this account and group', () => {
    const trust = resources[schedulerRoleId()]!.Properties.AssumeRolePolicyDocument.Statement as Json[];
    expect(trust).toHaveLength(1);
    expect(trust[0]).toMatchObject({
      Effect: 'Allow',
      Action: 'sts:AssumeRole',
      Principal: { Service: 'scheduler.amazonaws.com' },
      Condition: { StringEquals: { 'aws:SourceAccount': '123456789012', 'aws:SourceArn': getAtt(stack.timers.group) } },
    });
  });

  it('the scheduler role may invoke only the timer function and send only to the dead-letter queue', () => {
    const allowed: Record<string, unknown> = {
      'lambda:InvokeFunction': getAtt(stack.timers.timerFunction.fn),
      'sqs:SendMessage': getAtt(stack.timers.deadLetterQueue),
    };
    const statements = statementsOfRole(schedulerRoleId());
    expect(statementsWith(schedulerRoleId(), 'lambda:InvokeFunction')).not.toHaveLength(0);
    for (const statement of statements) {
      for (const action of asArray(statement.Action)) {
        expect(Object.keys(allowed), action).toContain(action);
        expect(asArray(statement.Resource), action).toEqual([allowed[action]]);
      }
    }
  });

  it('only the arming routes and the timer function may use Scheduler, on schedules of the group only', () => {
    expect(rolesAllowed('scheduler:CreateSchedule', 'scheduler:UpdateSchedule', 'scheduler:DeleteSchedule')).toEqual(armingRoleIds());
    const schedulerStatements = ofType('AWS::IAM::Role').flatMap(([id]) => statementsOfRole(id).filter((s) => asArray(s.Action).some((a) => a.startsWith('scheduler:'))));
    for (const statement of schedulerStatements) {
      expect(asArray(statement.Resource).map(flat)).toEqual(['arn:aws:scheduler:eu-north-1:123456789012:schedule/sla-desk-test/*']);
    }
    for (const roleId of armingRoleIds()) {
      for (const action of ['scheduler:CreateSchedule', 'scheduler:UpdateSchedule', 'scheduler:DeleteSchedule']) {
        expect(statementsWith(roleId, action), `${roleId} ${action}`).not.toHaveLength(0);
      }
    }
  });

  it('iam:PassRole names the scheduler role, for Scheduler only, and only where timers are armed', () => {
    expect(rolesAllowed('iam:PassRole')).toEqual(armingRoleIds());
    for (const roleId of armingRoleIds()) {
      for (const statement of statementsWith(roleId, 'iam:PassRole')) {
        expect(statement.Resource).toEqual(getAtt(stack.timers.schedulerRole));
        expect(statement.Condition).toEqual({ StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } });
      }
    }
  });

  it('park undeliverable timers on an encrypted, SSL-only queue for 14 days', () => {
    const queueId = logicalId(stack.timers.deadLetterQueue);
    expect(resources[queueId]!.Properties).toMatchObject({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 24 * 3600 });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: queueId }],
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
      },
    });
  });

  it('page on-call through the encrypted operations topic as soon as one message is on either dead-letter queue', () => {
    const topicId = logicalId(stack.operations.topic);
    const alarm = resources[logicalId(stack.deadLettersAlarm)]!.Properties;
    expect(alarm).toMatchObject({ Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold', TreatMissingData: 'notBreaching', AlarmActions: [{ Ref: topicId }] });
    const metrics = alarm.Metrics as Json[];
    expect(metrics.find((m) => m.Expression)!.Expression).toBe('FILL(q0, 0) + FILL(q1, 0)');
    const queues = metrics.filter((m) => m.MetricStat).map((m) => m.MetricStat.Metric);
    for (const queue of queues) expect(queue).toMatchObject({ Namespace: 'AWS/SQS', MetricName: 'ApproximateNumberOfMessagesVisible' });
    expect(queues.map((q) => q.Dimensions[0].Value)).toEqual([getAtt(stack.operations.failedInvocations, 'QueueName'), getAtt(stack.timers.deadLetterQueue, 'QueueName')]);
    expect(resources[topicId]!.Properties.KmsMasterKeyId).toBeDefined();
    for (const email of ON_CALL) {
      template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: email, TopicArn: { Ref: topicId } });
    }
    // The SSL-only topic policy replaces the default one, so the alarm needs its own allow.
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: topicId }],
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: 'sns:Publish' })]),
      },
    });
  });

  it("lets only this account's alarms use the operations topic key", () => {
    const statements = resources[logicalId(stack.operations.key)]!.Properties.KeyPolicy.Statement as Statement[];
    const cloudwatch = statements.filter((st) => JSON.stringify((st as Json).Principal) === JSON.stringify({ Service: 'cloudwatch.amazonaws.com' }));
    expect(cloudwatch).toHaveLength(1);
    expect(cloudwatch[0]!.Condition).toEqual({ StringEquals: { 'aws:SourceAccount': '123456789012' } });
  });
});

describe('asynchronously invoked functions never drop a failed run', () => {
  const guarded = () =>
    [
      ['timer', stack.timers.timerFunction, stack.timers.errorsAlarm, 2],
      ['relay', stack.alerts.relay, stack.alerts.relayErrorsAlarm, 0],
      ['probe', stack.probe.probe, stack.probe.errorsAlarm, 1],
    ] as const;

  it.each([0, 1, 2])('%#: after its retries a failed event goes to the encrypted failed-invocations queue, and a failed run pages on-call', (i) => {
    const [name, fn, alarm, retries] = guarded()[i]!;
    const fnId = logicalId(fn.fn);
    const configs = ofType('AWS::Lambda::EventInvokeConfig').filter(([, r]) => r.Properties.FunctionName.Ref === fnId);
    expect(configs, name).toHaveLength(1);
    const config = configs[0]![1].Properties;
    expect(config.MaximumRetryAttempts, name).toBe(retries);
    expect(config.DestinationConfig, name).toEqual({ OnFailure: { Destination: getAtt(stack.operations.failedInvocations) } });
    // The function may send there, and nothing else may.
    expect(
      statementsOfRole(logicalId(fn.role))
        .filter((s) => asArray(s.Action).includes('sqs:SendMessage'))
        .map((s) => s.Resource),
      name,
    ).toEqual([getAtt(stack.operations.failedInvocations)]);
    expect(resources[logicalId(alarm)]!.Properties, name).toMatchObject({
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: fnId } }],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: [{ Ref: logicalId(stack.operations.topic) }],
    });
  });

  it('the failed-invocations queue is encrypted, SSL-only and keeps events 14 days', () => {
    const queueId = logicalId(stack.operations.failedInvocations);
    expect(resources[queueId]!.Properties).toMatchObject({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 24 * 3600 });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: queueId }],
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  it('every function Scheduler or S3 invokes is guarded', () => {
    const invoked = new Set(
      ofType('AWS::Scheduler::Schedule')
        .map(([, r]) => JSON.stringify(r.Properties.Target.Arn))
        .concat(JSON.stringify(getAtt(stack.timers.timerFunction.fn)))
        .concat(
          ofType('Custom::S3BucketNotifications').flatMap(([, r]) => (r.Properties.NotificationConfiguration.LambdaFunctionConfigurations as Json[]).map((c) => JSON.stringify(c.LambdaFunctionArn))),
        ),
    );
    expect(invoked).toContain(JSON.stringify(getAtt(stack.attachments.checkFunction.fn)));
    const guardedArns = new Set(
      ofType('AWS::Lambda::EventInvokeConfig')
        .filter(([, r]) => r.Properties.DestinationConfig?.OnFailure)
        .map(([, r]) => JSON.stringify({ 'Fn::GetAtt': [r.Properties.FunctionName.Ref, 'Arn'] })),
    );
    expect([...invoked].sort()).toEqual([...guardedArns].sort());
  });
});

describe('alerts', () => {
  const deliverers = () => [logicalId(stack.timers.timerFunction.role), logicalId(stack.alerts.relay.role)].sort();

  it('go to a breach topic under a rotating customer managed key', () => {
    const topic = resources[logicalId(stack.alerts.breachTopic)]!.Properties;
    expect(topic.KmsMasterKeyId).toEqual(getAtt(stack.alerts.key));
    expect(resources[logicalId(stack.alerts.key)]!.Properties.EnableKeyRotation).toBe(true);
  });

  it('are sent from an SES identity taken from context, created here and kept if the stack lets go of it', () => {
    template.hasResourceProperties('AWS::SES::EmailIdentity', { EmailIdentity: 'example.com' });
    expect(resources[logicalId(stack.alerts.emailIdentity!)]!.DeletionPolicy).toBe('Retain');
  });

  it('can be subscribed to by on-call email from context', () => {
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'duty-phone@example.com', TopicArn: { Ref: logicalId(stack.alerts.breachTopic) } });
  });

  it('page on-call when an alert waits 15 minutes undelivered, or the relay stops reporting', () => {
    expect(resources[logicalId(stack.alerts.backlogAlarm)]!.Properties).toMatchObject({
      Namespace: 'sla-desk/test',
      MetricName: 'OldestPendingAlertAge',
      Dimensions: [{ Name: 'service', Value: 'sla-desk' }],
      Statistic: 'Maximum',
      Threshold: 900,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'breaching',
      AlarmActions: [{ Ref: logicalId(stack.operations.topic) }],
    });
    expect(resources[logicalId(stack.alerts.relay.fn)]!.Properties.Environment.Variables.POWERTOOLS_METRICS_NAMESPACE).toBe('sla-desk/test');
  });

  it('are relayed from the outbox every minute by a schedule with its own role, which may invoke the relay and dead-letter a run', () => {
    const relayArn = getAtt(stack.alerts.relay.fn);
    const roleId = logicalId(stack.alerts.relayRole);
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(1 minute)',
      Target: Match.objectLike({ Arn: relayArn, RoleArn: { 'Fn::GetAtt': [roleId, 'Arn'] } }),
    });
    const trust = resources[roleId]!.Properties.AssumeRolePolicyDocument.Statement as Json[];
    expect(trust.map((s) => s.Principal)).toEqual([{ Service: 'scheduler.amazonaws.com' }]);
    expect(trust[0]!.Condition).toEqual({ StringEquals: { 'aws:SourceAccount': '123456789012', 'aws:SourceArn': getAtt(stack.alerts.relayGroup) } });
    const statements = statementsOfRole(roleId);
    expect(statements.flatMap((s) => asArray(s.Action))).toEqual(['lambda:InvokeFunction', 'sqs:SendMessage']);
    expect(statements.map((s) => s.Resource)).toEqual([relayArn, getAtt(stack.operations.failedInvocations)]);
  });

  it('are relayed from a schedule group of their own, without retries past the next run', () => {
    template.hasResourceProperties('AWS::Scheduler::ScheduleGroup', { Name: 'sla-desk-test-relay' });
    const schedule = resources[logicalId(stack.alerts.relaySchedule)]!;
    expect(schedule.Properties.ScheduleExpression).toBe('rate(1 minute)');
    expect(schedule.Properties.GroupName).toBe('sla-desk-test-relay');
    expect(schedule.DependsOn).toContain(logicalId(stack.alerts.relayGroup));
    expect(schedule.Properties.Target.RetryPolicy).toEqual({ MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 60 });
  });

  it('are published and emailed only by the timer function and the relay', () => {
    expect(rolesAllowed('sns:Publish')).toEqual(deliverers());
    expect(rolesAllowed('ses:SendEmail', 'ses:SendRawEmail', 'ses:*', 'sns:*')).toEqual(deliverers());
    for (const id of ARMING_ROUTES) {
      const actions = statementsOfRole(roleLogicalId(routeById(id))).flatMap((s) => asArray(s.Action));
      expect(
        actions.filter((a) => a.startsWith('sns:') || a.startsWith('ses:')),
        id,
      ).toEqual([]);
    }
  });

  it('may publish to the breach topic only, and email only from the alert address through the identity', () => {
    const identityId = logicalId(stack.alerts.emailIdentity!);
    for (const roleId of deliverers()) {
      for (const statement of statementsWith(roleId, 'sns:Publish')) {
        expect(statement.Resource).toEqual({ Ref: logicalId(stack.alerts.breachTopic) });
      }
      const sends = statementsWith(roleId, 'ses:SendEmail');
      expect(sends).not.toHaveLength(0);
      for (const statement of sends) {
        expect(asArray(statement.Resource).map(flat)).toEqual([`arn:aws:ses:eu-north-1:123456789012:identity/<${identityId}>`]);
        expect(statement.Condition).toEqual({ StringEquals: { 'ses:FromAddress': ALERT_FROM } });
      }
    }
    for (const fn of [stack.timers.timerFunction, stack.alerts.relay]) {
      expect(resources[logicalId(fn.fn)]!.Properties.Environment.Variables).toMatchObject({
        BREACH_TOPIC_ARN: { Ref: logicalId(stack.alerts.breachTopic) },
        ALERT_FROM_EMAIL: ALERT_FROM,
      });
    }
  });
});

describe('availability probe', () => {
  const probeRoleId = () => logicalId(stack.probe.probe.role);
  const probeArn = () => getAtt(stack.probe.probe.fn);
  const operations = () => ({ Ref: logicalId(stack.operations.topic) });

  it("checks the API's own health route and the context targets, with the table and timer settings its configuration needs", () => {
    const props = resources[logicalId(stack.probe.probe.fn)]!.Properties;
    expect(props.Timeout).toBe(60);
    const env = props.Environment.Variables as Json;
    expect(flat(env.API_HEALTH_URL)).toBe(`https://<${logicalId(stack.api.api)}>.execute-api.eu-north-1.<AWS::URLSuffix>/health`);
    expect(env).toMatchObject({ TABLE_NAME: { Ref: logicalId(stack.data.table) }, SCHEDULE_GROUP: 'sla-desk-test' });
  });

  it('writes the measured targets into the table at deploy, where the functions that measure or report availability read them, and into no environment', () => {
    const [[, writer]] = ofType('Custom::AWS') as [[string, Json]];
    const create = JSON.parse(flat(writer.Properties.Create)) as Json;
    expect(create).toMatchObject({ service: 'DynamoDB', action: 'putItem' });
    const item = create.parameters.Item as Record<string, { S: string }>;
    expect(Object.fromEntries(Object.entries(item).map(([k, v]) => [k, v.S]))).toEqual(toProbeTargetsItem(PROBE_TARGETS));
    expect(flat(writer.Properties.Update)).toBe(flat(writer.Properties.Create));
    for (const [id, fn] of ofType('AWS::Lambda::Function')) expect(fn.Properties.Environment?.Variables?.PROBE_TARGETS, id).toBeUndefined();
    // Its writer may put that one item only.
    const policy = ofType('AWS::IAM::Policy').find(([, p]) => JSON.stringify(p.Properties.PolicyDocument).includes('SETTINGS#probe-targets'))!;
    const put = (policy[1].Properties.PolicyDocument.Statement as Statement[]).find((st) => asArray(st.Action).includes('dynamodb:PutItem'))!;
    expect(put.Condition).toEqual({ 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['SETTINGS#probe-targets'] } });
  });

  it('may only put sample items into the table (it reads samples and windows for the month to date), and encrypt with the table key only through DynamoDB', () => {
    const statements = statementsOfRole(probeRoleId()).filter((s) => !asArray(s.Action).every((a) => a.startsWith('xray:')));
    for (const statement of statements) expect(asArray(statement.Resource), JSON.stringify(statement.Action)).not.toContain('*');
    const writes = statements.filter((s) => asArray(s.Action).some((a) => WRITE_ACTIONS.includes(a) || a === 'dynamodb:*'));
    expect(writes.flatMap((s) => asArray(s.Action))).toEqual(['dynamodb:PutItem']);
    expect(writes[0]!.Resource).toEqual(getAtt(stack.data.table));
    expect(writes[0]!.Condition).toEqual({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['SAMPLES#*'] } });
    const encrypt = statements.filter((s) => asArray(s.Action).some((a) => a === 'kms:Encrypt' || a === 'kms:GenerateDataKey*'));
    expect(encrypt.flatMap((s) => asArray(s.Action)).sort()).toEqual(['kms:Encrypt', 'kms:GenerateDataKey*']);
    for (const statement of encrypt) {
      expect(statement.Resource).toEqual(getAtt(stack.data.key));
      expect(flat(statement.Condition!.StringEquals['kms:ViaService'])).toBe('dynamodb.eu-north-1.<AWS::URLSuffix>');
    }
    // Nothing else of the app's but its failure queue: no Scheduler, no alerts.
    const others = statements.filter((s) => asArray(s.Action).some((a) => !/^(dynamodb|kms|logs):/.test(a)));
    expect(others.map((s) => s.Resource)).toEqual([getAtt(stack.operations.failedInvocations)]);
    expect(others.flatMap((s) => asArray(s.Action)).every((a) => a.startsWith('sqs:'))).toBe(true);
  });

  it('runs every 5 minutes, on time, from its own schedule group, retried at most once', () => {
    template.hasResourceProperties('AWS::Scheduler::ScheduleGroup', { Name: 'sla-desk-test-probe' });
    const schedules = ofType('AWS::Scheduler::Schedule').filter(([, r]) => r.Properties.ScheduleExpression === 'rate(5 minutes)');
    expect(schedules).toHaveLength(1);
    const [, schedule] = schedules[0]!;
    const props = schedule.Properties;
    expect(props.GroupName).toBe('sla-desk-test-probe');
    expect(schedule.DependsOn).toContain(logicalId(stack.probe.group));
    expect(props.FlexibleTimeWindow).toEqual({ Mode: 'OFF' });
    expect(props.Target.Arn).toEqual(probeArn());
    expect(props.Target.RoleArn).toEqual(getAtt(stack.probe.invokeRole));
    expect(props.Target.RetryPolicy.MaximumRetryAttempts).toBeLessThanOrEqual(1);
    expect(props.Target.RetryPolicy.MaximumEventAgeInSeconds).toBeLessThan(300);
    // Lambda's own retries of a failed run are bounded the same way.
    const invokeConfig = ofType('AWS::Lambda::EventInvokeConfig').find(([, r]) => r.Properties.FunctionName.Ref === logicalId(stack.probe.probe.fn));
    expect(invokeConfig?.[1].Properties.MaximumRetryAttempts).toBeLessThanOrEqual(1);
    expect(invokeConfig?.[1].Properties.MaximumEventAgeInSeconds).toBeLessThan(300);
  });

  it('is started through a role that may only invoke the probe and dead-letter a run, for this account and group', () => {
    const roleId = logicalId(stack.probe.invokeRole);
    const trust = resources[roleId]!.Properties.AssumeRolePolicyDocument.Statement as Json[];
    expect(trust).toHaveLength(1);
    expect(trust[0]).toMatchObject({
      Principal: { Service: 'scheduler.amazonaws.com' },
      Condition: { StringEquals: { 'aws:SourceAccount': '123456789012', 'aws:SourceArn': getAtt(stack.probe.group) } },
    });
    const statements = statementsOfRole(roleId);
    expect(statements.flatMap((s) => asArray(s.Action))).toEqual(['lambda:InvokeFunction', 'sqs:SendMessage']);
    expect(statements.map((s) => s.Resource)).toEqual([probeArn(), getAtt(stack.operations.failedInvocations)]);
    const invokers = rolesAllowed('lambda:InvokeFunction').filter((id) =>
      statementsWith(id, 'lambda:InvokeFunction').some((s) => asArray(s.Resource).some((r) => JSON.stringify(r) === JSON.stringify(probeArn()))),
    );
    expect(invokers).toEqual([roleId]);
  });

  it('pages on-call when a run fails and when runs stop for 15 minutes', () => {
    const fn = { Ref: logicalId(stack.probe.probe.fn) };
    const dimensions = [{ Name: 'FunctionName', Value: fn }];
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Dimensions: dimensions,
      Statistic: 'Sum',
      Period: 300,
      EvaluationPeriods: 1,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: [operations()],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Lambda',
      MetricName: 'Invocations',
      Dimensions: dimensions,
      Statistic: 'Sum',
      Period: 300,
      EvaluationPeriods: 3,
      DatapointsToAlarm: 3,
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'breaching',
      AlarmActions: [operations()],
    });
    // The SSL-only topic policy lets CloudWatch publish for every alarm named under the stage's prefix.
    for (const alarm of [stack.probe.errorsAlarm, stack.probe.missingSamplesAlarm, stack.deadLettersAlarm, stack.timers.errorsAlarm, stack.alerts.backlogAlarm]) {
      expect(resources[logicalId(alarm)]!.Properties.AlarmName).toMatch(/^sla-desk-test\//);
    }
  });
});

describe('context', () => {
  // Construction only, without bundling: each case must fail before any asset is built.
  const build = (context: Record<string, unknown>) => () =>
    new SlaDeskStack(new App({ context: { ...PROJECT_CONTEXT, 'aws:cdk:bundling-stacks': [], ...context } }), 'SlaDesk-ctx', {
      stage: 'ctx',
      env: { account: '123456789012', region: 'eu-north-1' },
    });

  it('rejects on-call entries that are not email addresses', () => {
    expect(build({ onCallEmails: 'oncall@example.com,not-an-address' })).toThrow(/onCallEmails.*not-an-address/);
  });

  it.each(['Sla-Desk', '-sla-desk', 'sla-desk-', 'my-cognito-login', 'aws-support', 'a'.repeat(64), 'sla_desk'])('rejects the Cognito domain prefix %s', (prefix) => {
    expect(build({ authDomainPrefix: prefix })).toThrow(/authDomainPrefix/);
  });

  it('refuses the retired integrations list (each is registered with onboard, no deploy) and machineClients map', () => {
    expect(build({ integrations: 'ACME,GLOBEX' })).toThrow(/context integrations is no longer read.*sla-desk onboard --customer <id> --integration <id> --public-key <file>/);
    expect(build({ machineClients: { abc: 'ACME' } })).toThrow(/machineClients is no longer read/);
  });

  it('rejects a hypercare escalation list with an entry that is not an address', () => {
    expect(build({ hypercareEscalationEmails: 'lead@provider.example,lead' })).toThrow(/hypercareEscalationEmails.*lead$/);
  });

  it('rejects sesIdentityExists other than true or false, and breach subscribers that are not addresses', () => {
    expect(build({ sesIdentityExists: 'yes' })).toThrow(/sesIdentityExists must be true or false/);
    expect(build({ breachTopicEmails: 'duty@example.com,phone' })).toThrow(/breachTopicEmails.*phone/);
  });

  it('rejects a warning share outside (0, 1)', () => {
    expect(build({ warningShare: '1.5' })).toThrow(/warningShare/);
  });

  it('rejects an alert sender outside the SES identity', () => {
    expect(build({ alertFromEmail: 'alerts@example.org', sesIdentity: 'example.com' })).toThrow(/SES identity/);
  });

  it('rejects probe targets the probe would refuse: bad names, non-HTTP URLs, unknown fields, repeated names, no JSON', () => {
    const targets = (...list: unknown[]) => build({ probeTargets: JSON.stringify(list) });
    expect(targets({ name: 'Portal', url: 'https://portal.example.com' })).toThrow(/probeTargets.*0\.name/);
    expect(targets({ name: 'portal', url: 'ftp://portal.example.com' })).toThrow(/probeTargets.*0\.url/);
    expect(targets({ name: 'portal', url: 'https://portal.example.com', timeoutMs: 60_000 })).toThrow(/probeTargets.*timeoutMs/);
    expect(targets({ name: 'portal', url: 'https://portal.example.com', method: 'POST' })).toThrow(/probeTargets/);
    expect(targets({ name: 'api', url: 'https://api.example.com' })).toThrow(/probeTargets repeats.*api/);
    expect(build({ probeTargets: 'portal=https://portal.example.com' })).toThrow(/probeTargets must be a JSON array/);
    expect(build({ probeTargets: { name: 'portal', url: 'https://portal.example.com' } })).toThrow(/probeTargets/);
  });
});

describe('identity', () => {
  it('is an admin-only pool with a strong password policy and required MFA, on the Essentials plan (threat protection is a stage option)', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      UsernameConfiguration: { CaseSensitive: false },
      MfaConfiguration: 'ON',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
      UserPoolTier: 'ESSENTIALS',
      Policies: {
        PasswordPolicy: Match.objectLike({
          MinimumLength: 12,
          RequireLowercase: true,
          RequireUppercase: true,
          RequireNumbers: true,
          RequireSymbols: true,
        }),
      },
      Schema: Match.arrayWith([Match.objectLike({ Name: 'customer_id', AttributeDataType: 'String', Mutable: false })]),
    });
  });

  it('has the agents, finance and admins groups', () => {
    template.resourceCountIs('AWS::Cognito::UserPoolGroup', 3);
    for (const group of ['agents', 'finance', 'admins']) {
      template.hasResourceProperties('AWS::Cognito::UserPoolGroup', { GroupName: group });
    }
  });

  it('has a domain for the hosted sign-in, and no resource server: no client asks for an API scope', () => {
    template.hasResourceProperties('AWS::Cognito::UserPoolDomain', { Domain: 'sla-desk-test-123456789012' });
    template.resourceCountIs('AWS::Cognito::UserPoolResourceServer', 0);
  });

  it('has a secretless people client that cannot ask for an API scope, and no other: integrations are no app clients (no monthly fee each)', () => {
    const people = resources[logicalId(stack.identity.peopleClient)]!.Properties;
    expect(people).toMatchObject({ GenerateSecret: false, AllowedOAuthFlows: ['code'], ExplicitAuthFlows: expect.arrayContaining(['ALLOW_USER_SRP_AUTH']) });
    // Role scopes come from the trigger only.
    expect(people.AllowedOAuthScopes).toEqual(['openid', 'email', 'profile']);
    // No ReadAttributes: the client reads the standard attributes, `name` and `email` among them, which the
    // trigger puts into the access token for the API to name people by (pre-token.ts).
    expect(people.ReadAttributes).toBeUndefined();
    template.resourceCountIs('AWS::Cognito::UserPoolClient', 1);
  });

  it('runs the pre token generation trigger (V2) that puts role and customer into access tokens, and pages when it fails', () => {
    const trigger = stack.identity.preTokenTrigger;
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      LambdaConfig: { PreTokenGenerationConfig: { LambdaArn: getAtt(trigger.fn), LambdaVersion: 'V2_0' } },
    });
    template.hasResourceProperties('AWS::Lambda::Permission', {
      FunctionName: getAtt(trigger.fn),
      Principal: 'cognito-idp.amazonaws.com',
      SourceArn: getAtt(stack.identity.userPool),
    });
    expect(resources[logicalId(stack.identity.preTokenErrorsAlarm)]!.Properties.AlarmActions).toEqual([{ Ref: logicalId(stack.operations.topic) }]);
    // It reads only the event: no table, no other service.
    const actions = statementsOfRole(logicalId(trigger.role)).flatMap((st) => asArray(st.Action));
    expect(actions.filter((a) => !a.startsWith('logs:') && !a.startsWith('xray:'))).toEqual([]);
  });

  it("keeps Cognito's own sender while the SES identity is new, with a warning saying how to switch", () => {
    expect(resources[logicalId(stack.identity.userPool)]!.Properties.EmailConfiguration).toBeUndefined();
    const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('sesIdentityExists=true'));
    expect(warnings).toHaveLength(1);
  });
});

describe('an existing SES identity (second stage, or verified before)', () => {
  let existing: Template;
  beforeAll(() => {
    const app = new App({
      context: {
        ...PROJECT_CONTEXT,
        ...PROD_CONTEXT,
        'aws:cdk:bundling-stacks': [],
        alertFromEmail: ALERT_FROM,
        sesIdentity: 'example.com',
        sesIdentityExists: 'true',
        authDomainPrefix: 'acme-support-prod',
      },
    });
    existing = Template.fromStack(new SlaDeskStack(app, 'SlaDesk-prod', { stage: 'prod', env: { account: '123456789012', region: 'eu-north-1' } }));
  });

  it('is referenced by name, never created, and alert email is granted on it', () => {
    existing.resourceCountIs('AWS::SES::EmailIdentity', 0);
    const arn = 'arn:aws:ses:eu-north-1:123456789012:identity/example.com';
    const sends = Object.values(existing.findResources('AWS::IAM::Policy'))
      .flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[])
      .filter((st) => asArray(st.Action).includes('ses:SendEmail'));
    expect(sends).not.toHaveLength(0);
    for (const statement of sends) expect(asArray(statement.Resource).map(flat)).toEqual([arn]);
  });

  it("carries Cognito's own email through SES, from the alert address", () => {
    existing.hasResourceProperties('AWS::Cognito::UserPool', {
      EmailConfiguration: { EmailSendingAccount: 'DEVELOPER', From: `sla-desk <${ALERT_FROM}>`, SourceArn: Match.anyValue() },
    });
    const pool = Object.values(existing.findResources('AWS::Cognito::UserPool'))[0]!;
    expect(flat(pool.Properties.EmailConfiguration.SourceArn)).toBe('arn:aws:ses:eu-north-1:123456789012:identity/example.com');
    existing.hasResourceProperties('AWS::Cognito::UserPoolDomain', { Domain: 'acme-support-prod' });
  });
});

describe('cdk-nag AwsSolutions', () => {
  it('reports no unacknowledged errors or warnings', () => {
    const report = new AwsSolutionsChecks().validateScope(stack);
    const findings = report.violations.map((v) => `${v.severity} ${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath).join(', ')}`);
    expect(findings).toEqual([]);
    expect(report.success).toBe(true);
  });

  it('every acknowledgement carries a written reason', () => {
    const acknowledgements = acknowledgedUnder(stack);
    expect(acknowledgements.length).toBeGreaterThan(0);
    for (const { rule, reason } of acknowledgements) expect(reason.length, rule).toBeGreaterThan(40);
  });

  it('leaves no error annotations on the stack', () => {
    expect(Annotations.fromStack(stack).findError('*', Match.anyValue())).toEqual([]);
  });
});

describe('recurring schedules', () => {
  it('are the relay every minute, the probe every 5 minutes, and the report and its check on the 1st: the hypercare digests have none of their own, the relay queues them', () => {
    const expressions = ofType('AWS::Scheduler::Schedule').map(([, r]) => r.Properties.ScheduleExpression as string);
    expect(expressions.sort()).toEqual(['cron(0 6 1 * ? *)', 'cron(0 7 1 * ? *)', 'rate(1 minute)', 'rate(5 minutes)']);
  });

  it('every schedule dead-letters a run Scheduler could not start on the failed-invocations queue, which pages on-call; its role may send there', () => {
    const schedules = ofType('AWS::Scheduler::Schedule');
    // Relay, probe, report and report check.
    expect(schedules).toHaveLength(4);
    const queue = getAtt(stack.operations.failedInvocations);
    for (const [id, schedule] of schedules) {
      const target = schedule.Properties.Target as Json;
      expect(target.DeadLetterConfig?.Arn, id).toEqual(queue);
      const roleId = (target.RoleArn as Json)['Fn::GetAtt'][0] as string;
      expect(
        statementsWith(roleId, 'sqs:SendMessage').map((s) => s.Resource),
        id,
      ).toEqual([queue]);
    }
    // The queue is encrypted with SQS's own key (SqsManagedSseEnabled): no KMS grant is needed to send to it.
    expect(resources[logicalId(stack.operations.failedInvocations)]!.Properties.KmsMasterKeyId).toBeUndefined();
    const watched = (resources[logicalId(stack.deadLettersAlarm)]!.Properties.Metrics as Json[]).filter((m) => m.MetricStat).map((m) => m.MetricStat.Metric.Dimensions[0].Value);
    expect(watched).toContainEqual(getAtt(stack.operations.failedInvocations, 'QueueName'));
  });

  it('a wall-clock recurrence becomes a cron in its own time zone, daylight saving included', async () => {
    const { scheduleExpression } = await import('../../lib/recurring-invocation');
    const monthly = scheduleExpression({ at: { hour: 6, minute: 0, dayOfMonth: 1 }, timeZone: 'Europe/Copenhagen' });
    expect([monthly.expressionString, monthly.timeZone?.timezoneName]).toEqual(['cron(0 6 1 * ? *)', 'Europe/Copenhagen']);
    const weekly = scheduleExpression({ at: { hour: 9, minute: 30, weekday: 1 }, timeZone: 'Europe/Copenhagen' });
    expect(weekly.expressionString).toBe('cron(30 9 ? * MON *)');
    expect(scheduleExpression({ everyMinutes: 5 }).expressionString).toBe('rate(5 minutes)');
  });
});

describe('monthly reports', () => {
  const bucket = () => resources[logicalId(stack.reports.bucket)]!.Properties;

  it("are kept in a versioned, KMS-encrypted bucket with no public access, TLS only, for at least five years (a development stage's emptied and deleted with it)", () => {
    const b = bucket();
    expect(b.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(b.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault).toEqual({ SSEAlgorithm: 'aws:kms', KMSMasterKeyID: getAtt(stack.reports.key) });
    expect(b.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
    const [rule] = b.LifecycleConfiguration.Rules;
    expect(rule.ExpirationInDays).toBeGreaterThanOrEqual(5 * 366);
    expect(rule.NoncurrentVersionExpiration.NoncurrentDays).toBeGreaterThanOrEqual(5 * 366);
    expect(resources[logicalId(stack.reports.bucket)]!.DeletionPolicy).toBe('Delete');
    expect(ofType('Custom::S3AutoDeleteObjects').map(([, r]) => r.Properties.BucketName)).toEqual(
      expect.arrayContaining([{ Ref: logicalId(stack.reports.bucket) }, { Ref: logicalId(stack.console.bucket) }]),
    );
    const policy = ofType('AWS::S3::BucketPolicy').find(([, r]) => JSON.stringify(r.Properties.Bucket) === JSON.stringify({ Ref: logicalId(stack.reports.bucket) }))![1];
    expect(policy.Properties.PolicyDocument.Statement).toContainEqual(expect.objectContaining({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
    expect(resources[logicalId(stack.reports.key)]!.Properties.EnableKeyRotation).toBe(true);
  });

  it('are made by the report function on the 1st at 06:00 Copenhagen time, guarded like every scheduled function', () => {
    const schedule = resources[logicalId(stack.reports.invocation.schedule)]!.Properties;
    expect([schedule.ScheduleExpression, schedule.ScheduleExpressionTimezone]).toEqual(['cron(0 6 1 * ? *)', 'Europe/Copenhagen']);
    expect(schedule.Target.Arn).toEqual(getAtt(stack.reports.reportFunction.fn));
    expect(resources[logicalId(stack.reports.errorsAlarm)]!.Properties.AlarmActions).toEqual([{ Ref: logicalId(stack.operations.topic) }]);
  });

  it('only the report function writes report files, only the file route and it read them, and only generate-report invokes it', () => {
    const grants = (s: Statement, action: string) => asArray(s.Action).some((a) => a === action || (a.endsWith('*') && action.startsWith(a.slice(0, -1))));
    const who = (action: string, on = '') =>
      ofType('AWS::IAM::Policy')
        .filter(([, p]) => (p.Properties.PolicyDocument.Statement as Statement[]).some((s) => grants(s, action) && JSON.stringify(s.Resource).includes(on)))
        .flatMap(([, p]) => asArray(p.Properties.Roles).map((r: { Ref: string }) => r.Ref))
        .sort();
    expect(who('s3:PutObject', logicalId(stack.reports.bucket))).toEqual([logicalId(stack.reports.reportFunction.role)]);
    // The reports capability's function serves get-report-file and generate-report; no other API function has either grant.
    expect(roleLogicalId(routeById('get-report-file'))).toBe(roleLogicalId(routeById('generate-report')));
    expect(who('s3:GetObject', logicalId(stack.reports.bucket))).toEqual([roleLogicalId(routeById('get-report-file')), logicalId(stack.reports.reportFunction.role)].sort());
    expect(who('lambda:InvokeFunction', logicalId(stack.reports.reportFunction.fn))).toEqual([roleLogicalId(routeById('generate-report')), logicalId(stack.reports.invocation.role)].sort());
    for (const route of ROUTES) {
      const env = resources[functionLogicalId(route)]!.Properties.Environment.Variables;
      const served = ROUTES.filter((r) => r.capability === route.capability);
      expect([route.id, 'REPORT_BUCKET' in env, 'REPORT_FUNCTION' in env]).toEqual([route.id, served.some((r) => r.reports === 'read'), served.some((r) => r.reports === 'request')]);
    }
  });
});

describe('the console', () => {
  it('has no local sign-in in the deployed API: no route key names /_dev', () => {
    const keys = ofType('AWS::ApiGatewayV2::Route').map(([, r]) => String(r.Properties.RouteKey));
    expect(keys.length).toBeGreaterThan(10);
    expect(keys.filter((k) => k.includes('/_dev') || k.includes('config.json'))).toEqual([]);
  });
});

describe('the console on AWS', () => {
  it('is a private bucket behind CloudFront with origin access control and strict security headers, and the API allows its origin only', () => {
    const bucket = resources[logicalId(stack.console.bucket)]!.Properties;
    expect(bucket.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
    const [[, distribution]] = ofType('AWS::CloudFront::Distribution') as [[string, Json]];
    const config = distribution.Properties.DistributionConfig;
    expect(config.DefaultCacheBehavior.ViewerProtocolPolicy).toBe('redirect-to-https');
    expect(config.Origins[0].OriginAccessControlId).toBeDefined();
    expect(ofType('AWS::CloudFront::OriginAccessControl')).toHaveLength(1);
    const [[, headers]] = ofType('AWS::CloudFront::ResponseHeadersPolicy') as [[string, Json]];
    const security = headers.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig;
    const csp = JSON.stringify(security.ContentSecurityPolicy.ContentSecurityPolicy);
    expect(csp).toMatch(/default-src 'self'.*frame-ancestors 'none'/);
    // Report downloads follow the API's 303 to a presigned URL of the report bucket: the page may fetch there, and the bucket answers CORS.
    expect(csp).toContain(JSON.stringify({ 'Fn::GetAtt': [logicalId(stack.reports.bucket), 'RegionalDomainName'] }));
    // The API by its host down to the region (its id would be a cycle: the API's CORS names the distribution), Cognito's sign-in exactly;
    // test/browser/deployed-console.test.ts runs the console under this policy and the page's own.
    const policy = flat(security.ContentSecurityPolicy.ContentSecurityPolicy);
    const signIn = `https://<${logicalId(stack.identity.domain)}>.auth.eu-north-1.amazoncognito.com`;
    // The attachment bucket by its host down to the region too: its CORS names the distribution.
    expect(policy).toContain(
      `; connect-src 'self' https://*.execute-api.eu-north-1.<AWS::URLSuffix> ${signIn} https://<${logicalId(stack.reports.bucket)}.RegionalDomainName> https://*.s3.eu-north-1.<AWS::URLSuffix>; `,
    );
    // Attachments' thumbnails are images made from fetched bytes (object URLs).
    expect(policy).toContain("; img-src 'self' data: blob:; ");
    expect(policy.split('; ').at(-1)).toBe(`form-action 'self' ${signIn}`);
    // The page's own policy, which the deployment writes into index.html, names the API by its exact host: nothing the distribution uses depends on it.
    const page = filledIn(deployedFile(resources, outdir, 'index.html'), flat);
    expect(page).toContain(
      `<meta http-equiv="Content-Security-Policy" content="connect-src 'self' https://<${logicalId(stack.api.api)}>.execute-api.eu-north-1.<AWS::URLSuffix> ${signIn} https://<${logicalId(stack.reports.bucket)}.RegionalDomainName> https://<${logicalId(stack.attachments.bucket)}.RegionalDomainName>" />`,
    );
    expect(resources[logicalId(stack.reports.bucket)]!.Properties.CorsConfiguration.CorsRules).toEqual([{ AllowedMethods: ['GET'], AllowedOrigins: ['*'], MaxAge: 3600 }]);
    expect(security.StrictTransportSecurity.AccessControlMaxAgeSec).toBeGreaterThanOrEqual(31_536_000);
    expect(security.ContentTypeOptions.Override).toBe(true);
    expect(security.FrameOptions.FrameOption).toBe('DENY');
    const [[, api]] = ofType('AWS::ApiGatewayV2::Api') as [[string, Json]];
    expect(api.Properties.CorsConfiguration.AllowOrigins).toEqual([{ 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [logicalId(stack.console.distribution), 'DomainName'] }]] }]);
    // The console may name its requests and read the id back, as it reads ETags.
    expect(api.Properties.CorsConfiguration).toMatchObject({
      AllowHeaders: expect.arrayContaining(['x-correlation-id', 'if-match', 'idempotency-key']),
      ExposeHeaders: expect.arrayContaining(['x-correlation-id', 'etag']),
    });
  });

  it('gets config.json at deploy: the API, the people client and the sign-in, so one build serves every stage', () => {
    const [[, deployment]] = ofType('Custom::CDKBucketDeployment') as [[string, Json]];
    expect(deployment.Properties.DestinationBucketName).toEqual({ Ref: logicalId(stack.console.bucket) });
    expect(JSON.stringify(deployment.Properties.SourceMarkers)).toContain(logicalId(stack.identity.peopleClient));
    const client = resources[logicalId(stack.identity.peopleClient)]!.Properties;
    expect(JSON.stringify(client.CallbackURLs)).toContain(logicalId(stack.console.distribution));
  });
});

describe('tracing and metrics', () => {
  const own = () => ofType('AWS::Lambda::Function').filter(([id]) => !cdkDeployment(id));

  it('every function traces actively with X-Ray, never capturing response bodies, and publishes to the stage namespace', () => {
    expect(own()).toHaveLength(CAPABILITIES.length + 9);
    for (const [id, fn] of own()) {
      expect(fn.Properties.TracingConfig, id).toEqual({ Mode: 'Active' });
      expect(fn.Properties.Environment.Variables, id).toMatchObject({
        POWERTOOLS_SERVICE_NAME: 'sla-desk',
        POWERTOOLS_METRICS_NAMESPACE: 'sla-desk/test',
        POWERTOOLS_TRACER_CAPTURE_RESPONSE: 'false',
      });
    }
  });

  it('lets each traced function write to X-Ray', () => {
    for (const fn of [functionOf(routeById('create-ticket')), stack.alerts.relay, stack.reports.checkFunction]) {
      const actions = statementsOfRole(logicalId(fn.role)).flatMap((s) => asArray(s.Action));
      expect(actions, fn.node.path).toEqual(expect.arrayContaining(['xray:PutTraceSegments', 'xray:PutTelemetryRecords']));
    }
  });
});

describe('per-route throttling', () => {
  it('gives every declared route its own limits from its declaration, the report request lowest, writes below reads, health above all (the probe measures it)', async () => {
    const { routeThrottle } = await import('../../lib/api');
    const [, stage] = ofType('AWS::ApiGatewayV2::Stage')[0]!;
    const settings = stage.Properties.RouteSettings as Record<string, { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }>;
    expect(Object.keys(settings).sort()).toEqual(ROUTES.map((r) => `${r.method} ${r.path}`).sort());
    for (const route of ROUTES) {
      const limits = routeThrottle(route);
      expect(settings[`${route.method} ${route.path}`], route.id).toEqual({ ThrottlingRateLimit: limits.rateLimit, ThrottlingBurstLimit: limits.burstLimit });
    }
    const rate = (id: string) => settings[`${routeById(id).method} ${routeById(id).path}`]!.ThrottlingRateLimit;
    expect(rate('generate-report')).toBe(Math.min(...Object.values(settings).map((s) => s.ThrottlingRateLimit)));
    expect(rate('create-ticket')).toBeLessThan(rate('list-tickets'));
    // One route is the probe's, declared so: health.
    expect(ROUTES.filter((r) => r.probed).map((r) => r.id)).toEqual(['health']);
    expect(rate('health')).toBe(Math.max(...Object.values(settings).map((s) => s.ThrottlingRateLimit)));
    expect(rate('openapi')).toBeLessThan(rate('list-tickets'));
    // Shared ceilings above the planned peak (docs/capacity-and-cost.md: ~50 requests a second in all at 100 times today's target).
    expect(rate('list-tickets')).toBeGreaterThanOrEqual(50);
    expect(rate('create-ticket')).toBeGreaterThanOrEqual(25);
    // The stage's route settings name routes that must exist before it.
    const routeIds = ofType('AWS::ApiGatewayV2::Route')
      .filter(([, r]) => r.Properties.RouteKey !== '$default')
      .map(([id]) => id);
    expect(stage.DependsOn).toEqual(expect.arrayContaining(routeIds));
  });
});

describe('writes scoped by dynamodb:LeadingKeys', () => {
  const scoped = () =>
    [
      ['report function', stack.reports.reportFunction, ['REPORT#*']],
      ['probe', stack.probe.probe, ['SAMPLES#*']],
    ] as const;

  it.each([0, 1])('%#: writes only under its partition-key prefixes, and reads the table', (i) => {
    const [name, fn, prefixes] = scoped()[i]!;
    const statements = statementsOfRole(logicalId(fn.role));
    const writes = statements.filter((s) => asArray(s.Action).some((a) => WRITE_ACTIONS.includes(a) || a === 'dynamodb:*' || a.startsWith('dynamodb:Transact')));
    expect(writes, name).toHaveLength(1);
    expect(asArray(writes[0]!.Action), name).toEqual(['dynamodb:PutItem']);
    expect(writes[0]!.Condition, name).toEqual({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [...prefixes] } });
    expect(
      statements.flatMap((s) => asArray(s.Action)),
      name,
    ).toContain('dynamodb:Query');
  });

  it('the prefixes are the ones table.ts writes those items under', async () => {
    const { keys } = await import('#adapters/dynamodb/table');
    const matches = (pattern: string, pk: string) => pk.startsWith(pattern.replace(/\*$/, ''));
    expect(matches('REPORT#*', keys.reportVersion('2026-05', 1).PK)).toBe(true);
    expect(matches('REPORT#*', keys.alert({ id: 'report:2026-05:v1:sns', about: { type: 'report', id: '2026-05-v1' }, kind: 'report-ready', channel: 'sns' } as never).PK)).toBe(true);
    expect(matches('SAMPLES#*', keys.sample('api', '2026-05', 0).PK)).toBe(true);
  });
});

describe('history is never deleted', () => {
  it('every function allowed to delete from the table (the read/write grant) is denied DeleteItem and BatchWriteItem on it, but the erasure: DeleteItem under TICKET# and on INBOUND#refusals only', () => {
    const roles = ofType('AWS::IAM::Role').map(([id]) => id);
    const erasure = logicalId(stack.api.capabilities.get('privacy')!.role);
    const broad = roles.filter((id) => id !== erasure && statementsOfRole(id).some((s) => asArray(s.Action).includes('dynamodb:DeleteItem')));
    // The API's capabilities that write, the timer and the relay.
    expect(broad.length).toBe(new Set(ROUTES.filter((r) => r.writes && !r.deletes).map((r) => r.capability)).size + 2);
    // A person's erasure deletes their attachment records and the emails kept for them alone, under the tickets' and
    // customers' partitions, and nothing else; never a batch.
    expect(statementsOfRole(erasure, 'Deny').filter((st) => asArray(st.Action).some((a) => a === 'dynamodb:DeleteItem' || a === 'dynamodb:BatchWriteItem'))).toEqual([
      { Effect: 'Deny', Action: 'dynamodb:BatchWriteItem', Resource: { 'Fn::GetAtt': [logicalId(stack.data.table), 'Arn'] } },
      {
        Effect: 'Deny',
        Action: 'dynamodb:DeleteItem',
        Resource: { 'Fn::GetAtt': [logicalId(stack.data.table), 'Arn'] },
        // Where the erasure deletes (ERASED_FROM, which the store test of the erasure's deletes checks against):
        // attachment records, and the refusals to the person's address.
        Condition: { 'ForAnyValue:StringNotLike': { 'dynamodb:LeadingKeys': ['TICKET#*', 'INBOUND#refusals'] } },
      },
    ]);
    // Only it signs people out and deletes accounts.
    for (const action of ['cognito-idp:AdminUserGlobalSignOut', 'cognito-idp:AdminDeleteUser']) {
      expect(
        roles.filter((id) => statementsOfRole(id).some((s) => asArray(s.Action).includes(action))),
        action,
      ).toEqual([erasure]);
    }
    for (const id of broad) {
      expect(
        statementsOfRole(id, 'Deny').filter((st) => !st.Condition),
        id,
      ).toEqual([{ Effect: 'Deny', Action: ['dynamodb:BatchWriteItem', 'dynamodb:DeleteItem'], Resource: { 'Fn::GetAtt': [logicalId(stack.data.table), 'Arn'] } }]);
    }
  });

  it('only what measures or reports availability may read the probe targets item: every other function reading the table is denied it', () => {
    const deniesTargets = (role: IConstruct) =>
      statementsOfRole(logicalId(role), 'Deny').some(
        (st) => asArray(st.Action).includes('dynamodb:GetItem') && JSON.stringify(st.Condition) === JSON.stringify({ 'ForAnyValue:StringLike': { 'dynamodb:LeadingKeys': ['SETTINGS#*'] } }),
      );
    const readers = [stack.probe.probe, stack.alerts.relay, stack.reports.reportFunction, stack.api.capabilities.get('availability')!];
    for (const fn of readers) expect(deniesTargets(fn.role), fn.node.path).toBe(false);
    const others = [...stack.api.capabilities.values(), stack.timers.timerFunction, stack.reports.checkFunction].filter((fn) => !readers.includes(fn));
    expect(others.length).toBeGreaterThanOrEqual(7);
    for (const fn of others) expect(deniesTargets(fn.role), fn.node.path).toBe(true);
    // The routes that read them are the availability function's.
    expect(ROUTES.filter((r) => r.probeTargets).map((r) => r.capability)).toEqual(['availability', 'availability', 'availability']);
  });
});

describe('alarms to the operations topic', () => {
  const props = (alarm: IConstruct) => resources[logicalId(alarm)]!.Properties as Json;
  const operations = () => [{ Ref: logicalId(stack.operations.topic) }];
  const custom = (metricName: string) => ({ Namespace: 'sla-desk/test', MetricName: metricName, Dimensions: [{ Name: 'service', Value: 'sla-desk' }] });

  it('page on an API 5xx rate over 1% of at least 10 requests in five minutes', () => {
    const alarm = props(stack.monitoring.apiErrorRateAlarm);
    expect(alarm).toMatchObject({ Threshold: 1, ComparisonOperator: 'GreaterThanThreshold', EvaluationPeriods: 1, AlarmActions: operations() });
    const metrics = alarm.Metrics as Json[];
    expect(metrics.find((m) => m.ReturnData !== false && m.Expression)!.Expression).toBe('IF(requests >= 10, 100 * FILL(errors, 0) / requests, 0)');
    const stats = Object.fromEntries(metrics.filter((m) => m.MetricStat).map((m) => [m.Id, m.MetricStat]));
    expect(stats.errors).toMatchObject({
      Metric: { Namespace: 'AWS/ApiGateway', MetricName: '5xx', Dimensions: [{ Name: 'ApiId', Value: { Ref: logicalId(stack.api.api) } }] },
      Period: 300,
      Stat: 'Sum',
    });
    expect(stats.requests).toMatchObject({ Metric: { Namespace: 'AWS/ApiGateway', MetricName: 'Count' }, Period: 300, Stat: 'Sum' });
  });

  it('page on p99 latency over 3 s', () => {
    expect(props(stack.monitoring.apiLatencyAlarm)).toMatchObject({
      Namespace: 'AWS/ApiGateway',
      MetricName: 'Latency',
      ExtendedStatistic: 'p99',
      Threshold: 3000,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 3,
      DatapointsToAlarm: 2,
      AlarmActions: operations(),
    });
  });

  it('page on any Lambda throttle in the account', () => {
    const alarm = props(stack.monitoring.throttlesAlarm);
    expect(alarm).toMatchObject({ Namespace: 'AWS/Lambda', MetricName: 'Throttles', Statistic: 'Sum', Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold', AlarmActions: operations() });
    expect(alarm.Dimensions).toBeUndefined();
  });

  it('page on failing alert delivery, probe failures, missing samples, availability below 99.5% and a missing monthly report', () => {
    expect(props(stack.monitoring.alertDeliveryAlarm)).toMatchObject({
      ...custom('AlertDeliveryFailures'),
      Statistic: 'Sum',
      Period: 900,
      Threshold: 3,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: operations(),
    });
    expect(props(stack.monitoring.probeFailuresAlarm)).toMatchObject({
      ...custom('ProbeFailures'),
      Statistic: 'Sum',
      Threshold: 1,
      EvaluationPeriods: 2,
      DatapointsToAlarm: 2,
      AlarmActions: operations(),
    });
    expect(props(stack.monitoring.probeSamplesMissingAlarm)).toMatchObject({
      ...custom('ProbeSamplesMissing'),
      Statistic: 'Sum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: operations(),
    });
    expect(props(stack.monitoring.availabilityAlarm)).toMatchObject({
      ...custom('AvailabilityMonthToDate'),
      Statistic: 'Minimum',
      Period: 3600,
      Threshold: 99.5,
      ComparisonOperator: 'LessThanThreshold',
      AlarmActions: operations(),
    });
    expect(props(stack.monitoring.reportsMissingAlarm)).toMatchObject({
      ...custom('MonthlyReportsMissing'),
      Statistic: 'Maximum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: operations(),
    });
  });

  it("every alarm pages on-call, named under the stage's prefix: sla-desk-<stage>/ and its construct path", () => {
    const alarms = ofType('AWS::CloudWatch::Alarm');
    expect(alarms.length).toBeGreaterThanOrEqual(18);
    for (const [id, alarm] of alarms) {
      expect(alarm.Properties.AlarmActions, id).toEqual(operations());
      expect(alarm.Properties.AlarmName, id).toMatch(/^sla-desk-test\/./);
    }
    expect(props(stack.monitoring.apiErrorRateAlarm).AlarmName).toBe('sla-desk-test/Monitoring/ApiErrorRateAlarm');
    expect(props(stack.deadLettersAlarm).AlarmName).toBe('sla-desk-test/Operations/DeadLettersAlarm');
    // Alarm names are unique per account and region.
    expect(new Set(alarms.map(([, a]) => a.Properties.AlarmName)).size).toBe(alarms.length);
  });

  it("the topic lets CloudWatch publish in one statement, for this account's alarms named under the prefix", () => {
    expect(operationsTopicAllows(template, logicalId(stack.operations.topic))).toEqual([
      {
        Effect: 'Allow',
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: 'sns:Publish',
        Resource: { Ref: logicalId(stack.operations.topic) },
        Condition: {
          ArnLike: { 'aws:SourceArn': 'arn:aws:cloudwatch:eu-north-1:123456789012:alarm:sla-desk-test/*' },
          StringEquals: { 'aws:SourceAccount': '123456789012' },
        },
        Sid: expect.any(String),
      },
    ]);
  });

  it("with an alarm per function (functionAlarms) the topic policy is still one statement, inside SNS's policy quotas", () => {
    // Amazon SNS Developer Guide, "Amazon SNS API permissions: Actions and resources reference", Policy quotas:
    // at most 100 statements and 30 KB per policy. One statement per alarm made 106 statements and ~44 KB.
    const big = new SlaDeskStack(new App({ context: { ...PROJECT_CONTEXT, 'aws:cdk:bundling-stacks': [], functionAlarms: 'true' } }), 'SlaDesk-big', {
      stage: 'big',
      env: { account: '123456789012', region: 'eu-north-1' },
    });
    const bigTemplate = Template.fromStack(big);
    const alarms = Object.entries(bigTemplate.findResources('AWS::CloudWatch::Alarm'));
    // More alarms than a policy of one statement each would comfortably hold, and each named under the prefix.
    expect(alarms.length).toBeGreaterThan(30);
    for (const [id, alarm] of alarms) {
      const name = alarm.Properties.AlarmName as string;
      expect(name, id).toMatch(/^sla-desk-big\/./);
      // PutMetricAlarm: AlarmName is 1–255 characters.
      expect(name.length, id).toBeLessThanOrEqual(255);
    }
    const topicId = big.resolve((big.operations.topic.node.defaultChild as CfnElement).logicalId) as string;
    expect(operationsTopicAllows(bigTemplate, topicId)).toHaveLength(1);
    const [[, policy]] = Object.entries(bigTemplate.findResources('AWS::SNS::TopicPolicy', { Properties: { Topics: [{ Ref: topicId }] } })) as [[string, Json]];
    const document = policy.Properties.PolicyDocument as Json;
    expect(document.Statement.length).toBeLessThanOrEqual(100);
    // Resolved as AWS stores it: an ARN is about 80 characters where the template has a reference.
    expect(JSON.stringify(document).replace(/\{"(Ref|Fn::GetAtt)":[^{}]*\}/g, 'x'.repeat(80)).length).toBeLessThan(30 * 1024);
  });

  it('a development stage has no dashboard and no per-function alarms by default', () => {
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 0);
    expect(stack.monitoring.functionAlarms).toEqual([]);
  });
});

describe('the dashboard', () => {
  const dashboardName = (env: { account?: string; region?: string }) => {
    const app = new App({ context: { ...PROJECT_CONTEXT, 'aws:cdk:bundling-stacks': [], dashboard: 'true' } });
    const withDashboard = new SlaDeskStack(app, 'SlaDesk-test', { stage: 'test', env });
    const dashboards = Object.values(Template.fromStack(withDashboard).findResources('AWS::CloudWatch::Dashboard'));
    expect(dashboards).toHaveLength(1);
    return dashboards[0]!.Properties.DashboardName as unknown;
  };

  // Dashboard names are unique per account, across regions: the same stage deployed in two regions needs two names.
  it('is named for its stage and region', () => {
    expect(dashboardName({ account: '123456789012', region: 'eu-north-1' })).toBe('sla-desk-test-eu-north-1');
  }, 60_000);

  it('joins the region in when the stack is environment-agnostic', () => {
    expect(dashboardName({})).toEqual({ 'Fn::Join': ['', ['sla-desk-test-', { Ref: 'AWS::Region' }]] });
  }, 60_000);
});

describe('the monthly report check', () => {
  it("runs on the 1st at 07:00 Copenhagen time, reads the table only, with the report function's settings, guarded and paging", () => {
    const schedule = resources[logicalId(stack.reports.checkInvocation.schedule)]!.Properties;
    expect([schedule.ScheduleExpression, schedule.ScheduleExpressionTimezone]).toEqual(['cron(0 7 1 * ? *)', 'Europe/Copenhagen']);
    expect(schedule.Target.Arn).toEqual(getAtt(stack.reports.checkFunction.fn));
    expect(resources[logicalId(stack.reports.checkErrorsAlarm)]!.Properties.AlarmActions).toEqual([{ Ref: logicalId(stack.operations.topic) }]);
    const env = (fn: IConstruct) => resources[logicalId(fn)]!.Properties.Environment.Variables as Json;
    const report = env(stack.reports.reportFunction.fn);
    const check = env(stack.reports.checkFunction.fn);
    for (const name of ['TABLE_NAME', 'FINANCE_EMAILS', 'PROBE_TARGETS', 'SCHEDULE_GROUP', 'WARNING_SHARE', 'ONCALL_EMAILS', 'ALERT_FROM_EMAIL']) expect(check[name], name).toEqual(report[name]);
    const actions = statementsOfRole(logicalId(stack.reports.checkFunction.role)).flatMap((s) => asArray(s.Action));
    expect(actions).toContain('dynamodb:Query');
    expect(actions.filter((a) => WRITE_ACTIONS.includes(a) || a.startsWith('s3:') || a.startsWith('ses:') || a.startsWith('sns:'))).toEqual([]);
  });
});
