/**
 * How a deployment is named, written once for the CDK app and the operator
 * CLI (which must find what the app deployed). No imports: the CLI loads this
 * without the CDK.
 */

/** A stage's name: short, since it names the stack, the schedule groups, the dashboard and the default Cognito domain, each with a length limit. */
export const STAGE_NAME = /^[a-z0-9-]{1,20}$/;
export const STAGE_NAME_RULE = '1–20 lower-case letters, digits and dashes';

/** The CloudFormation stack of a stage. */
export const stackName = (stage: string) => `SlaDesk-${stage}`;

/**
 * Where a stage is deployed unless `-c region=` says otherwise: Stockholm, the
 * EU region closest to Danish customers.
 */
export const DEFAULT_REGION = 'eu-north-1';
