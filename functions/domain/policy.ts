import type { Actor, CallerRole } from './actor';
import { ForbiddenError } from './errors';

/** The support desk: the provider's people who work tickets. */
const DESK: readonly CallerRole[] = ['agent', 'admin'];
/** The provider's people: the desk and finance. */
const PROVIDER_STAFF: readonly CallerRole[] = ['agent', 'admin', 'finance'];
const EVERYONE: readonly CallerRole[] = ['customer', 'agent', 'finance', 'admin'];

interface Permission {
  readonly roles: readonly CallerRole[];
  /** What a refused caller is told. */
  readonly refused: string;
}

/**
 * Who may do what, decided here and nowhere else: each route's roles are its
 * action's, the use cases check the same action, and the API tells the
 * console which actions a caller has on a resource. Which customer's data a
 * customer sees (their own) is tenancy, decided where the data is read.
 */
export const POLICY = {
  'ticket.open': { roles: ['customer'], refused: 'only customers open tickets' },
  'ticket.read': { roles: EVERYONE, refused: 'tickets are read by customers and the provider' },
  'ticket.comment': { roles: ['customer', ...DESK], refused: 'finance may not comment on tickets' },
  /** Status, priority, title and category; internal notes; the internal trail. */
  'ticket.work': { roles: DESK, refused: 'only agents and admins work tickets: change them, or write internal notes' },
  /** Who owns a ticket: give it to an agent or admin, or to no one. */
  'ticket.assign': { roles: DESK, refused: 'only agents and admins assign tickets' },
  /** Filter tickets by who owns them. */
  'ticket.read-assignee': { roles: PROVIDER_STAFF, refused: 'only the provider filters tickets by who owns them' },
  /** The provider's people who may own tickets, by name: the assign menu. */
  'people.list': { roles: PROVIDER_STAFF, refused: 'only the provider lists its people' },
  'customer.read': { roles: EVERYONE, refused: 'customer records are read by their customer and the provider' },
  'customer.list': { roles: PROVIDER_STAFF, refused: 'customers see their own record only' },
  'customer.manage': { roles: ['admin'], refused: 'only admins set customer profiles' },
  'hypercare.sign-off': { roles: ['customer', ...DESK], refused: "only the customer and the provider's agents and admins sign off hypercare" },
  'hypercare.decide': { roles: ['admin'], refused: 'only admins record an extension both parties agreed, or complete the transition to standard support' },
  'availability.read': { roles: EVERYONE, refused: 'availability is read by customers and the provider' },
  'service-window.announce': { roles: DESK, refused: 'only the provider announces and cancels service windows' },
  'service-window.announce-retroactive': { roles: ['admin'], refused: 'a window that has already started may only be entered by an admin, and is flagged as retroactive' },
  'consultancy.read': { roles: EVERYONE, refused: 'consultancy is read by customers and the provider' },
  'consultancy.propose': { roles: ['customer', ...DESK], refused: "only the customer and the provider's agents propose, cancel or change consultancy; finance reads it" },
  'consultancy.decide': { roles: ['customer'], refused: 'only the customer may decide: the approval is theirs' },
  'consultancy.deliver': { roles: DESK, refused: "only the provider's agents deliver consultancy" },
  'consultancy.bill': { roles: ['customer', 'finance', 'admin'], refused: "a month's billable consultancy is for finance and admins (and each customer's own)" },
  'report.read': { roles: ['customer', 'finance', 'admin'], refused: 'monthly reports are for finance, admins and each customer' },
  'report.generate': { roles: ['finance', 'admin'], refused: 'finance and admins generate reports' },
  'integration.manage': { roles: ['admin'], refused: 'only admins register and revoke integrations' },
  /** A person's data: found by address, exported, erased (GDPR Articles 15, 17 and 20). */
  'person.data': { roles: ['admin'], refused: "only admins find, export or erase a person's data" },
} as const satisfies Record<string, Permission>;

export type Action = keyof typeof POLICY;

/** Whether the actor's role may take the action (`system`, the desk's own timers, may take none by this table). */
export const may = (actor: Pick<Actor, 'role'>, action: Action): boolean => (POLICY[action].roles as readonly string[]).includes(actor.role);

/** Refuses the actor unless its role may take the action. */
export function authorize(actor: Pick<Actor, 'role'>, action: Action): void {
  if (!may(actor, action)) throw new ForbiddenError(POLICY[action].refused);
}

/** Whether the actor works tickets for the desk (an agent or an admin): whose public reply is a first response. */
export const isDesk = (actor: Pick<Actor, 'role'>) => may(actor, 'ticket.work');
