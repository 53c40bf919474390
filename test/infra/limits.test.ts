import { beforeAll, describe, expect, it } from 'vitest';
import { CAPABILITIES, ROUTES } from '#handlers/http/routes';
import { synthStage } from '../support/synth';

/*
 * AWS's documented quotas that only a deploy would reveal, asserted on the
 * largest production stage: every option on, 50 probe targets, and 60
 * integrations (which are table items, not template resources: see
 * docs/deployment.md, Integrations). Intrinsic functions are resolved to realistic
 * lengths (an ARN is about 80 characters), so a size that fits here fits there.
 */

type Json = Record<string, any>;

const PROBE_TARGETS = Array.from({ length: 50 }, (_, i) => ({ name: `service-${i}`, url: `https://service-${i}.customer-systems.provider.example/health/check`, timeoutMs: 5_000 }));

const MAXIMAL_PROD: Record<string, string> = {
  sesIdentity: 'provider.example',
  alertFromEmail: 'sla-desk@provider.example',
  onCallEmails: 'oncall@provider.example,second-line@provider.example,duty-manager@provider.example',
  hypercareEscalationEmails: 'lead@provider.example,cto@provider.example',
  breachTopicEmails: 'duty-phone@provider.example',
  financeEmails: 'finance@provider.example,controller@provider.example',
  probeTargets: JSON.stringify(PROBE_TARGETS),
  authDomainPrefix: 'provider-support',
  authCallbackUrls: 'https://support.provider.example/',
  consoleDomain: 'support.provider.example',
  consoleCertificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/0f2b7c1e-3a4d-4e5f-8a9b-0c1d2e3f4a5b',
  dashboard: 'true',
  functionAlarms: 'true',
  userPoolWaf: 'true',
  threatProtection: 'true',
};

const ACCOUNT = '123456789012';
const REGION = 'eu-north-1';

/** A value as AWS would see it after deploy: names 64 characters, ARNs about 80. */
function realistic(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.map(realistic).join(',');
  const v = value as Json;
  if ('Ref' in v) {
    const pseudo: Record<string, string> = { 'AWS::Region': REGION, 'AWS::AccountId': ACCOUNT, 'AWS::URLSuffix': 'amazonaws.com', 'AWS::Partition': 'aws', 'AWS::StackName': 'SlaDesk-prod' };
    return pseudo[v.Ref as string] ?? 'r'.repeat(64);
  }
  if ('Fn::GetAtt' in v) {
    const attribute = String((v['Fn::GetAtt'] as string[])[1]);
    return /Arn$/.test(attribute) ? `arn:aws:service:${REGION}:${ACCOUNT}:${'a'.repeat(40)}` : 'g'.repeat(64);
  }
  if ('Fn::Join' in v) {
    const [separator, parts] = v['Fn::Join'] as [string, unknown[]];
    return parts.map(realistic).join(separator);
  }
  if ('Fn::Sub' in v) {
    const template = Array.isArray(v['Fn::Sub']) ? (v['Fn::Sub'][0] as string) : (v['Fn::Sub'] as string);
    return template.replace(/\$\{[^}]+\}/g, 's'.repeat(64));
  }
  if ('Fn::Select' in v || 'Fn::Split' in v || 'Fn::ImportValue' in v || 'Fn::FindInMap' in v) return 'f'.repeat(64);
  if ('Fn::If' in v) return realistic((v['Fn::If'] as unknown[])[1]);
  return JSON.stringify(Object.fromEntries(Object.entries(v).map(([key, inner]) => [key, typeof inner === 'object' && inner !== null ? JSON.parse(realisticJson(inner)) : inner])));
}

/** A policy document (or any JSON) with every intrinsic resolved, as the service stores it: no white space. */
function realisticJson(value: unknown): string {
  const resolve = (node: unknown): unknown => {
    if (node === null || typeof node !== 'object') return node;
    if (Array.isArray(node)) return node.map(resolve);
    const keys = Object.keys(node as Json);
    if (keys.length === 1 && (keys[0] === 'Ref' || keys[0]!.startsWith('Fn::'))) return realistic(node);
    return Object.fromEntries(Object.entries(node as Json).map(([key, inner]) => [key, resolve(inner)]));
  };
  return JSON.stringify(resolve(value));
}

let resources: Record<string, Json>;
const ofType = (type: string): [string, Json][] => Object.entries(resources).filter(([, r]) => r.Type === type);

beforeAll(() => {
  resources = synthStage('prod', MAXIMAL_PROD).resources;
}, 180_000);

