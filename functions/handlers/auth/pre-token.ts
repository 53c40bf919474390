import type { PreTokenGenerationV2TriggerEvent } from 'aws-lambda';
import { personRole } from '../../domain/actor';
import { CUSTOMER_ATTRIBUTE } from '../../adapters/identity/user-directory';
import { CUSTOMER_CLAIM, roleScope } from '../http/identity';
import { lambdaHandler } from '../observability';

/**
 * Cognito's pre token generation trigger (V2): puts the caller's role (as a
 * scope the API's routes require) and, for a customer, the customer id into
 * the access token. A person with no role gets neither, and the API refuses
 * their token at the gateway. Groups pass through unchanged.
 */
export const handler = lambdaHandler(async (event: PreTokenGenerationV2TriggerEvent) => {
  const groups = event.request.groupConfiguration;
  const person = personRole(groups.groupsToOverride ?? [], event.request.userAttributes[CUSTOMER_ATTRIBUTE]);
  event.response = {
    claimsAndScopeOverrideDetails: {
      // Given back as they came: an empty override would take the groups out of the tokens.
      groupOverrideDetails: groups,
      accessTokenGeneration: person ? { claimsToAddOrOverride: person.customerId ? { [CUSTOMER_CLAIM]: person.customerId } : {}, scopesToAdd: [roleScope(person.role)] } : {},
    },
  };
  return event;
});
