import { isCustomerId } from './identifiers';

/** `system` acts for the desk itself, as the SLA timers do; no token carries it. */
export type Role = 'customer' | 'agent' | 'finance' | 'admin' | 'system';
/** The roles a person or an integration can hold. */
export type CallerRole = Exclude<Role, 'system'>;
export const CALLER_ROLES: readonly CallerRole[] = ['customer', 'agent', 'finance', 'admin'];

/** Who is acting: taken from the verified token, never from a body. */
export interface Actor {
  readonly subject: string;
  readonly role: Role;
  /** Set for customers (people and machine clients). */
  readonly customerId?: string;
}

/** The provider's user-pool groups, strongest first, and the role each gives. */
export const PROVIDER_GROUPS: readonly (readonly [group: string, role: Exclude<CallerRole, 'customer'>])[] = [
  ['admins', 'admin'],
  ['agents', 'agent'],
  ['finance', 'finance'],
];

/**
 * A person's role: the provider's group they belong to, else customer when
 * their account names a customer, else none. The token trigger and the API
 * decide with this one function.
 */
export function personRole(groups: readonly string[], customerId: unknown): { role: CallerRole; customerId?: string } | undefined {
  for (const [group, role] of PROVIDER_GROUPS) if (groups.includes(group)) return { role };
  return isCustomerId(customerId) ? { role: 'customer', customerId } : undefined;
}
