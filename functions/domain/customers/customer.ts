import type { Actor } from '../actor';
import type { Instant } from '../calendar/business-calendar';
import { ForbiddenError, NotFoundError, VersionConflictError } from '../errors';

/** What the provider keeps about a customer: who to alert, and whether hypercare runs. */
export interface CustomerProfile {
  readonly customerId: string;
  readonly name: string;
  /** The customer's contacts for SLA breach alerts. */
  readonly alertContacts: readonly string[];
  /** The end of the customer's hypercare period, when one is agreed. */
  readonly hypercareUntil?: Instant;
  readonly updatedAt: Instant;
  /** Bumped by every write; guards an edit against a lost update. */
  readonly version: number;
}

export function inHypercare(profile: CustomerProfile | undefined, now: Instant): boolean {
  return profile?.hypercareUntil !== undefined && now < profile.hypercareUntil;
}

/** The port for customer profiles. */
export interface CustomerStore {
  getCustomer(customerId: string): Promise<CustomerProfile | undefined>;
  /**
   * Writes the profile if the stored one is still at `expectedVersion` (0: none
   * yet); 'conflict' when someone else wrote it meanwhile.
   */
  putCustomer(profile: CustomerProfile, expectedVersion: number): Promise<'written' | 'conflict'>;
  /** Every customer, for notices that go to all of them. */
  allCustomers(): Promise<CustomerProfile[]>;
}

/** The customer use cases: profiles are versioned, and an edit never overwrites another unseen. */
export class CustomerService {
  constructor(private readonly deps: { readonly customers: CustomerStore; readonly now: () => number }) {}

  async get(actor: Actor, customerId: string): Promise<CustomerProfile> {
    if (actor.role === 'customer' && actor.customerId !== customerId) throw new NotFoundError(`customer ${customerId} not found`);
    const profile = await this.deps.customers.getCustomer(customerId);
    if (!profile) throw new NotFoundError(`customer ${customerId} not found`);
    return profile;
  }

  /** Creates or replaces a profile (admins), at the version the admin saw (If-Match) or read. */
  async put(actor: Actor, customerId: string, input: { name: string; alertContacts: readonly string[]; hypercareUntil?: Instant }, ifMatch?: number): Promise<CustomerProfile> {
    if (actor.role !== 'admin') throw new ForbiddenError('only admins set customer profiles');
    const current = await this.deps.customers.getCustomer(customerId);
    const expected = ifMatch ?? current?.version ?? 0;
    if (expected !== (current?.version ?? 0)) throw new VersionConflictError(expected, current?.version);
    const profile: CustomerProfile = { customerId, ...input, updatedAt: this.deps.now(), version: expected + 1 };
    if ((await this.deps.customers.putCustomer(profile, expected)) === 'conflict') throw new VersionConflictError(expected);
    return profile;
  }
}
