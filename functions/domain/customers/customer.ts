import { CONTRACT_ZONE } from '../contract';
import { authorize } from '../policy';
import type { Actor } from '../actor';
import type { Instant } from '../calendar/business-calendar';
import { ConflictError, NotFoundError, VersionConflictError } from '../errors';
import type { Rate } from '../consultancy/money';
import type { AlertOutbox } from '../sla/alert-outbox';
import { extend, type HypercareRecord, hypercareState, overdueAlerts, type Party, signOff, transitionToStandardSupport, withdrawSignoff } from './hypercare';

/**
 * A customer the relay's minute round watches: a go-live is agreed and its
 * hypercare is not settled yet (concluded, the conclusion recorded, the last
 * digests queued). `digestsQueuedThrough` is how far its digests are known
 * queued (0: none known), so a round checks only occasions after it.
 */
export type WatchedCustomer = CustomerProfile & { readonly digestsQueuedThrough: Instant };

/** The contract calendar's zone: hypercare weeks are counted on it. */

/** Hypercare weeks when a go-live is given without them. */
export const DEFAULT_HYPERCARE_WEEKS = 4;

/** What a contact receives: every place that emails a customer picks its contacts by one of these. */
export const CONTACT_PURPOSES = ['alerts', 'notices', 'approvals', 'reports', 'updates'] as const;
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

/** Whether the customer's hypercare period is running at `now`. */
export function inHypercare(profile: CustomerProfile | undefined, now: Instant, timeZone = CONTRACT_ZONE): boolean {
  return profile?.hypercare !== undefined && hypercareState(profile.hypercare, now, timeZone).status === 'active';
}

