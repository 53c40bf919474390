import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { HttpApi, HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Template } from 'aws-cdk-lib/assertions';
import { UserPool } from 'aws-cdk-lib/aws-cognito';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { AUTHORIZER_RESULT_TTL_SECONDS, REVOCATION_EFFECTIVE_WITHIN_SECONDS } from '#handlers/auth/integration-assertions';
import { SlaDeskAuthorizer } from '../../lib/authorizer';
import { SlaDeskData } from '../../lib/data';

/* The authorizer construct on its own, wired to one route the way lib/api.ts wires every authenticated route. */

type Json = Record<string, any>;
const PROJECT_CONTEXT = (JSON.parse(readFileSync(join(import.meta.dirname, '../../cdk.json'), 'utf8')) as { context: Json }).context;

let stack: Stack;
let authorizer: SlaDeskAuthorizer;
let template: Template;
let resources: Record<string, Json>;
const logicalId = (construct: { node: { defaultChild?: unknown } }) => stack.getLogicalId(construct.node.defaultChild as never);

beforeAll(() => {
  const app = new App({ context: { ...PROJECT_CONTEXT, 'aws:cdk:bundling-stacks': [] } });
  stack = new Stack(app, 'Authorizer', { env: { account: '123456789012', region: 'eu-north-1' } });
  const data = new SlaDeskData(stack, 'Data', { retain: false });
  const pool = new UserPool(stack, 'Pool');
  const people = pool.addClient('People');
  authorizer = new SlaDeskAuthorizer(stack, 'Authorizer', { functions: { stage: 'test' }, table: data.table, userPool: pool, peopleClient: people });
  const api = new HttpApi(stack, 'Api');
  const route = new LambdaFunction(stack, 'Route', { runtime: Runtime.NODEJS_22_X, handler: 'index.handler', code: Code.fromInline('export const handler = async () => ({})') });
  api.addRoutes({ path: '/tickets', methods: [HttpMethod.GET], integration: new HttpLambdaIntegration('Tickets', route), authorizer: authorizer.authorizer });
  template = Template.fromStack(stack);
  resources = template.toJSON().Resources;
});

describe('the Lambda authorizer', () => {
  it('is a REQUEST authorizer with payload 2.0 and simple responses, on the Authorization header, answers cached 30 s', () => {
    // API Gateway Developer Guide, "Control access to HTTP APIs with AWS Lambda authorizers": without the identity
    // source API Gateway answers 401 and does not invoke the authorizer; the TTL caches answers by that header.
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'REQUEST',
      AuthorizerPayloadFormatVersion: '2.0',
      EnableSimpleResponses: true,
      IdentitySource: ['$request.header.Authorization'],
      AuthorizerResultTtlInSeconds: AUTHORIZER_RESULT_TTL_SECONDS,
    });
    expect(AUTHORIZER_RESULT_TTL_SECONDS).toBeLessThanOrEqual(30);
    expect(REVOCATION_EFFECTIVE_WITHIN_SECONDS).toBeLessThanOrEqual(60);
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: 'GET /tickets', AuthorizationType: 'CUSTOM' });
  });

  it("knows the pool's issuer, the people client and its stage's audience", () => {
    const env = resources[logicalId(authorizer.function.fn)]!.Properties.Environment.Variables as Json;
    expect(env).toMatchObject({
      AUTH_ISSUER: { 'Fn::Join': ['', ['https://cognito-idp.eu-north-1.', { Ref: 'AWS::URLSuffix' }, '/', { Ref: expect.stringMatching(/^Pool/) }]] },
      PEOPLE_CLIENT_ID: { Ref: expect.stringMatching(/^PoolPeople/) },
      INTEGRATION_AUDIENCE: 'urn:sla-desk:test',
      TABLE_NAME: { Ref: expect.stringMatching(/^DataTable/) },
    });
    expect(authorizer.audience).toBe('urn:sla-desk:test');
  });

  it("may read integration items and read and write people's records, nothing else: GetItem under INTEGRATION#, BatchGetItem and UpdateItem under PERSON#, the table's key through DynamoDB only", () => {
    const role = logicalId(authorizer.function.role);
    const statements = Object.values(template.findResources('AWS::IAM::Policy'))
      .filter((p) => (p.Properties.Roles as Json[]).some((r) => r.Ref === role))
      .flatMap((p) => p.Properties.PolicyDocument.Statement as Json[]);
    const data = statements.filter((s) => [s.Action].flat().some((a: string) => a.startsWith('dynamodb:') || a.startsWith('kms:')));
    expect(data).toEqual([
      {
        Effect: 'Allow',
        Action: 'dynamodb:GetItem',
        Resource: { 'Fn::GetAtt': [expect.stringMatching(/^DataTable/), 'Arn'] },
        Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['INTEGRATION#*'] } },
      },
      {
        Effect: 'Allow',
        Action: ['dynamodb:BatchGetItem', 'dynamodb:UpdateItem'],
        Resource: { 'Fn::GetAtt': [expect.stringMatching(/^DataTable/), 'Arn'] },
        Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['PERSON#*'] } },
      },
      {
        Effect: 'Allow',
        Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey*'],
        Resource: { 'Fn::GetAtt': [expect.stringMatching(/^DataTableKey/), 'Arn'] },
        Condition: { StringEquals: { 'kms:ViaService': { 'Fn::Join': ['', ['dynamodb.eu-north-1.', { Ref: 'AWS::URLSuffix' }]] } } },
      },
    ]);
  });

  it('may be invoked by this API only', () => {
    template.hasResourceProperties('AWS::Lambda::Permission', {
      FunctionName: { 'Fn::GetAtt': [logicalId(authorizer.function.fn), 'Arn'] },
      Principal: 'apigateway.amazonaws.com',
    });
  });
});
