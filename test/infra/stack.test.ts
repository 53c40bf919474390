import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, type CfnElement, Validations } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES, type RouteSpec } from '../../functions/handlers/http/routes';
import { SlaDeskStack } from '../../lib/sla-desk-stack';

/* Synthesised once for the file, offline: explicit account and region mean no lookups. */

type Json = Record<string, any>;
type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Condition?: Json };

const MACHINE_CLIENTS = { '4example0machine0client0id': 'ACME' };
const ON_CALL = ['oncall@example.com', 'second-line@example.com'];
const ALERT_FROM = 'sla-desk@alerts.example.com';
const PROBE_TARGETS = [{ name: 'portal', url: 'https://portal.example.com/health', timeoutMs: 3000 }];
/** The routes that arm SLA timers; nothing else in the API may touch Scheduler. */
const ARMING_ROUTES = ['create-ticket', 'update-ticket', 'add-comment'];
const WRITE_ACTIONS = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];

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
    context: { ...PROJECT_CONTEXT, machineClients: MACHINE_CLIENTS, onCallEmails: ON_CALL.join(', '), warningShare: '0.8', alertFromEmail: ALERT_FROM, sesIdentity: 'example.com', probeTargets: JSON.stringify(PROBE_TARGETS) },
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
  const fn = stack.api.functions.get(route.id);
  if (!fn) throw new Error(`no function for route ${route.id}`);
  return fn;
};
const functionLogicalId = (route: RouteSpec) => logicalId(functionOf(route).fn);
const roleLogicalId = (route: RouteSpec) => logicalId(functionOf(route).role);
const routeById = (id: string) => ROUTES.find((r) => r.id === id)!;
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

/** Every Allow statement attached to a role: its inline policies and the AWS::IAM::Policy resources naming it. */
function statementsOfRole(roleId: string): Statement[] {
  const inline = (resources[roleId]?.Properties?.Policies ?? []).flatMap((p: Json) => p.PolicyDocument.Statement);
  const attached = ofType('AWS::IAM::Policy')
    .filter(([, p]) => (p.Properties.Roles as Json[]).some((r) => r.Ref === roleId))
    .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as Statement[]);
  return [...inline, ...attached].filter((s: Statement) => s.Effect === 'Allow');
}

describe('data', () => {
  it('is one table, PK/SK with two string GSIs projecting ALL, on demand, with TTL on expiresAt', () => {
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: 'PK', KeyType: 'HASH' },
        { AttributeName: 'SK', KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      GlobalSecondaryIndexes: [1, 2].map((n) => ({
        IndexName: `GSI${n}`,
        KeySchema: [
          { AttributeName: `GSI${n}PK`, KeyType: 'HASH' },
          { AttributeName: `GSI${n}SK`, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      })),
      AttributeDefinitions: Match.arrayWith(
        ['PK', 'SK', 'GSI1PK', 'GSI1SK', 'GSI2PK', 'GSI2SK'].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
      ),
    });
  });

  it('has point-in-time recovery, deletion protection and is retained', () => {
    template.hasResource('AWS::DynamoDB::Table', {
      Properties: Match.objectLike({
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: true,
      }),
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });

  it('is encrypted with a retained, rotating customer managed key', () => {
    const keyId = logicalId(stack.data.key);
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } },
    });
    expect(resources[keyId]).toMatchObject({ Properties: { EnableKeyRotation: true }, DeletionPolicy: 'Retain' });
  });
});

