import type { CfnElement } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SlaDeskStack } from '../../lib/sla-desk-stack';
import { stageConfig } from '../../lib/stage-config';
import { synthStage } from '../support/synth';

/* Retention on AWS: the table's time to live, the buckets' lifecycle, an expired attachment's bytes, and the stage's periods. */

type Json = Record<string, any>;
let stack: SlaDeskStack;
let resources: Record<string, Json>;

beforeAll(() => {
  ({ stack, resources } = synthStage('dev', { retention: { closedTickets: '6y', deliveredOutbox: '30d' } }));
}, 180_000);

const idOf = (construct: IConstruct) => stack.resolve((construct.node.defaultChild as CfnElement).logicalId) as string;
const arnOf = (construct: IConstruct) => ({ 'Fn::GetAtt': [idOf(construct), 'Arn'] });
const ofType = (type: string) => Object.values(resources).filter((r) => r.Type === type);
const statementsOf = (role: IConstruct): Json[] =>
  ofType('AWS::IAM::Policy')
    .filter((p) => (p.Properties.Roles as Json[]).some((r) => r.Ref === idOf(role)))
    .flatMap((p) => p.Properties.PolicyDocument.Statement as Json[]);
const actionsOf = (s: Json): string[] => (Array.isArray(s.Action) ? s.Action : [s.Action]);

describe('retention on AWS', () => {
  it("expires the table's items by their expiresAt (time to live), and streams the keys of what is removed", () => {
    const table = resources[idOf(stack.data.table)]!.Properties;
    expect(table.TimeToLiveSpecification).toEqual({ AttributeName: 'expiresAt', Enabled: true });
    expect(table.StreamSpecification).toEqual({ StreamViewType: 'KEYS_ONLY' });
  });

  it('keeps lifecycle rules on the attachment bucket (incomplete and rejected uploads) and the raw inbound emails (30 days)', () => {
    const rules = resources[idOf(stack.attachments.bucket)]!.Properties.LifecycleConfiguration.Rules as Json[];
    expect(rules.map((r) => r.Id)).toEqual(['abort-incomplete-uploads', 'remove-rejected']);
    const inbound = synthStage('dev', { inboundDomain: 'support.provider.example' }).resources;
    const raw = Object.values(inbound).flatMap((r) => (r.Type === 'AWS::S3::Bucket' ? ((r.Properties.LifecycleConfiguration?.Rules ?? []) as Json[]) : []));
    expect(raw).toContainEqual(expect.objectContaining({ Id: 'raw-inbound-email', ExpirationInDays: 30 }));
  });

  it("hands the expiry function only the time to live's removals of attachment records, from the table's stream, and lets it delete attachment objects and nothing else", () => {
    const [mapping, ...others] = ofType('AWS::Lambda::EventSourceMapping').filter((m) => JSON.stringify(m.Properties.FunctionName).includes(idOf(stack.attachments.expiryFunction.fn)));
    expect(others).toEqual([]);
    expect(mapping!.Properties).toMatchObject({
      EventSourceArn: { 'Fn::GetAtt': [idOf(stack.data.table), 'StreamArn'] },
      BisectBatchOnFunctionError: true,
      DestinationConfig: { OnFailure: { Destination: arnOf(stack.operations.failedInvocations) } },
    });
    expect(mapping!.Properties.FilterCriteria.Filters.map((f: Json) => JSON.parse(f.Pattern))).toEqual([
      {
        eventName: ['REMOVE'],
        userIdentity: { type: ['Service'], principalId: ['dynamodb.amazonaws.com'] },
        dynamodb: { Keys: { SK: { S: [{ prefix: 'ATTACHMENT#' }] } } },
      },
    ]);
    const allowed = statementsOf(stack.attachments.expiryFunction.role).filter((s) => s.Effect === 'Allow');
    const s3 = allowed.filter((s) => actionsOf(s).some((a) => a.startsWith('s3:')));
    expect(s3).toEqual([expect.objectContaining({ Action: 's3:DeleteObject', Resource: { 'Fn::Join': ['', [arnOf(stack.attachments.bucket), '/tickets/*']] } })]);
    // No write to the table: it reads the stream alone.
    expect(allowed.filter((s) => actionsOf(s).some((a) => /^dynamodb:(Put|Update|Delete|BatchWrite)/.test(a)))).toEqual([]);
    expect(resources[idOf(stack.attachments.expiryFunction.fn)]!.Properties.Environment.Variables.ATTACHMENT_BUCKET).toEqual({ Ref: idOf(stack.attachments.bucket) });
  });

  it("gives every function the stage's periods as RETENTION, written out in full, and none without the context", () => {
    const functions = ofType('AWS::Lambda::Function').filter((f) => f.Properties.Environment?.Variables?.POWERTOOLS_SERVICE_NAME);
    expect(functions.length).toBeGreaterThan(10);
    for (const fn of functions) expect(fn.Properties.Environment.Variables.RETENTION).toBe('closedTickets=6y,attachments=1y,deliveredOutbox=30d');
    const plain = synthStage('dev').resources;
    expect(Object.values(plain).filter((r) => r.Type === 'AWS::Lambda::Function' && r.Properties.Environment?.Variables?.RETENTION)).toEqual([]);
  });
});

describe('the retention context', () => {
  const config = (context: Record<string, unknown>) => stageConfig('dev', (key) => context[key]);
  it('is read from cdk.json (an object) or -c (kind=period, comma-separated), and refused when malformed, with what it takes', () => {
    expect(config({}).retention).toBeUndefined();
    expect(config({ retention: { attachments: '90d' } }).retention).toBe('closedTickets=5y,attachments=90d,deliveredOutbox=90d');
    expect(config({ retention: 'closedTickets=10y' }).retention).toBe('closedTickets=10y,attachments=1y,deliveredOutbox=90d');
    expect(() => config({ retention: 'tickets=5y' })).toThrow(/context retention: retention is kind=period/);
    expect(() => config({ retention: { closedTickets: '1y', attachments: '2y' } })).toThrow(/context retention: .*attachments may not be longer/);
  });
});
