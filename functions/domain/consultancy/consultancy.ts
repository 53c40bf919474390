import { DateTime } from 'luxon';
import type { Instant } from '../calendar/business-calendar';
import { ConflictError, ForbiddenError, IllegalTransitionError, InvalidInputError } from '../errors';
import { hoursOf, quartersOf } from './hours';
import { amountFor, type Rate } from './money';
import { CONSULTANCY_STATUS_NAMES } from '../wording';

/** The contract's consultancy services, paid beside the fixed fee. */
export const CONSULTANCY_SERVICES = {
  'data-restore': 'Restore data after a customer or end user deleted users (employees and locations)',
  'security-proxy': 'Guidance and debugging for deploying the Security Proxy in front of the Graph API',
  'scim-segmentation': 'SCIM user data segmentation and data quality for Entra users',
  'salesforce-segmentation': 'Salesforce user data segmentation and data quality for Entra user data mapping',
  'salesforce-sharing': 'Diagnostics of Salesforce sharing settings for customer-specific data or configuration',
  'crm-flows': 'Advanced configuration of CRM flows',
  'crm-data-fetchers': 'Advanced configuration of CRM data fetchers',
  'license-management': 'License management assistance',
  other: 'Anything else (a description is required)',
} as const;
export type ConsultancyService = keyof typeof CONSULTANCY_SERVICES;

export const CONSULTANCY_STATUSES = ['proposed', 'approved', 'rejected', 'completed', 'cancelled'] as const;
export type ConsultancyStatus = (typeof CONSULTANCY_STATUSES)[number];

/** Who did something, and when. */
export interface Act {
  readonly at: Instant;
  readonly by: string;
}

/** More hours, asked for by an agent; they count only once the customer approves them. */
export interface Increase {
  readonly n: number;
  readonly quarters: number;
  readonly reason: string;
  readonly requested: Act;
  readonly status: 'proposed' | 'approved' | 'rejected';
  readonly decided?: Act & { readonly reason?: string };
}

export interface TimeEntry {
  readonly id: string;
  readonly quarters: number;
  /** The day the work was done, in Copenhagen: YYYY-MM-DD. */
  readonly date: string;
  readonly note: string;
  readonly logged: Act;
}

export interface ConsultancyRequest {
  readonly id: string;
  readonly customerId: string;
  readonly service: ConsultancyService;
  readonly description: string;
  readonly estimateQuarters: number;
  readonly ticketId?: string;
  readonly status: ConsultancyStatus;
  readonly proposed: Act;
  /** The customer's prior approval: who, when, the hours approved and the rate then in force. */
  readonly approval?: Act & { readonly quarters: number; readonly rate: Rate };
  readonly decision?: Act & { readonly reason?: string };
  readonly increases: readonly Increase[];
  readonly entries: readonly TimeEntry[];
  readonly version: number;
}

/**
 * What one request keeps: its entries and increases live in its record (one
 * DynamoDB item, at most 400 KB), so each is bounded; bigger work is several requests.
 */
export const REQUEST_LIMITS = { estimateOrIncreaseHours: 10_000, entries: 200, increases: 20 } as const;

/** Which side acts: the customer's own users, or the provider's agents and admins. */
export type Side = 'customer' | 'provider';

/** A request that cannot take what was asked: the problem says why. */
class ConsultancyRuleError extends ConflictError {
  override readonly type = 'consultancy-rule';
}

export class InvalidConsultancyError extends InvalidInputError {
  readonly type = 'invalid-consultancy';
}

const statusWord = (status: ConsultancyStatus | Increase['status']) => CONSULTANCY_STATUS_NAMES[status].toLowerCase();

/** Where a request stands, in a sentence: "is waiting for approval", "was cancelled". */
const standing = (status: ConsultancyStatus) => (status === 'proposed' ? `is ${statusWord(status)}` : `was ${statusWord(status)}`);

