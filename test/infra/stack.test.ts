import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
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
type Statement = { Effect: string; Action: string | string[]; Resource: unknown };

const MACHINE_CLIENTS = { '4example0machine0client0id': 'ACME' };
const WRITE_ACTIONS = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];

let outdir: string;
let stack: SlaDeskStack;
let template: Template;
let resources: Record<string, Json>;

beforeAll(() => {
  outdir = mkdtempSync(join(tmpdir(), 'sla-desk-cdk-'));
  const app = new App({ outdir, context: { machineClients: MACHINE_CLIENTS } });
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

/** The logical id of a construct's CloudFormation resource. */
const logicalId = (construct: IConstruct) => stack.getLogicalId(construct.node.defaultChild as CfnElement);
const ofType = (type: string): [string, Json][] => Object.entries(resources).filter(([, r]) => r.Type === type);
const asArray = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);
const functionOf = (route: RouteSpec) => {
  const fn = stack.api.functions.get(route.id);
  if (!fn) throw new Error(`no function for route ${route.id}`);
  return fn;
};
const functionLogicalId = (route: RouteSpec) => logicalId(functionOf(route).fn);
const roleLogicalId = (route: RouteSpec) => logicalId(functionOf(route).role);

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
    const [[keyId]] = ofType('AWS::KMS::Key') as [[string, Json]];
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } },
    });
    template.hasResource('AWS::KMS::Key', {
      Properties: Match.objectLike({ EnableKeyRotation: true }),
      DeletionPolicy: 'Retain',
    });
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
    for (const name of ['ApiUrl', 'UserPoolId', 'PeopleClientId', 'MachineClientId', 'TokenEndpoint']) {
      template.hasOutput(name, {});
    }
  });
});

describe('functions', () => {
  it('are one per route: ARM64, Node.js 22, ES module bundle, own log group with retention', () => {
    template.resourceCountIs('AWS::Lambda::Function', ROUTES.length);
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
    const bundles = ROUTES.map((route) => {
      // Staged assets are named after their hash, which is also the S3 key.
      const s3Key = resources[functionLogicalId(route)]!.Properties.Code.S3Key as string;
      const file = join(outdir, `asset.${s3Key.replace(/\.zip$/, '')}`, 'index.mjs');
      expect(existsSync(file), route.id).toBe(true);
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
