import { authorize } from '../policy';
import type { Actor } from '../actor';
import type { Instant } from '../calendar/business-calendar';
import { ConflictError, NotFoundError, VersionConflictError } from '../errors';
import type { Rate } from '../consultancy/money';
import type { HypercareRecord } from '../hypercare/hypercare';

/**
 * A customer the relay's minute round watches: a go-live is agreed and its
 * hypercare is not settled yet (concluded, the conclusion recorded, the last
 * digests queued). `digestsQueuedThrough` is how far its digests are known
 * queued (0: none known), so a round checks only occasions after it.
 */
export type WatchedCustomer = CustomerProfile & { readonly digestsQueuedThrough: Instant };

/** Hypercare weeks when a go-live is given without them. */
export const DEFAULT_HYPERCARE_WEEKS = 4;

/** What a contact receives: every place that emails a customer picks its contacts by one of these. */
export const CONTACT_PURPOSES = ['alerts', 'notices', 'approvals', 'reports', 'updates', 'tickets'] as const;
export type ContactPurpose = (typeof CONTACT_PURPOSES)[number];

export interface Contact {
  readonly email: string;
  readonly name?: string;
  readonly receives: readonly ContactPurpose[];
}

/** What the provider keeps about a customer: its contacts by purpose, and its hypercare period. */
export interface CustomerProfile {
  readonly customerId: string;
  readonly name: string;
  readonly contacts: readonly Contact[];
  /** Go-live and the agreed hypercare, once known; sign-offs, extensions and the transition as they come. */
  readonly hypercare?: HypercareRecord;
  /** The hourly consultancy rate; a request keeps the one in force when it was approved. */
  readonly consultancyRate?: Rate;
  readonly updatedAt: Instant;
  /** Bumped by every write; guards an edit against a lost update. */
  readonly version: number;
}

/** The addresses that receive this kind of email. */
export function contactsFor(profile: Pick<CustomerProfile, 'contacts'> | undefined, purpose: ContactPurpose): string[] {
  return [...new Set((profile?.contacts ?? []).filter((c) => c.receives.includes(purpose)).map((c) => c.email))];
}

/** What the customer's audit trail records: each change to the record, and the conclusion of hypercare (once). */
export const CUSTOMER_EVENT_TYPES = ['customer.saved', 'hypercare.signed-off', 'hypercare.signoff-withdrawn', 'hypercare.extended', 'hypercare.transitioned', 'hypercare.concluded'] as const;
type CustomerEventType = (typeof CUSTOMER_EVENT_TYPES)[number];

export interface CustomerEvent {
  readonly customerId: string;
  readonly type: CustomerEventType;
  readonly at: Instant;
  /** Who acted; `system` for what the clock decides. */
  readonly by: string;
  readonly details?: Readonly<Record<string, string | number>>;
}

/** The port for customer profiles. */
export interface CustomerStore {
  getCustomer(customerId: string): Promise<CustomerProfile | undefined>;
  /**
   * Writes the profile if the stored one is still at `expectedVersion` (0: none
   * yet); 'conflict' when someone else wrote it meanwhile.
   */
  putCustomer(profile: CustomerProfile, expectedVersion: number, event?: CustomerEvent): Promise<'written' | 'conflict'>;
  /** Records the conclusion of a customer's hypercare unless it is recorded already; whether it was recorded now. */
  recordConclusion(event: CustomerEvent): Promise<boolean>;
  /** The audit trail, oldest first. */
  listEvents(customerId: string, limit: number, cursor?: string): Promise<{ items: CustomerEvent[]; nextCursor: string | null }>;
  /** A page of customers, by id. */
  listCustomers(limit: number, cursor?: string): Promise<{ items: CustomerProfile[]; nextCursor: string | null }>;
  /** Every customer, for notices and report messages that go to all of them. */
  allCustomers(): Promise<CustomerProfile[]>;
  /**
   * The customers the relay's minute round watches, and only those: every
   * save of a profile with a go-live puts it among them, `settle` takes it off.
   */
  watchedCustomers(): Promise<WatchedCustomer[]>;
  /** Notes that a watched customer's digests are queued through `through`, unless the profile changed since it was read. */
  noteDigestsQueued(profile: Pick<CustomerProfile, 'customerId' | 'version'>, through: Instant): Promise<void>;
  /** Takes a watched customer off the minute round, unless the profile changed since it was read; whether it did. */
  settle(profile: Pick<CustomerProfile, 'customerId' | 'version'>, at: Instant): Promise<boolean>;
}