describe('the largest production stage stays inside AWS quotas', () => {
  // CloudFormation: 500 resources per stack (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html).
  // The goal leaves room for 100 more.
  it('has at most 400 resources', () => {
    expect(Object.keys(resources).length).toBeLessThanOrEqual(400);
  });

  it('adds at most 2 resources per route: the route and its invoke permission; functions and integrations are per capability', () => {
    const routes = ofType('AWS::ApiGatewayV2::Route');
    // Every declared route, and $default.
    expect(routes).toHaveLength(ROUTES.length + 1);
    expect(ofType('AWS::ApiGatewayV2::Integration')).toHaveLength(CAPABILITIES.length);
    const apiPermissions = ofType('AWS::Lambda::Permission').filter(([, p]) => p.Properties.Principal === 'apigateway.amazonaws.com');
    // And the authorizer's, once.
    expect(apiPermissions).toHaveLength(routes.length + 1);
  });

  it('has no resource per integration, and no authorizer with an audience list near its limit', () => {
    // HTTP API JWT authorizers: at most 50 audiences, not adjustable (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-quotas.html).
    for (const [id, authorizer] of ofType('AWS::ApiGatewayV2::Authorizer')) {
      expect((authorizer.Properties.JwtConfiguration?.Audience ?? []).length, id).toBeLessThanOrEqual(50);
    }
    // Cognito bills every machine-to-machine app client; the people client is the only one.
    expect(ofType('AWS::Cognito::UserPoolClient')).toHaveLength(1);
  });

  it("keeps every function's environment within 4 KB", () => {
    // Lambda: 4 KB for all environment variables together, keys and values (https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html).
    for (const [id, fn] of ofType('AWS::Lambda::Function')) {
      const variables = (fn.Properties.Environment?.Variables ?? {}) as Json;
      const size = Object.entries(variables).reduce((sum, [key, value]) => sum + Buffer.byteLength(key) + Buffer.byteLength(realistic(value)), 0);
      expect(size, id).toBeLessThanOrEqual(4096);
    }
  });

  it('keeps topic policies within 30 KB and 100 statements', () => {
    // SNS topic policies (https://docs.aws.amazon.com/general/latest/gr/sns.html).
    for (const [id, policy] of ofType('AWS::SNS::TopicPolicy')) {
      const document = policy.Properties.PolicyDocument as Json;
      expect(document.Statement.length, id).toBeLessThanOrEqual(100);
      expect(Buffer.byteLength(realisticJson(document)), id).toBeLessThanOrEqual(30 * 1024);
    }
  });

  it('keeps queue policies within 8,192 bytes and 20 statements', () => {
    // SQS policy quotas (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/quotas-policies.html).
    for (const [id, policy] of ofType('AWS::SQS::QueuePolicy')) {
      const document = policy.Properties.PolicyDocument as Json;
      expect(document.Statement.length, id).toBeLessThanOrEqual(20);
      expect(Buffer.byteLength(realisticJson(document)), id).toBeLessThanOrEqual(8192);
    }
  });

  it('keeps key policies within 32 KB', () => {
    // KMS key policy document: 32 KB (https://docs.aws.amazon.com/kms/latest/developerguide/resource-limits.html).
    for (const [id, key] of ofType('AWS::KMS::Key')) {
      expect(Buffer.byteLength(realisticJson(key.Properties.KeyPolicy)), id).toBeLessThanOrEqual(32 * 1024);
    }
  });

  it("keeps each role's inline policies within 10,240 characters together", () => {
    // IAM: the aggregate size of a role's inline policies, white space excluded (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html).
    const size = new Map<string, number>();
    for (const [id, role] of ofType('AWS::IAM::Role')) {
      size.set(
        id,
        ((role.Properties.Policies ?? []) as Json[]).reduce((sum, p) => sum + realisticJson(p.PolicyDocument).length, 0),
      );
    }
    for (const [, policy] of ofType('AWS::IAM::Policy')) {
      for (const role of (policy.Properties.Roles ?? []) as Json[]) {
        const id = role.Ref as string;
        size.set(id, (size.get(id) ?? 0) + realisticJson(policy.Properties.PolicyDocument).length);
      }
    }
    expect(size.size).toBeGreaterThan(0);
    for (const [id, characters] of size) expect(characters, id).toBeLessThanOrEqual(10_240);
  });

  it('asks for at most 10 scopes on a route', () => {
    // HTTP APIs: authorization scopes per route (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-quotas.html).
    for (const [id, route] of ofType('AWS::ApiGatewayV2::Route')) expect((route.Properties.AuthorizationScopes ?? []).length, id).toBeLessThanOrEqual(10);
  });

  it("keeps the console's Content-Security-Policy within CloudFront's 1,783 characters", () => {
    // CloudFront response headers policies (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/cloudfront-limits.html).
    const [[, policy]] = ofType('AWS::CloudFront::ResponseHeadersPolicy') as [[string, Json]];
    const csp = realistic(policy.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig.ContentSecurityPolicy.ContentSecurityPolicy);
    expect(csp.length).toBeGreaterThan(100);
    expect(csp.length).toBeLessThanOrEqual(1783);
  });

  it('gives every schedule a dead-letter queue, so a delivery that fails on a role or permission is kept, not dropped', () => {
    // Scheduler drops an event it cannot deliver unless the target names a dead-letter queue
    // (https://docs.aws.amazon.com/scheduler/latest/UserGuide/configuring-schedule-dlq.html).
    const schedules = ofType('AWS::Scheduler::Schedule');
    expect(schedules.length).toBeGreaterThanOrEqual(4);
    for (const [id, schedule] of schedules) expect(schedule.Properties.Target.DeadLetterConfig?.Arn, id).toBeDefined();
  });
});
