import type { PreTokenGenerationV2TriggerEvent } from 'aws-lambda';
import { personRole } from '../../domain/actor';
import { CUSTOMER_ATTRIBUTE } from '../../adapters/identity/user-directory';
import { CUSTOMER_CLAIM, roleScope } from '../http/identity';
import { lambdaHandler } from '../observability';

/**
 * The user attributes the access token carries for the API to name the
 * person by. Cognito's access token has neither (its claims are sub,
 * cognito:groups, iss, client_id, origin_jti, event_id, token_use, scope,
 * auth_time, exp, iat, jti and username); the ID token has them, but the API
 * takes access tokens only.
 */
export const PERSON_CLAIMS = ['name', 'email'] as const;

/**
 * Cognito's pre token generation trigger (V2): puts the caller's role (as a
 * scope the API's routes require), for a customer the customer id, and their
 * name and email into the access token. A person with no role gets none of
 * these, and the API refuses their token at the gateway. Groups pass through
 * unchanged.
 */
export const handler = lambdaHandler(async (event: PreTokenGenerationV2TriggerEvent) => {
  const groups = event.request.groupConfiguration;
  const attributes = event.request.userAttributes;
  const person = personRole(groups.groupsToOverride ?? [], attributes[CUSTOMER_ATTRIBUTE]);
  const named = Object.fromEntries(PERSON_CLAIMS.filter((claim) => attributes[claim]).map((claim) => [claim, attributes[claim]!]));
  event.response = {
    claimsAndScopeOverrideDetails: {
      // Given back as they came: an empty override would take the groups out of the tokens.
      groupOverrideDetails: groups,
      accessTokenGeneration: person ? { claimsToAddOrOverride: { ...named, ...(person.customerId ? { [CUSTOMER_CLAIM]: person.customerId } : {}) }, scopesToAdd: [roleScope(person.role)] } : {},
    },
  };
  return event;
});
