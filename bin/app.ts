#!/usr/bin/env node
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { DEFAULT_REGION, stackName } from '../lib/deployment-names';
import { SlaDeskStack } from '../lib/sla-desk-stack';
import { StageConfigError } from '../lib/stage-config';
import { ensureConsole } from './local/console';

// The console's build is an asset of the stack: built here from the sources as they are, so a deploy never ships an older one.
await ensureConsole(console.error, { rebuild: true });

const app = new App();
const stage: string = app.node.tryGetContext('stage') ?? 'dev';

try {
  new SlaDeskStack(app, stackName(stage), {
    stage,
    env: {
      account: process.env.CDK_DEFAULT_ACCOUNT,
      // Not CDK_DEFAULT_REGION: the CLI fills that with us-east-1 when no region is configured.
      region: app.node.tryGetContext('region') ?? DEFAULT_REGION,
    },
  });
} catch (error) {
  // The context is wrong, not the code: one message, no stack trace.
  if (!(error instanceof StageConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}

// cdk-nag 3 is a policy validation plugin: an unacknowledged finding fails the synth.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
