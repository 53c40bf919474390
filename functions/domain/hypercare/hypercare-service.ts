import type { Actor } from '../actor';
import type { Instant } from '../calendar/business-calendar';
import { CONTRACT_ZONE } from '../contract';
import { type CustomerEvent, type CustomerProfile, type CustomerStore, readCustomer } from '../customers/customer';
import { NotFoundError, VersionConflictError } from '../errors';
import type { AlertOutbox } from '../notifications/alert-outbox';
import type { ConsoleUrl } from '../notifications/alerts';
import { authorize } from '../policy';
import { extend, type HypercareRecord, hypercareState, overdueAlerts, type Party, signOff, transitionToStandardSupport, withdrawSignoff } from './hypercare';

/**
 * The hypercare use cases: sign-offs, extensions and the transition, each a
 * versioned change of the customer's record with its audit event; and the
 * relay's hypercare steps over the customers it watches.
 */
export class HypercareService {
  constructor(
    private readonly deps: {
      readonly customers: CustomerStore;
      readonly now: () => number;
      readonly timeZone?: string;
      /** For the overdue alert: the outbox, the provider's on-call, and how instants read. */
      readonly outbox?: AlertOutbox;
      readonly onCall?: readonly string[];
      readonly calendar?: { readonly timeZone: string };
      /** Where the console is, for the alert's link. */
      readonly consoleUrl?: ConsoleUrl;
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
      await outbox.enqueue(overdueAlerts(profile.customerId, profile.name, state, onCall, calendar.timeZone, this.deps.consoleUrl?.()), now);
    }
    return overdue;
  }

  /** The customer's hypercare as it stands: for the provider, and for the customer itself. */
  async hypercare(actor: Actor, customerId: string): Promise<{ profile: CustomerProfile; record: HypercareRecord }> {
    const profile = await readCustomer(this.deps.customers, actor, customerId);
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
