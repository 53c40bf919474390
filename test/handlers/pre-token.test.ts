import type { PreTokenGenerationV2TriggerEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { handler } from '#handlers/auth/pre-token';

/** The V2 event Cognito sends for a user sign-in. */
function signIn(groups: string[], attributes: Record<string, string>): PreTokenGenerationV2TriggerEvent {
  return {
    version: '2',
    triggerSource: 'TokenGeneration_Authentication',
    region: 'eu-north-1',
    userPoolId: 'eu-north-1_example',
    userName: 'u1',
    callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: 'web' },
    request: {
      userAttributes: { sub: 'u1', email: 'u1@example.com', ...attributes },
      groupConfiguration: { groupsToOverride: groups, iamRolesToOverride: [] },
      scopes: ['aws.cognito.signin.user.admin'],
    },
    response: { claimsAndScopeOverrideDetails: null },
  } as unknown as PreTokenGenerationV2TriggerEvent;
}

const run = async (event: PreTokenGenerationV2TriggerEvent) => ((await handler(event, {} as never)) as PreTokenGenerationV2TriggerEvent).response.claimsAndScopeOverrideDetails!;

describe('the pre token generation trigger puts role and customer into access tokens', () => {
  it.each<[string, string[], Record<string, string>, object]>([
    ['a customer user', [], { 'custom:customer_id': 'ACME' }, { claimsToAddOrOverride: { customer_id: 'ACME' }, scopesToAdd: ['sla-desk/customer'] }],
    ['an agent', ['agents'], {}, { claimsToAddOrOverride: {}, scopesToAdd: ['sla-desk/agent'] }],
    ['an admin who is also an agent', ['agents', 'admins'], {}, { claimsToAddOrOverride: {}, scopesToAdd: ['sla-desk/admin'] }],
    ['finance', ['finance'], {}, { claimsToAddOrOverride: {}, scopesToAdd: ['sla-desk/finance'] }],
    ['an agent account that also names a customer stays an agent', ['agents'], { 'custom:customer_id': 'ACME' }, { claimsToAddOrOverride: {}, scopesToAdd: ['sla-desk/agent'] }],
  ])('%s', async (_, groups, attributes, access) => {
    const details = await run(signIn(groups, attributes));
    expect(details.accessTokenGeneration).toStrictEqual(access);
    // Groups are handed back as they came, so the tokens keep them.
    expect(details.groupOverrideDetails).toStrictEqual({ groupsToOverride: groups, iamRolesToOverride: [] });
  });

  it.each<[string, string[], Record<string, string>]>([
    ['no group and no customer', [], {}],
    ['a malformed customer id', [], { 'custom:customer_id': 'acme; drop' }],
    ['an unknown group', ['everyone'], {}],
  ])('adds nothing for %s, so the API refuses the token', async (_, groups, attributes) => {
    expect((await run(signIn(groups, attributes))).accessTokenGeneration).toStrictEqual({});
  });
});