describe('api', () => {
  it('has exactly the routes of the route table, JWT where authenticated and NONE elsewhere', () => {
    template.resourceCountIs('AWS::ApiGatewayV2::Route', ROUTES.length);
    const [[authorizerId]] = ofType('AWS::ApiGatewayV2::Authorizer') as [[string, Json]];
    for (const route of ROUTES) {
      template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
        RouteKey: `${route.method} ${route.path}`,
        AuthorizationType: route.authenticated ? 'JWT' : 'NONE',
        AuthorizerId: route.authenticated ? { Ref: authorizerId } : Match.absent(),
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

  it('validates Cognito tokens from the user pool for both app clients', () => {
    const pool = logicalId(stack.identity.userPool);
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: {
        Issuer: { 'Fn::Join': ['', ['https://cognito-idp.eu-north-1.amazonaws.com/', { Ref: pool }]] },
        Audience: [
          { Ref: logicalId(stack.identity.peopleClient) },
          { Ref: logicalId(stack.identity.machineClient) },
        ],
      },
    });
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
    expect(format).toMatchObject({ requestId: '$context.requestId', routeKey: '$context.routeKey', status: '$context.status' });
  });

  it('outputs the API URL, user pool and client ids', () => {
    for (const name of ['ApiUrl', 'UserPoolId', 'PeopleClientId', 'MachineClientId', 'TokenEndpoint', 'ScheduleGroupName', 'BreachTopicArn', 'ProbeFunctionName']) {
      template.hasOutput(name, {});
    }
  });
});

describe('functions', () => {
  it('are one per route plus the timer, the relay and the probe: ARM64, Node.js 22, ES module bundle, own log group with retention', () => {
    template.resourceCountIs('AWS::Lambda::Function', ROUTES.length + 3);
    for (const [, fn] of ofType('AWS::Lambda::Function')) {
      const p = fn.Properties;
      expect(p.Architectures).toEqual(['arm64']);
      expect(p.Runtime).toBe('nodejs22.x');
      expect(p.Handler).toBe('index.handler');
      const logGroupId = p.LoggingConfig.LogGroup.Ref as string;
      expect(resources[logGroupId]!.Properties.RetentionInDays).toBeGreaterThan(0);
    }
  });

  it('get the configuration they need', () => {
    const pool = logicalId(stack.identity.userPool);
    const table = logicalId(stack.data.table);
    for (const route of ROUTES) {
      template.hasResourceProperties('AWS::Lambda::Function', {
        Description: `sla-desk ${route.method} ${route.path}`,
        Environment: {
          Variables: {
            TABLE_NAME: { Ref: table },
            AUTH_ISSUER: { 'Fn::Join': ['', ['https://cognito-idp.eu-north-1.amazonaws.com/', { Ref: pool }]] },
            MACHINE_CLIENTS: JSON.stringify(MACHINE_CLIENTS),
            POWERTOOLS_SERVICE_NAME: 'sla-desk',
            LOG_LEVEL: 'INFO',
            NODE_OPTIONS: '--enable-source-maps',
          },
        },
      });
    }
  });

  it('all get the SLA timer settings they parse at cold start', () => {
    const timerArn = `arn:aws:lambda:eu-north-1:123456789012:function:sla-desk-test-sla-timer`;
    for (const [id, fn] of ofType('AWS::Lambda::Function')) {
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

  it('use no managed policies', () => {
    for (const [, role] of ofType('AWS::IAM::Role')) expect(role.Properties.ManagedPolicyArns).toBeUndefined();
  });

  it('never get DynamoDB actions on Resource "*"', () => {
    const statements = [
      ...ofType('AWS::IAM::Policy').flatMap(([, p]) => p.Properties.PolicyDocument.Statement as Statement[]),
      ...ofType('AWS::IAM::Role').flatMap(([, r]) => (r.Properties.Policies ?? []).flatMap((p: Json) => p.PolicyDocument.Statement)),
    ];
    const offending = statements.filter(
      (s) => asArray(s.Action).some((a) => a.startsWith('dynamodb:') || a === '*') && asArray(s.Resource).includes('*'),
    );
    expect(offending).toEqual([]);
  });

  it('may write to the table only where the route table says the route writes', () => {
    for (const route of ROUTES) {
      const actions = statementsOfRole(roleLogicalId(route)).flatMap((s) => asArray(s.Action));
      expect(actions, route.id).toContain('dynamodb:Query');
      const writes = actions.filter((a) => WRITE_ACTIONS.includes(a) || a === 'dynamodb:*');
      if (route.writes) expect(writes, route.id).toContain('dynamodb:PutItem');
      else expect(writes, route.id).toEqual([]);
    }
  });

  it('bundle into ES modules that load and export a handler', () => {
    const functions = [...ROUTES.map(functionOf), stack.timers.timerFunction, stack.alerts.relay, stack.probe.probe];
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
        AUTH_ISSUER: 'https://cognito-idp.eu-north-1.amazonaws.com/eu-north-1_example',
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
  const armingRoleIds = () => [...ARMING_ROUTES.map((id) => roleLogicalId(routeById(id))), logicalId(stack.timers.timerFunction.role)].sort();

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
    const schedulerStatements = ofType('AWS::IAM::Role').flatMap(([id]) =>
      statementsOfRole(id).filter((s) => asArray(s.Action).some((a) => a.startsWith('scheduler:'))),
    );
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
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('page on-call through the encrypted operations topic as soon as one timer is on the dead-letter queue', () => {
    const topicId = logicalId(stack.timers.operationsTopic);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: getAtt(stack.timers.deadLetterQueue, 'QueueName') }],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: [{ Ref: topicId }],
    });
    expect(resources[topicId]!.Properties.KmsMasterKeyId).toBeDefined();
    for (const email of ON_CALL) {
      template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: email, TopicArn: { Ref: topicId } });
    }
    // The SSL-only topic policy replaces the default one, so the alarm needs its own allow.
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: topicId }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: 'sns:Publish' }),
        ]),
      },
    });
  });
});

