import { type CallerRole, personRole } from '../../domain/actor';
import { CUSTOMER_ATTRIBUTE } from '../../adapters/identity/user-directory';

/**
 * What a person's access token carries for the API, decided from their account
 * alone: the pre token generation trigger and the local stack's tokens both
 * use it. Kept free of the Lambda runtime's libraries so the operator CLI can
 * mint a token without loading them.
 */

/** The prefix of the API's scopes. */
const RESOURCE_SERVER = 'sla-desk';
/** The scope the token trigger gives a person of each role. */
export const roleScope = (role: CallerRole) => `${RESOURCE_SERVER}/${role}`;
/** The claim the token trigger adds to a customer's access token. */
export const CUSTOMER_CLAIM = 'customer_id';

/**
 * The user attributes the access token carries for the API to name the
 * person by. Cognito's access token has neither (its claims are sub,
 * cognito:groups, iss, client_id, origin_jti, event_id, token_use, scope,
 * auth_time, exp, iat, jti and username); the ID token has them, but the API
 * takes access tokens only.
 */
export const PERSON_CLAIMS = ['name', 'email'] as const;

/** What the trigger adds to an access token: claims and scopes, as Cognito's V2 event takes them. */
export interface AccessTokenAdditions {
  readonly claimsToAddOrOverride: Record<string, string>;
  readonly scopesToAdd: string[];
}

/**
 * The caller's role (as a scope the API's routes require), for a customer the
 * customer id, and their name and email. A person with no role gets nothing,
 * and the API refuses their token at the gateway.
 */
export function accessTokenAdditions(groups: readonly string[], attributes: Readonly<Record<string, string | undefined>>): AccessTokenAdditions | undefined {
  const person = personRole(groups, attributes[CUSTOMER_ATTRIBUTE]);
  if (!person) return undefined;
  const named = Object.fromEntries(PERSON_CLAIMS.filter((claim) => attributes[claim]).map((claim) => [claim, attributes[claim]!]));
  return {
    claimsToAddOrOverride: { ...named, ...(person.customerId ? { [CUSTOMER_CLAIM]: person.customerId } : {}) },
    scopesToAdd: [roleScope(person.role)],
  };
}