/** What the customer's audit trail records: each change to the record, and the conclusion of hypercare (once). */
export const CUSTOMER_EVENT_TYPES = ['customer.saved', 'hypercare.signed-off', 'hypercare.signoff-withdrawn', 'hypercare.extended', 'hypercare.transitioned', 'hypercare.concluded'] as const;
export type CustomerEventType = (typeof CUSTOMER_EVENT_TYPES)[number];

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
      readonly timeZone?: string;
      /** For the overdue alert: the outbox, the provider's on-call, and how instants read. */
      readonly outbox?: AlertOutbox;
      readonly onCall?: readonly string[];
      readonly calendar?: { iso(t: number): string };
    },
  ) {}

  /**
   * The relay's round, over the customers it watches: every customer whose
   * hypercare passed its planned end without concluding alerts the provider's
   * on-call, once per planned end.
   */
  async alertOverdue(customers: readonly CustomerProfile[]): Promise<string[]> {
    const { outbox, onCall = [], calendar } = this.deps;
    if (!outbox || !calendar) return [];
    const now = this.deps.now();
    const overdue: string[] = [];
    for (const profile of customers) {
      if (!profile.hypercare) continue;
      const state = hypercareState(profile.hypercare, now, this.zone);
      if (!state.overdue) continue;
      overdue.push(profile.customerId);
      await outbox.enqueue(
        overdueAlerts(profile.customerId, profile.name, state, onCall, (t) => calendar.iso(t)),
        now,
      );
    }
    return overdue;
  }

  /** Every customer, a page at a time: for the provider's roles. */
  async list(actor: Actor, limit: number, cursor?: string) {
    authorize(actor, 'customer.list');
    return this.deps.customers.listCustomers(limit, cursor);
  }

  async get(actor: Actor, customerId: string): Promise<CustomerProfile> {
    if (actor.role === 'customer' && actor.customerId !== customerId) throw new NotFoundError(`customer ${customerId} not found`);
    const profile = await this.deps.customers.getCustomer(customerId);
    // Its tickets are accepted all the same; their alerts go to the provider's on-call only.
    if (!profile) throw new NotFoundError(`customer ${customerId} has no record: no contacts are known, so its alerts go to the provider's on-call only`);
    return profile;
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

  /** The customer's hypercare as it stands: for the provider, and for the customer itself. */
  async hypercare(actor: Actor, customerId: string): Promise<{ profile: CustomerProfile; record: HypercareRecord }> {
    const profile = await this.get(actor, customerId);
    if (!profile.hypercare) throw new NotFoundError(`customer ${customerId} has no go-live agreed, so no hypercare`);
    return { profile, record: profile.hypercare };
  }

  /** A user of the customer signs for the customer; an agent or admin for the provider. */
  signOff(actor: Actor, customerId: string): Promise<CustomerProfile> {
    const party = partyOf(actor);
    return this.changeHypercare(actor, customerId, { type: 'hypercare.signed-off', details: { party } }, (record, now) => signOff(record, party, { at: now, by: actor.subject }, this.zone));
  }

  withdrawSignoff(actor: Actor, customerId: string): Promise<CustomerProfile> {
    const party = partyOf(actor);
    return this.changeHypercare(actor, customerId, { type: 'hypercare.signoff-withdrawn', details: { party } }, (record, now) => withdrawSignoff(record, party, now, this.zone));
  }

  extend(actor: Actor, customerId: string, input: { weeks: number; reason: string }): Promise<CustomerProfile> {
    authorize(actor, 'hypercare.decide');
    return this.changeHypercare(actor, customerId, { type: 'hypercare.extended', details: input }, (record, now) => extend(record, { ...input, at: now, by: actor.subject }, this.zone));
  }

  transition(actor: Actor, customerId: string, note?: string): Promise<CustomerProfile> {
    authorize(actor, 'hypercare.decide');
    return this.changeHypercare(actor, customerId, { type: 'hypercare.transitioned', ...(note ? { details: { note } } : {}) }, (record, now) =>
      transitionToStandardSupport(record, { at: now, by: actor.subject, ...(note ? { note } : {}) }),
    );
  }

  /** The customer's audit trail: for the provider, and for the customer itself. */
  async events(actor: Actor, customerId: string, limit: number, cursor?: string) {
    await this.get(actor, customerId);
    return this.deps.customers.listEvents(customerId, limit, cursor);
  }

  /**
   * The relay's round, over the customers it watches: hypercare concludes on
   * the clock, with no call to record it, so each conclusion is recorded here,
   * once, at the moment it happened.
   */
  async recordConclusions(customers: readonly CustomerProfile[]): Promise<string[]> {
    const now = this.deps.now();
    const recorded: string[] = [];
    for (const profile of customers) {
      const concludedAt = profile.hypercare && hypercareState(profile.hypercare, now, this.zone).concludedAt;
      if (concludedAt === undefined) continue;
      if (await this.deps.customers.recordConclusion({ customerId: profile.customerId, type: 'hypercare.concluded', at: concludedAt, by: 'system' })) recorded.push(profile.customerId);
    }
    return recorded;
  }

  /**
   * The end of the relay's round: each watched customer whose hypercare had
   * concluded by `asOf` leaves the minute round. Call it only after this round,
   * begun at `asOf`, recorded the conclusions and queued the digests of these
   * customers without error (so all up to each conclusion are queued). A
   * profile saved since it was read stays, and is decided on next round.
   */
  async settleConcluded(customers: readonly CustomerProfile[], asOf: Instant): Promise<string[]> {
    const settled: string[] = [];
    for (const profile of customers) {
      if (!profile.hypercare || hypercareState(profile.hypercare, asOf, this.zone).status !== 'concluded') continue;
      if (await this.deps.customers.settle(profile, this.deps.now())) settled.push(profile.customerId);
    }
    return settled;
  }

  private get zone(): string {
    return this.deps.timeZone ?? CONTRACT_ZONE;
  }

  /** Read, decide, write on the version read; a concurrent change decides again. */
  private async changeHypercare(
    actor: Actor,
    customerId: string,
    event: Pick<CustomerEvent, 'type' | 'details'>,
    change: (record: HypercareRecord, now: Instant) => HypercareRecord,
  ): Promise<CustomerProfile> {
    for (let attempt = 1; ; attempt++) {
      const { profile, record } = await this.hypercare(actor, customerId);
      const now = this.deps.now();
      const next = change(record, now);
      if (next === record) return profile;
      const written: CustomerProfile = { ...profile, hypercare: next, updatedAt: now, version: profile.version + 1 };
      if ((await this.deps.customers.putCustomer(written, profile.version, { ...event, customerId, at: now, by: actor.subject })) === 'written') return written;
      if (attempt >= 5) throw new VersionConflictError(profile.version, undefined, 'customer');
    }
  }
}

/** Which side a caller signs for: a customer's user for the customer, the desk for the provider. */
function partyOf(actor: Actor): Party {
  authorize(actor, 'hypercare.sign-off');
  return actor.role === 'customer' ? 'customer' : 'provider';
}