/** The customer use cases: profiles are versioned, and an edit never overwrites another unseen. */
export class CustomerService {
  constructor(
    private readonly deps: {
      readonly customers: CustomerStore;
      readonly now: () => number;
    },
  ) {}

  /** Every customer, a page at a time: for the provider's roles. */
  async list(actor: Actor, limit: number, cursor?: string) {
    authorize(actor, 'customer.list');
    return this.deps.customers.listCustomers(limit, cursor);
  }

  get(actor: Actor, customerId: string): Promise<CustomerProfile> {
    return readCustomer(this.deps.customers, actor, customerId);
  }

  /**
   * Creates or replaces a profile (admins), at the version the admin saw
   * (If-Match) or read. Go-live and the agreed weeks set the hypercare period;
   * its sign-offs, extensions and transition are kept.
   */
  async put(
    actor: Actor,
    customerId: string,
    input: { name: string; contacts: readonly Contact[]; goLiveAt?: Instant; hypercareWeeks?: number; consultancyRate?: Rate },
    ifMatch?: number | '*',
  ): Promise<CustomerProfile> {
    authorize(actor, 'customer.manage');
    const current = await this.deps.customers.getCustomer(customerId);
    // `If-Match: *` asks for an existing record (RFC 9110): it never creates one.
    if (ifMatch === '*' && !current) throw new ConflictError(`customer ${customerId} has no record, so If-Match: * matches nothing; leave If-Match out to create it`);
    const expected = typeof ifMatch === 'number' ? ifMatch : (current?.version ?? 0);
    if (expected !== (current?.version ?? 0)) throw new VersionConflictError(expected, current?.version, 'customer');
    const hypercare: HypercareRecord | undefined =
      input.goLiveAt === undefined ? undefined : { ...(current?.hypercare ?? { extensions: [] }), goLiveAt: input.goLiveAt, weeks: input.hypercareWeeks ?? DEFAULT_HYPERCARE_WEEKS };
    const profile: CustomerProfile = {
      customerId,
      name: input.name,
      contacts: input.contacts,
      ...(hypercare ? { hypercare } : {}),
      ...(input.consultancyRate ? { consultancyRate: input.consultancyRate } : {}),
      updatedAt: this.deps.now(),
      version: expected + 1,
    };
    const saved: CustomerEvent = { customerId, type: 'customer.saved', at: profile.updatedAt, by: actor.subject, details: { version: profile.version } };
    if ((await this.deps.customers.putCustomer(profile, expected, saved)) === 'conflict') throw new VersionConflictError(expected, undefined, 'customer');
    return profile;
  }

  /** The customer's audit trail: for the provider, and for the customer itself. */
  async events(actor: Actor, customerId: string, limit: number, cursor?: string) {
    await this.get(actor, customerId);
    return this.deps.customers.listEvents(customerId, limit, cursor);
  }
}

/** A customer's record as the caller may see it: a customer sees its own; another's, like a missing one, is not found. */
export async function readCustomer(store: Pick<CustomerStore, 'getCustomer'>, actor: Actor, customerId: string): Promise<CustomerProfile> {
  if (actor.role === 'customer' && actor.customerId !== customerId) throw new NotFoundError(`customer ${customerId} not found`);
  const profile = await store.getCustomer(customerId);
  // Its tickets are accepted all the same; their alerts go to the provider's on-call only.
  if (!profile) throw new NotFoundError(`customer ${customerId} has no record: no contacts are known, so its alerts go to the provider's on-call only`);
  return profile;
}
