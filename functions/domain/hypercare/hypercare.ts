import { CONTRACT_ZONE } from '../contract';
import type { CustomerProfile } from '../customers/customer';
import { DateTime } from 'luxon';
import type { Instant } from '../calendar/business-calendar';
import { ConflictError } from '../errors';
import type { AlertMessage } from '../notifications/alerts';
import { writeLetter } from '../notifications/message-text';
import { HYPERCARE_CRITERION_NAMES, timeText } from '../wording';

/** The contract: hypercare concludes only once the system has been operational this long. */
const OPERATIONAL_WEEKS = 2;

/** Who acted, and when: a sign-off, the transition, an extension. */
export interface Act {
  readonly at: Instant;
  readonly by: string;
}

export interface Extension extends Act {
  readonly weeks: number;
  readonly reason: string;
}

/** What is recorded about a customer's hypercare period. */
export interface HypercareRecord {
  readonly goLiveAt: Instant;
  /** The agreed length, from go-live. */
  readonly weeks: number;
  readonly extensions: readonly Extension[];
  /** Each party's sign-off that the system is stable (absent when not given, or withdrawn). */
  readonly customerSignoff?: Act;
  readonly providerSignoff?: Act;
  /** The formal transition to standard support. */
  readonly transition?: Act & { readonly note?: string };
}

type HypercareStatus = 'not-started' | 'active' | 'concluded';

export interface Criterion {
  readonly met: boolean;
  /** When it was met (for operation: when the 2 weeks were reached). */
  readonly at?: Instant;
  readonly by?: string;
}

export interface HypercareState {
  readonly status: HypercareStatus;
  readonly goLiveAt: Instant;
  readonly plannedEndAt: Instant;
  readonly criteria: {
    readonly operationalTwoWeeks: Criterion;
    readonly customerSignoff: Criterion;
    readonly providerSignoff: Criterion;
    readonly transition: Criterion;
  };
  /** The moment the last condition came to hold. */
  readonly concludedAt?: Instant;
  /** The planned end has passed without conclusion. */
  readonly overdue: boolean;
}

/** Weeks on the local calendar: a week across a daylight-saving change is still seven days to the hour. */
function plusWeeks(instant: Instant, weeks: number, timeZone: string): Instant {
  return DateTime.fromMillis(instant, { zone: timeZone }).plus({ weeks }).toMillis();
}

/**
 * The contract's hypercare, evaluated on the clock: it starts at go-live,
 * lasts the agreed weeks plus any extensions, and concludes the moment all
 * three conditions hold (2 weeks operational, both parties' sign-off, the
 * formal transition), in whatever order they came, with no further call.
 */
export function hypercareState(record: HypercareRecord, now: Instant, timeZone: string): HypercareState {
  const plannedEndAt = plusWeeks(record.goLiveAt, record.weeks + record.extensions.reduce((sum, e) => sum + e.weeks, 0), timeZone);
  const operationalAt = plusWeeks(record.goLiveAt, OPERATIONAL_WEEKS, timeZone);
  const acted = (act: Act | undefined): Criterion => (act && act.at <= now ? { met: true, at: act.at, by: act.by } : { met: false });
  const criteria = {
    operationalTwoWeeks: operationalAt <= now ? { met: true, at: operationalAt } : { met: false },
    customerSignoff: acted(record.customerSignoff),
    providerSignoff: acted(record.providerSignoff),
    transition: acted(record.transition),
  };
  const all = Object.values(criteria);
  const concludedAt = all.every((c) => c.met) ? Math.max(...all.map((c) => c.at!)) : undefined;
  const status: HypercareStatus = now < record.goLiveAt ? 'not-started' : concludedAt !== undefined ? 'concluded' : 'active';
  return { status, goLiveAt: record.goLiveAt, plannedEndAt, criteria, ...(concludedAt !== undefined ? { concludedAt } : {}), overdue: status === 'active' && now >= plannedEndAt };
}

/** Which party a sign-off is for. */
export type Party = 'customer' | 'provider';

const signoffField = (party: Party) => (party === 'customer' ? 'customerSignoff' : 'providerSignoff');

/** A party signs that the system is stable; signing again keeps the first signature. */
export function signOff(record: HypercareRecord, party: Party, act: Act, timeZone: string): HypercareRecord {
  if (hypercareState(record, act.at, timeZone).status === 'not-started') throw new HypercareRuleError('hypercare has not started: sign off after go-live');
  return record[signoffField(party)] ? record : { ...record, [signoffField(party)]: act };
}

/** A party withdraws its sign-off, until the period concludes; after, the conclusion stands. */
export function withdrawSignoff(record: HypercareRecord, party: Party, now: Instant, timeZone: string): HypercareRecord {
  if (hypercareState(record, now, timeZone).status === 'concluded') throw new HypercareRuleError('hypercare has concluded: the sign-offs stand');
  const { [signoffField(party)]: _withdrawn, ...rest } = record;
  return rest;
}

/** An extension both parties agreed: moves the planned end. Not once concluded. */
export function extend(record: HypercareRecord, extension: Extension, timeZone: string): HypercareRecord {
  if (hypercareState(record, extension.at, timeZone).status === 'concluded') throw new HypercareRuleError('hypercare has concluded: it can no longer be extended');
  return { ...record, extensions: [...record.extensions, extension] };
}

/** The formal transition to standard support; recorded once. */
export function transitionToStandardSupport(record: HypercareRecord, act: Act & { note?: string }): HypercareRecord {
  return record.transition ? record : { ...record, transition: act };
}

class HypercareRuleError extends ConflictError {
  override readonly type = 'hypercare-rule';
}

/**
 * The alert that a customer's hypercare has passed its planned end without
 * concluding: to the provider's on-call, once per planned end (an extension
 * that passes too is told again).
 */
export function overdueAlerts(customerId: string, customerName: string, state: HypercareState, onCall: readonly string[], timeZone: string, consoleUrl?: string): AlertMessage[] {
  const end = timeText(state.plannedEndAt, timeZone);
  const open = (Object.keys(state.criteria) as (keyof HypercareState['criteria'])[]).filter((name) => !state.criteria[name].met).map((name) => HYPERCARE_CRITERION_NAMES[name]);
  const subject = `[Hypercare overdue] ${customerName} (${customerId}): planned to end ${end}, not concluded`;
  const letter = writeLetter(
    {
      subject,
      action: `Agree an extension with ${customerName}, or complete what is still open: hypercare was planned to end ${end}.`,
      link: { text: 'Open their hypercare', route: `#/hypercare/${customerId}` },
      facts: [
        ['Go-live', timeText(state.goLiveAt, timeZone)],
        ['Planned end', end],
      ],
      sections: [{ title: 'Still open', lines: open }],
    },
    consoleUrl,
  );
  const base = { kind: 'hypercare-overdue' as const, about: { type: 'customer' as const, id: customerId }, customerId, hypercare: true, subject, body: letter.body };
  const occasion = new Date(state.plannedEndAt).toISOString();
  return [
    { ...base, id: `${customerId}:hypercare-overdue:email:${occasion}`, channel: 'email', html: letter.html, recipients: [...onCall] },
    { ...base, id: `${customerId}:hypercare-overdue:sns:${occasion}`, channel: 'sns' },
  ];
}

/** Whether the customer's hypercare period is running at `now`. */
export function inHypercare(profile: Pick<CustomerProfile, 'hypercare'> | undefined, now: Instant, timeZone = CONTRACT_ZONE): boolean {
  return profile?.hypercare !== undefined && hypercareState(profile.hypercare, now, timeZone).status === 'active';
}
