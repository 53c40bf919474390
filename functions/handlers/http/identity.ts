import { z } from 'zod';
import type { Actor, Role } from '../../domain/tickets/ticket';
import { RequestError, unauthorized } from './problem';

export const CUSTOMER_ID = /^[A-Z][A-Z0-9]{1,15}$/;
/** The OAuth scope a customer's own systems need for tickets (client-credentials flow). */
export const TICKETS_SCOPE = 'sla-desk/tickets';

/** HTTP API hands array claims to Lambda as "[a b]" strings; locally they may be real arrays. */
function listClaim(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value !== 'string' || value === '') return [];
  return value.replace(/^\[|\]$/g, '').split(/[\s,]+/).filter(Boolean);
}

const claimsSchema = z.object({ sub: z.string().optional(), client_id: z.string().optional(), scope: z.unknown().optional() }).loose();

/**
 * Who is calling, from the claims the JWT authorizer verified. The only place
 * identity is read; nothing in a body or query can change it.
 */
export function actorFromClaims(claims: unknown, machineClients: Readonly<Record<string, string>>): Actor {
  const parsed = claimsSchema.safeParse(claims);
  if (!parsed.success || (!parsed.data.sub && !parsed.data.client_id)) throw unauthorized('a valid bearer token is required');
  const c = parsed.data;
  const groups = listClaim(c['cognito:groups']);
  const subject = c.sub ?? c.client_id!;
  const staff: [string, Role][] = [['admins', 'admin'], ['agents', 'agent'], ['finance', 'finance']];
  for (const [group, role] of staff) if (groups.includes(group)) return { subject, role };
  const customerId = c['custom:customer_id'];
  if (typeof customerId === 'string' && CUSTOMER_ID.test(customerId)) return { subject, role: 'customer', customerId };
  // A customer's own system: a machine client registered to that customer, with the tickets scope.
  // Cognito's client-credentials tokens set sub to the client id; a person's token never does.
  const isMachine = c.client_id !== undefined && (c.sub === undefined || c.sub === c.client_id);
  const machineCustomer = isMachine ? machineClients[c.client_id!] : undefined;
  if (machineCustomer && listClaim(c.scope).includes(TICKETS_SCOPE)) return { subject: `client:${c.client_id}`, role: 'customer', customerId: machineCustomer };
  throw new RequestError(403, 'no-role', 'Forbidden', 'the token carries no sla-desk role or customer');
}

/** Claims as API Gateway passes them on: every value a string, arrays as "[a b]". */
export function claimsAsGatewayPasses(payload: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(payload).map(([k, v]) => [k, Array.isArray(v) ? `[${v.join(' ')}]` : String(v)]));
}
