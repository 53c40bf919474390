import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { SlaDeskStack } from '../../lib/sla-desk-stack';

type Json = Record<string, any>;

/** The feature flags and settings of cdk.json, as `cdk synth` applies them. */
const PROJECT_CONTEXT = (JSON.parse(readFileSync(join(import.meta.dirname, '../../cdk.json'), 'utf8')) as { context: Json }).context;

/**
 * A stage synthesised as test/infra/stages.test.ts does it: offline (explicit
 * account and region mean no lookups) and without bundling the functions.
 * `outdir` keeps the cloud assembly, staged assets included, where the caller
 * can read it (and must remove it).
 */
export function synthStage(stage: string, context: Record<string, unknown> = {}, outdir?: string): { stack: SlaDeskStack; template: Template; resources: Record<string, Json> } {
  const app = new App({ ...(outdir ? { outdir } : {}), context: { ...PROJECT_CONTEXT, 'aws:cdk:bundling-stacks': [], ...context } });
  const stack = new SlaDeskStack(app, `SlaDesk-${stage}`, { stage, env: { account: '123456789012', region: 'eu-north-1' } });
  const template = Template.fromStack(stack);
  return { stack, template, resources: template.toJSON().Resources as Record<string, Json> };
}

/**
 * A file the bucket deployment writes, as the cloud assembly at `outdir` stages
 * it: its text, and the deploy-time markers CDK left in it (`<<marker:…>>`),
 * each with the CloudFormation value the deployment puts in its place. Exactly
 * one of the deployment's sources may carry the file at that key, or which one
 * the bucket ends up with would depend on their order.
 */
export function deployedFile(resources: Record<string, Json>, outdir: string, key: string): { text: string; markers: Record<string, unknown>; jsonEscape: boolean } {
  const deployments = Object.values(resources).filter((r) => r.Type === 'Custom::CDKBucketDeployment');
  if (deployments.length !== 1) throw new Error(`expected one bucket deployment, found ${deployments.length}`);
  const deployment = deployments[0]!.Properties as Json;
  // A staged source is the folder its zip is made of, named after the zip's key.
  const staged = (deployment.SourceObjectKeys as string[]).map((zip) => join(outdir, `asset.${zip.replace(/\.zip$/, '')}`, key));
  const carrying = staged.flatMap((file, index) => (existsSync(file) ? [index] : []));
  if (carrying.length !== 1) throw new Error(`expected one source of the deployment to carry ${key}, found ${carrying.length}`);
  const index = carrying[0]!;
  return {
    text: readFileSync(staged[index]!, 'utf8'),
    markers: (deployment.SourceMarkers?.[index] ?? {}) as Record<string, unknown>,
    jsonEscape: (deployment.SourceMarkersConfig?.[index] as Json | undefined)?.jsonEscape === true,
  };
}

/** A deployed file's text with each marker replaced by `fill` of the value it stands for, encoded as the deployment would (JSON-escaped where its source says so). */
export function filledIn(file: { text: string; markers: Record<string, unknown>; jsonEscape: boolean }, fill: (value: unknown) => string): string {
  let text = file.text;
  for (const [marker, value] of Object.entries(file.markers)) {
    const filled = fill(value);
    text = text.replaceAll(marker, file.jsonEscape ? JSON.stringify(filled).slice(1, -1) : filled);
  }
  return text;
}

/** Everything production must be told, as `-c` passes it. */
export const PROD_CONTEXT: Readonly<Record<string, string>> = {
  sesIdentity: 'provider.example',
  alertFromEmail: 'sla-desk@provider.example',
  onCallEmails: 'oncall@provider.example',
  hypercareEscalationEmails: 'lead@provider.example',
  financeEmails: 'finance@provider.example',
  probeTargets: JSON.stringify([{ name: 'portal', url: 'https://portal.provider.example/health' }]),
  authDomainPrefix: 'provider-support',
};

/** Production with every option on: its own domain, threat protection, the user pool's WAF, per-function alarms, the dashboard. */
export const PROD_EVERY_OPTION: Readonly<Record<string, string>> = {
  ...PROD_CONTEXT,
  consoleDomain: 'support.provider.example',
  consoleCertificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/0f2b7c1e-3a4d-4e5f-8a9b-0c1d2e3f4a5b',
  threatProtection: 'true',
  userPoolWaf: 'true',
  functionAlarms: 'true',
  dashboard: 'true',
  breachTopicEmails: 'duty-phone@provider.example',
};
