import type { PreTokenGenerationV2TriggerEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { handler } from '#handlers/auth/pre-token';
import { PERSON_CLAIMS } from '#handlers/auth/token-claims';

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
    [
      'a customer user',
      [],
      { 'custom:customer_id': 'ACME', name: 'Alice Andersen' },
      { claimsToAddOrOverride: { name: 'Alice Andersen', email: 'u1@example.com', customer_id: 'ACME' }, scopesToAdd: ['sla-desk/customer'] },
    ],
    ['an agent', ['agents'], { name: 'Ada Agent' }, { claimsToAddOrOverride: { name: 'Ada Agent', email: 'u1@example.com' }, scopesToAdd: ['sla-desk/agent'] }],
    ['an admin who is also an agent, with no name', ['agents', 'admins'], {}, { claimsToAddOrOverride: { email: 'u1@example.com' }, scopesToAdd: ['sla-desk/admin'] }],
    ['finance', ['finance'], {}, { claimsToAddOrOverride: { email: 'u1@example.com' }, scopesToAdd: ['sla-desk/finance'] }],
    [
      'an agent account that also names a customer stays an agent',
      ['agents'],
      { 'custom:customer_id': 'ACME' },
      { claimsToAddOrOverride: { email: 'u1@example.com' }, scopesToAdd: ['sla-desk/agent'] },
    ],
  ])('%s', async (_, groups, attributes, access) => {
    const details = await run(signIn(groups, attributes));
    expect(details.accessTokenGeneration).toStrictEqual(access);
    // Groups are handed back as they came, so the tokens keep them.
    expect(details.groupOverrideDetails).toStrictEqual({ groupsToOverride: groups, iamRolesToOverride: [] });
  });

  it("puts the person's name and email into the access token, which Cognito's own access token does not carry", () => {
    // Cognito Developer Guide, "Understanding the access token": its claims are sub, cognito:groups, iss,
    // client_id, origin_jti, event_id, token_use, scope, auth_time, exp, iat, jti and username; a user's
    // attributes (name, email) are the ID token's, and the API takes access tokens only (identity.ts). So the
    // API can name people only if the trigger adds these two: the local stack's tokens come through it as well.
    const ACCESS_TOKEN_CLAIMS = ['sub', 'cognito:groups', 'iss', 'client_id', 'origin_jti', 'event_id', 'token_use', 'scope', 'auth_time', 'exp', 'iat', 'jti', 'username'];
    expect(PERSON_CLAIMS.filter((claim) => ACCESS_TOKEN_CLAIMS.includes(claim))).toEqual([]);
    expect(PERSON_CLAIMS).toEqual(['name', 'email']);
  });

  it.each<[string, string[], Record<string, string>]>([
    ['no group and no customer', [], {}],
    ['a malformed customer id', [], { 'custom:customer_id': 'acme; drop' }],
    ['an unknown group', ['everyone'], {}],
  ])('adds nothing for %s, so the API refuses the token', async (_, groups, attributes) => {
    expect((await run(signIn(groups, attributes))).accessTokenGeneration).toStrictEqual({});
  });
});
