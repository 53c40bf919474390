/**
 * Module substitutions for every Lambda bundle, shared by the CDK app and the
 * benchmark that measures the bundles. Paths are relative to the repository root.
 */
export const LAMBDA_ALIASES: Readonly<Record<string, string>> = {
  '@aws-sdk/credential-provider-node': './functions/adapters/aws/lambda-credentials.ts',
};