function move(request: ConsultancyRequest, to: ConsultancyStatus, allowedFrom: readonly ConsultancyStatus[]): void {
  if (allowedFrom.includes(request.status)) return;
  const why = request.status === to ? `cannot be ${statusWord(to)} again` : request.status === 'proposed' ? `cannot be ${statusWord(to)} before it is approved` : `can no longer be ${statusWord(to)}`;
  throw new IllegalTransitionError(request.status, to, `this request ${standing(request.status)}; it ${why}`);
}

/** A new request: proposed by an agent for a customer, or requested by the customer itself. */
export function propose(input: { id: string; customerId: string; service: ConsultancyService; description: string; estimateHours: number; ticketId?: string; proposed: Act }): ConsultancyRequest {
  if (input.service === 'other' && input.description.trim() === '') throw new InvalidConsultancyError('a request for "other" consultancy needs a description of the work');
  const { estimateHours, ...rest } = input;
  // An estimate is hours of work, not one entry: it may exceed a day.
  return { ...rest, estimateQuarters: quartersOf(estimateHours, REQUEST_LIMITS.estimateOrIncreaseHours * 4), status: 'proposed', increases: [], entries: [], version: 1 };
}

/** The customer approves the estimate at the rate in force now; later rate changes do not reprice it. */
export function approve(request: ConsultancyRequest, side: Side, act: Act, rate: Rate | undefined): ConsultancyRequest {
  customerOnly(side, 'approve consultancy');
  move(request, 'approved', ['proposed']);
  if (!rate) throw new ConsultancyRuleError('no consultancy rate is agreed for this customer yet; the provider sets one before work can be approved');
  return { ...request, status: 'approved', approval: { ...act, quarters: request.estimateQuarters, rate }, version: request.version + 1 };
}

export function reject(request: ConsultancyRequest, side: Side, act: Act, reason?: string): ConsultancyRequest {
  customerOnly(side, 'reject consultancy');
  move(request, 'rejected', ['proposed']);
  return { ...request, status: 'rejected', decision: { ...act, ...(reason ? { reason } : {}) }, version: request.version + 1 };
}

/** The provider cancels before or during the work; the customer only before approving it. */
export function cancel(request: ConsultancyRequest, side: Side, act: Act, reason?: string): ConsultancyRequest {
  move(request, 'cancelled', side === 'customer' ? ['proposed'] : ['proposed', 'approved']);
  return { ...request, status: 'cancelled', decision: { ...act, ...(reason ? { reason } : {}) }, version: request.version + 1 };
}

export function complete(request: ConsultancyRequest, side: Side, act: Act): ConsultancyRequest {
  providerOnly(side, 'complete consultancy');
  move(request, 'completed', ['approved']);
  return { ...request, status: 'completed', decision: act, version: request.version + 1 };
}

/** The hours the customer has approved: the estimate, and every approved increase. */
export function approvedQuarters(request: ConsultancyRequest): number {
  if (!request.approval) return 0;
  return request.approval.quarters + request.increases.filter((i) => i.status === 'approved').reduce((sum, i) => sum + i.quarters, 0);
}

export const loggedQuarters = (request: ConsultancyRequest) => request.entries.reduce((sum, e) => sum + e.quarters, 0);

/** An agent asks for more hours on approved work. */
export function requestIncrease(request: ConsultancyRequest, side: Side, act: Act, hours: number, reason: string): ConsultancyRequest {
  providerOnly(side, 'ask for more consultancy hours');
  if (request.status !== 'approved') throw new ConsultancyRuleError(`more hours are asked for on approved work; this request ${standing(request.status)}`);
  if (request.increases.length >= REQUEST_LIMITS.increases)
    throw new ConsultancyRuleError(`request ${request.id} has had ${REQUEST_LIMITS.increases} increases, the most one request keeps: complete it and propose the rest as a new request`);
  const increase: Increase = { n: request.increases.length + 1, quarters: quartersOf(hours, REQUEST_LIMITS.estimateOrIncreaseHours * 4), reason, requested: act, status: 'proposed' };
  return { ...request, increases: [...request.increases, increase], version: request.version + 1 };
}

