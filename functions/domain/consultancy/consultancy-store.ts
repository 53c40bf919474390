import type { Instant } from '../calendar/business-calendar';
import type { ConsultancyRequest } from './consultancy';

/** A request's audit trail: every transition, who made it and when. */
export interface ConsultancyEvent {
  readonly requestId: string;
  readonly type: string;
  readonly at: Instant;
  readonly by: string;
  readonly details?: Readonly<Record<string, string | number>>;
}

/** The port for consultancy requests: every change is conditional on the version it was made from. */
export interface ConsultancyStore {
  /** Creates the request with its first event; false if the id is taken. */
  create(request: ConsultancyRequest, event: ConsultancyEvent): Promise<boolean>;
  get(id: string): Promise<ConsultancyRequest | undefined>;
  /** Writes the request if the stored one is still at `expectedVersion`, with its event; 'conflict' otherwise. */
  save(request: ConsultancyRequest, expectedVersion: number, event: ConsultancyEvent): Promise<'written' | 'conflict'>;
  listEvents(id: string, limit: number, cursor?: string): Promise<{ items: ConsultancyEvent[]; nextCursor: string | null }>;
}
