import type { PreTokenGenerationV2TriggerEvent } from 'aws-lambda';
import { lambdaHandler } from '../observability';
import { accessTokenAdditions } from './token-claims';

/**
 * Cognito's pre token generation trigger (V2): puts the caller's role, for a
 * customer the customer id, and their name and email into the access token
 * (token-claims.ts decides what). Groups pass through unchanged.
 */
export const handler = lambdaHandler(async (event: PreTokenGenerationV2TriggerEvent) => {
  const groups = event.request.groupConfiguration;
  event.response = {
    claimsAndScopeOverrideDetails: {
      // Given back as they came: an empty override would take the groups out of the tokens.
      groupOverrideDetails: groups,
      accessTokenGeneration: accessTokenAdditions(groups.groupsToOverride ?? [], event.request.userAttributes) ?? {},
    },
  };
  return event;
});
