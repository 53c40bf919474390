#!/usr/bin/env node
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { SlaDeskStack } from '../lib/sla-desk-stack';

const app = new App();
const stage = app.node.tryGetContext('stage') ?? 'dev';

new SlaDeskStack(app, `SlaDesk-${stage}`, {
  stage,
  env: {
    account: process.env.CDK_DEFAULT_ACCOUNT,
    // Stockholm: the closest region to Danish customers, inside the EU.
    region: process.env.CDK_DEFAULT_REGION ?? 'eu-north-1',
  },
});

// cdk-nag 3 runs as a policy validation plugin: findings fail the synth.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
