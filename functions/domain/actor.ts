import { isCustomerId } from './identifiers';

/** `system` acts for the desk itself, as the SLA timers do; no token carries it. */
export type Role = 'customer' | 'agent' | 'finance' | 'admin' | 'system';
/**
 * The subjects the desk itself acts under: the SLA timers, hypercare's
 * conclusion, the monthly report's schedule. No person's token carries them
 * (Cognito's are UUIDs, the local stack's `local-…`).
 */
const SYSTEM_SUBJECTS: ReadonlySet<string> = new Set(['sla-timer', 'system', 'schedule']);

/** Whether an act was the desk's own rather than a person's or an integration's. */
export const isSystem = (actor: { readonly subject: string; readonly role?: Role }): boolean => actor.role === 'system' || SYSTEM_SUBJECTS.has(actor.subject);

/** The prefix of an integration's subject: a customer's system, with no person record. */
export const INTEGRATION_SUBJECT = 'integration:';

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
