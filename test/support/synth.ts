import { readFileSync } from 'node:fs';
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
