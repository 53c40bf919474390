import * as z from 'zod/mini';
import { type Actor, CALLER_ROLES, type CallerRole, personRole } from '../../domain/actor';
import { RequestError, unauthorized } from './problem';

/** The user pool's resource server for this API. */
export const RESOURCE_SERVER = 'sla-desk';
/** The scope a customer's own systems hold (client-credentials flow). */
export const TICKETS_SCOPE = `${RESOURCE_SERVER}/tickets`;
/** The scope the token trigger gives a person of each role. */
export const roleScope = (role: CallerRole) => `${RESOURCE_SERVER}/${role}`;
/**
 * Every authenticated route asks the authorizer for one of these, so only
 * access tokens minted for this API get through: an ID token carries no scope.
 */
export const API_SCOPES: readonly string[] = [...CALLER_ROLES.map(roleScope), TICKETS_SCOPE];
/** The claim the token trigger adds to a customer's access token. */
export const CUSTOMER_CLAIM = 'customer_id';

/** HTTP API hands array claims to Lambda as "[a b]" strings; locally they may be real arrays. */
export function listClaim(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value !== 'string' || value === '') return [];
  return value.replace(/^\[|\]$/g, '').split(/[\s,]+/).filter(Boolean);
}

const claimsSchema = z.looseObject({ sub: z.optional(z.string()), client_id: z.optional(z.string()), scope: z.optional(z.unknown()) });

/**
 * Who is calling, from the claims the JWT authorizer verified (an access
 * token). The only place identity is read; nothing in a body or query can change it.
 */
export function actorFromClaims(claims: unknown, machineClients: Readonly<Record<string, string>>): Actor {
  const parsed = claimsSchema.safeParse(claims);
  if (!parsed.success || (!parsed.data.sub && !parsed.data.client_id)) throw unauthorized('a valid bearer token is required');
  const c = parsed.data;
  const subject = c.sub ?? c.client_id!;
  // Cognito's client-credentials tokens set sub to the client id; a person's token never does.
  const isMachine = c.client_id !== undefined && (c.sub === undefined || c.sub === c.client_id);
  if (!isMachine) {
    const person = personRole(listClaim(c['cognito:groups']), c[CUSTOMER_CLAIM]);
    if (person) return { subject, ...person };
  }
  // A customer's own system: a machine client registered to that customer, with the tickets scope.
  const machineCustomer = isMachine ? machineClients[c.client_id!] : undefined;
  if (machineCustomer && listClaim(c.scope).includes(TICKETS_SCOPE)) return { subject: `client:${c.client_id}`, role: 'customer', customerId: machineCustomer };
  throw new RequestError(403, 'no-role', 'Forbidden', 'the token carries no sla-desk role or customer');
}

/** Claims as API Gateway passes them on: every value a string, arrays as "[a b]". */
export function claimsAsGatewayPasses(payload: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(payload).map(([k, v]) => [k, Array.isArray(v) ? `[${v.join(' ')}]` : String(v)]));
}