/** The customer approves or rejects an increase; only an approved one adds hours. */
export function decideIncrease(request: ConsultancyRequest, side: Side, act: Act, n: number, approved: boolean, reason?: string): ConsultancyRequest {
  customerOnly(side, `${approved ? 'approve' : 'reject'} more consultancy hours`);
  const increase = request.increases.find((i) => i.n === n);
  if (!increase) throw new ConsultancyRuleError(`request ${request.id} has no increase ${n}`);
  if (increase.status !== 'proposed') throw new ConsultancyRuleError(`increase ${n} was already ${statusWord(increase.status)}`);
  if (request.status !== 'approved') throw new ConsultancyRuleError(`this request ${standing(request.status)}: its hours no longer change`);
  const decided: Increase = { ...increase, status: approved ? 'approved' : 'rejected', decided: { ...act, ...(reason ? { reason } : {}) } };
  return { ...request, increases: request.increases.map((i) => (i.n === n ? decided : i)), version: request.version + 1 };
}

/**
 * Time against approved work: only while approved, never beyond the approved
 * hours, on a real day that is neither in the future nor before the approval.
 */
export function logTime(request: ConsultancyRequest, side: Side, entry: { id: string; hours: number; date: string; note: string }, act: Act, timeZone: string): ConsultancyRequest {
  providerOnly(side, 'log consultancy time');
  const quarters = quartersOf(entry.hours);
  const day = DateTime.fromISO(entry.date, { zone: timeZone });
  if (!/^\d{4}-\d{2}-\d{2}$/.test(entry.date) || !day.isValid)
    throw new InvalidConsultancyError(`give the day the work was done as a calendar day, for example 2026-12-10, not ${JSON.stringify(entry.date)}`);
  if (request.status !== 'approved') {
    throw new ConsultancyRuleError(
      request.status === 'proposed'
        ? 'the customer has not approved this consultancy yet: no time can be logged before its prior approval'
        : `this request ${standing(request.status)}: it takes no more time`,
    );
  }
  const today = DateTime.fromMillis(act.at, { zone: timeZone }).toISODate()!;
  const approvedOn = DateTime.fromMillis(request.approval!.at, { zone: timeZone }).toISODate()!;
  if (entry.date > today) throw new InvalidConsultancyError(`${entry.date} is in the future; time is logged for work done`);
  if (entry.date < approvedOn) throw new ConsultancyRuleError(`${entry.date} is before the approval on ${approvedOn}: only approved work is billed`);
  if (request.entries.length >= REQUEST_LIMITS.entries)
    throw new ConsultancyRuleError(`request ${request.id} has ${REQUEST_LIMITS.entries} time entries, the most one request keeps: complete it and propose the rest as a new request`);
  const left = approvedQuarters(request) - loggedQuarters(request);
  if (quarters > left) {
    throw new ConsultancyRuleError(`${hoursOf(quarters)} h would exceed the approved hours: ${hoursOf(left)} h are left; ask the customer to approve more hours for this request first`);
  }
  return { ...request, entries: [...request.entries, { id: entry.id, quarters, date: entry.date, note: entry.note, logged: act }], version: request.version + 1 };
}

/** What the logged time costs at the approved rate, in minor units. */
export function billableAmount(request: ConsultancyRequest): number {
  return request.approval ? amountFor(request.approval.rate, loggedQuarters(request)) : 0;
}

function customerOnly(side: Side, what: string): void {
  if (side !== 'customer') throw new ForbiddenError(`only the customer may ${what}: the approval is theirs`);
}

function providerOnly(side: Side, what: string): void {
  if (side !== 'provider') throw new ForbiddenError(`only the provider's agents ${what}`);
}
