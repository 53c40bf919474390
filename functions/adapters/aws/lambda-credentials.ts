import { fromEnv } from '@aws-sdk/credential-provider-env';

/**
 * Bundled in place of `@aws-sdk/credential-provider-node` (see lib/bundling.ts).
 * Lambda hands every function its role's credentials in the environment, which
 * is the first place the SDK's default chain looks; the rest of the chain (SSO,
 * profiles, STS web identity, container and instance metadata) would only add
 * about 80 KiB to every bundle, and cold start is the user's latency.
 */
export const defaultProvider = (init?: Parameters<typeof fromEnv>[0]) => fromEnv(init);
