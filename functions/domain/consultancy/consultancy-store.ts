import type { Instant } from '../calendar/business-calendar';
import type { IdempotencyClaim } from '../idempotency';
import type { LocalMonth } from '../month';
import type { AlertMessage } from '../notifications/alerts';
import type { ConsultancyRequest, ConsultancyStatus, TimeEntry } from './consultancy';
import type { BillableEntry } from './statement';

export const CONSULTANCY_EVENT_TYPES = [
  'consultancy.proposed',
  'consultancy.requested',
  'consultancy.approved',
  'consultancy.rejected',
  'consultancy.cancelled',
  'consultancy.completed',
  'consultancy.time-logged',
  'consultancy.increase-requested',
  'consultancy.increase-approved',
  'consultancy.increase-rejected',
] as const;
export type ConsultancyEventType = (typeof CONSULTANCY_EVENT_TYPES)[number];

/** A request's audit trail: every transition, who made it and when. */
export interface ConsultancyEvent {
  readonly requestId: string;
  readonly type: ConsultancyEventType;
  readonly at: Instant;
  readonly by: string;
  readonly details?: Readonly<Record<string, string | number>>;
}

/** What a change writes beside the request, in the same transaction. */
export interface ConsultancyWrite {
  /** A time entry just logged: filed under its month for finance. */
  readonly entry?: TimeEntry;
  /** Emails to queue (the approvers' notice). */
  readonly messages?: readonly AlertMessage[];
  /** The Idempotency-Key the change answers. */
  readonly claim?: IdempotencyClaim;
}

export interface ConsultancyQuery {
  readonly customerId?: string;
  readonly status?: ConsultancyStatus;
  readonly limit: number;
  readonly cursor?: string;
}

/** The port for consultancy requests: every change is conditional on the version it was made from. */
export interface ConsultancyStore {
  /** Creates the request with its first event; false if the id or the Idempotency-Key is taken. */
  create(request: ConsultancyRequest, event: ConsultancyEvent, write?: ConsultancyWrite): Promise<boolean>;
  get(id: string): Promise<ConsultancyRequest | undefined>;
  /** Writes the request if the stored one is still at `expectedVersion`, with its event; 'conflict' otherwise. */
  save(request: ConsultancyRequest, expectedVersion: number, event: ConsultancyEvent, write?: ConsultancyWrite): Promise<'written' | 'conflict'>;
  listEvents(id: string, limit: number, cursor?: string): Promise<{ items: ConsultancyEvent[]; nextCursor: string | null }>;
  /** Requests, newest first: one customer's, or everyone's. */
  list(query: ConsultancyQuery): Promise<{ items: ConsultancyRequest[]; nextCursor: string | null }>;
  /** The time entries dated in a month (in the contract's zone): everyone's, or one customer's. */
  entriesInMonth(month: LocalMonth, customerId?: string): Promise<BillableEntry[]>;
}