describe('alerts', () => {
  const deliverers = () => [logicalId(stack.timers.timerFunction.role), logicalId(stack.alerts.relay.role)].sort();

  it('go to a breach topic under a rotating customer managed key', () => {
    const topic = resources[logicalId(stack.alerts.breachTopic)]!.Properties;
    expect(topic.KmsMasterKeyId).toEqual(getAtt(stack.alerts.key));
    expect(resources[logicalId(stack.alerts.key)]!.Properties.EnableKeyRotation).toBe(true);
  });

  it('are sent from an SES identity taken from context', () => {
    template.hasResourceProperties('AWS::SES::EmailIdentity', { EmailIdentity: 'example.com' });
  });

  it('are relayed from the outbox every minute by a schedule with its own invoke-only role', () => {
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
    expect(statements.flatMap((s) => asArray(s.Action))).toEqual(['lambda:InvokeFunction']);
    expect(statements.map((s) => s.Resource)).toEqual([relayArn]);
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
      expect(actions.filter((a) => a.startsWith('sns:') || a.startsWith('ses:')), id).toEqual([]);
    }
  });

  it('may publish to the breach topic only, and email only from the alert address through the identity', () => {
    const identityId = logicalId(stack.alerts.emailIdentity);
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
  const operations = () => ({ Ref: logicalId(stack.timers.operationsTopic) });

  it('checks the API\'s own health route and the context targets, with the table and timer settings its configuration needs', () => {
    const props = resources[logicalId(stack.probe.probe.fn)]!.Properties;
    expect(props.Timeout).toBe(60);
    const env = props.Environment.Variables as Json;
    expect(flat(env.API_HEALTH_URL)).toBe(`https://<${logicalId(stack.api.api)}>.execute-api.eu-north-1.<AWS::URLSuffix>/health`);
    expect(JSON.parse(env.PROBE_TARGETS as string)).toEqual(PROBE_TARGETS);
    expect(env).toMatchObject({ TABLE_NAME: { Ref: logicalId(stack.data.table) }, SCHEDULE_GROUP: 'sla-desk-test' });
  });

  it('may only put sample items into the table, and use the table key only through DynamoDB', () => {
    const statements = statementsOfRole(probeRoleId());
    for (const statement of statements) expect(asArray(statement.Resource), JSON.stringify(statement.Action)).not.toContain('*');
    const dynamo = statements.filter((s) => asArray(s.Action).some((a) => a.startsWith('dynamodb:')));
    expect(dynamo.flatMap((s) => asArray(s.Action))).toEqual(['dynamodb:PutItem']);
    expect(dynamo[0]!.Resource).toEqual(getAtt(stack.data.table));
    expect(dynamo[0]!.Condition).toEqual({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['SAMPLES#*'] } });
    const kms = statements.filter((s) => asArray(s.Action).some((a) => a.startsWith('kms:')));
    expect(kms.flatMap((s) => asArray(s.Action)).sort()).toEqual(['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey*']);
    for (const statement of kms) {
      expect(statement.Resource).toEqual(getAtt(stack.data.key));
      expect(flat(statement.Condition!.StringEquals['kms:ViaService'])).toBe('dynamodb.eu-north-1.<AWS::URLSuffix>');
    }
    // Nothing else of the app's: no Scheduler, no alerts.
    const others = statements.flatMap((s) => asArray(s.Action)).filter((a) => !/^(dynamodb|kms|logs):/.test(a));
    expect(others).toEqual([]);
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

  it('is started through a role that may only invoke the probe, for this account and group', () => {
    const roleId = logicalId(stack.probe.invokeRole);
    const trust = resources[roleId]!.Properties.AssumeRolePolicyDocument.Statement as Json[];
    expect(trust).toHaveLength(1);
    expect(trust[0]).toMatchObject({
      Principal: { Service: 'scheduler.amazonaws.com' },
      Condition: { StringEquals: { 'aws:SourceAccount': '123456789012', 'aws:SourceArn': getAtt(stack.probe.group) } },
    });
    const statements = statementsOfRole(roleId);
    expect(statements.flatMap((s) => asArray(s.Action))).toEqual(['lambda:InvokeFunction']);
    expect(statements.map((s) => s.Resource)).toEqual([probeArn()]);
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
    // The SSL-only topic policy lets CloudWatch publish for each alarm by name.
    const allowed = ofType('AWS::SNS::TopicPolicy')
      .filter(([, p]) => JSON.stringify(p.Properties.Topics) === JSON.stringify([operations()]))
      .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as Statement[])
      .filter((s) => s.Effect === 'Allow' && asArray(s.Action).includes('sns:Publish'))
      .map((s) => s.Condition?.ArnEquals?.['aws:SourceArn']);
    for (const alarm of [stack.probe.errorsAlarm, stack.probe.missingSamplesAlarm, stack.timers.deadLetterAlarm]) {
      expect(allowed).toContainEqual(getAtt(alarm));
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
  it('is an admin-only pool with a strong password policy, required MFA and threat protection', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      MfaConfiguration: 'ON',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
      UserPoolTier: 'PLUS',
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

  it('has the sla-desk resource server with the tickets scope, and a domain for its token endpoint', () => {
    template.hasResourceProperties('AWS::Cognito::UserPoolResourceServer', {
      Identifier: 'sla-desk',
      Scopes: [Match.objectLike({ ScopeName: 'tickets' })],
    });
    template.hasResourceProperties('AWS::Cognito::UserPoolDomain', { Domain: 'sla-desk-test-123456789012' });
  });

  it('has a secretless people client and a client-credentials machine client with sla-desk/tickets', () => {
    const server = logicalId(stack.identity.resourceServer);
    const ticketsScope = { 'Fn::Join': ['', [{ Ref: server }, '/tickets']] };
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: false,
      AllowedOAuthFlows: ['code'],
      ExplicitAuthFlows: Match.arrayWith(['ALLOW_USER_SRP_AUTH']),
    });
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: true,
      AllowedOAuthFlows: ['client_credentials'],
      AllowedOAuthScopes: [ticketsScope],
      // No person can sign in through the machine client.
      ExplicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH'],
    });
  });
});

describe('cdk-nag AwsSolutions', () => {
  it('reports no unacknowledged errors or warnings', () => {
    const report = new AwsSolutionsChecks().validateScope(stack);
    const findings = report.violations.map(
      (v) => `${v.severity} ${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath).join(', ')}`,
    );
    expect(findings).toEqual([]);
    expect(report.success).toBe(true);
  });

  it('every acknowledgement carries a written reason', () => {
    const acknowledgements: [string, string][] = [];
    const visit = (c: IConstruct) => {
      for (const entry of c.node.metadata) {
        if (entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY) {
          acknowledgements.push(...Object.entries(entry.data as Record<string, string>));
        }
      }
      c.node.children.forEach(visit);
    };
    visit(stack);
    expect(acknowledgements.length).toBeGreaterThan(0);
    for (const [id, reason] of acknowledgements) expect(reason.length, id).toBeGreaterThan(40);
  });

  it('leaves no error annotations on the stack', () => {
    expect(Annotations.fromStack(stack).findError('*', Match.anyValue())).toEqual([]);
  });
});
