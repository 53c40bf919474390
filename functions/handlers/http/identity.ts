import * as z from 'zod/mini';
import { type Actor, CALLER_ROLES, type CallerRole, personRole } from '../../domain/actor';
import { CUSTOMER_ID } from '../../domain/identifiers';
import { CUSTOMER_CLAIM, roleScope } from '../auth/token-claims';
import { unauthorized } from './problem';

/**
 * A person's access token must carry one of these for the authorizer to let it
 * through: only access tokens the trigger made for this API do (an ID token
 * carries no scope, a person with no role gets none).
 */
export const API_SCOPES: readonly string[] = CALLER_ROLES.map(roleScope);

/** A claim that lists values: a JSON array, or a space-separated string (OAuth's `scope`). */
function listClaim(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value !== 'string' || value === '') return [];
  return value
    .replace(/^\[|\]$/g, '')
    .split(/[\s,]+/)
    .filter(Boolean);
}

/**
 * Who a person is, from the claims of an access token whose signature, issuer,
 * expiry and client the authorizer has verified; or why it names no one. The
 * one place a person's claims become an actor: the role from the provider's
 * groups, else customer by the customer claim the trigger adds.
 */
export function personActor(claims: Readonly<Record<string, unknown>>): (Actor & { readonly role: CallerRole }) | { readonly refused: string } {
  if (typeof claims.sub !== 'string' || claims.sub === '') return { refused: 'the token names no subject' };
  if (!listClaim(claims.scope).some((scope) => API_SCOPES.includes(scope))) return { refused: `the token carries none of the scopes ${API_SCOPES.join(', ')}: send an access token` };
  const person = personRole(listClaim(claims['cognito:groups']), claims[CUSTOMER_CLAIM]);
  if (!person) return { refused: 'the token carries no sla-desk role or customer' };
  return { subject: claims.sub, ...person };
}

/**
 * What the authorizer hands API Gateway, and API Gateway each route's function
 * as `requestContext.authorizer.lambda`: who is calling, as strings.
 */
export interface AuthorizerContext {
  readonly subject: string;
  readonly role: CallerRole;
  readonly customerId?: string;
}

export const authorizerContext = (actor: Actor): AuthorizerContext => ({
  subject: actor.subject,
  role: actor.role as CallerRole,
  ...(actor.customerId !== undefined ? { customerId: actor.customerId } : {}),
});

const contextSchema = z.object({
  subject: z.string().check(z.minLength(1)),
  role: z.enum(CALLER_ROLES as [CallerRole, ...CallerRole[]]),
  customerId: z.optional(z.string().check(z.regex(CUSTOMER_ID))),
});

/**
 * Who is calling, as the authorizer decided it. The only place a route reads
 * identity; nothing in a body or query can change it. Without the
 * authorizer's context (a wiring mistake) the request is refused.
 */
export function actorFromAuthorizer(context: unknown): Actor {
  const parsed = contextSchema.safeParse(context);
  if (!parsed.success) throw unauthorized('a valid bearer token is required');
  const { subject, role, customerId } = parsed.data;
  if ((role === 'customer') !== (customerId !== undefined)) throw unauthorized('a valid bearer token is required');
  return { subject, role, ...(customerId !== undefined ? { customerId } : {}) };
}
