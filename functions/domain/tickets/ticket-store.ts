import type { LocalMonth } from '../month';
import type { IdempotencyClaim } from '../idempotency';
import type { AlertMessage } from '../notifications/alerts';
import type { Priority } from '../sla/sla-policy';
import type { TimerKind } from '../sla/sla-timers';
import type { Comment, SlaState, Ticket, TicketEvent, TicketStatus } from './ticket';

export interface Page<T> {
  readonly items: readonly T[];
  /** Opaque; null on the last page. */
  readonly nextCursor: string | null;
}

export interface TicketQuery {
  /** Only this customer's tickets; unset lists every customer's (agents only). */
  readonly customerId?: string;
  /** Any of these statuses. */
  readonly status?: readonly TicketStatus[];
  readonly priority?: Priority;
  /** Only tickets whose title contains this text, in any case. */
  readonly title?: string;
  /** Only tickets whose first response was (true) or was not yet (false) given. */
  readonly answered?: boolean;
  /** Only tickets this person (by subject) owns, or, with null, those no one owns. */
  readonly assignee?: string | null;
  /**
   * By the first-response SLA: `running` lists the tickets still awaiting their
   * outcome, by due time, earliest first; `met` and `breached` the settled ones.
   */
  readonly sla?: SlaState;
  /** With `sla: 'running'`: earliest due first (what breaches next), instead of newest first. */
  readonly byDue?: boolean;
  /** The instant the SLA states are judged at. */
  readonly now: number;
  readonly limit: number;
  readonly cursor?: string;
}

/** What adding a comment came to; the store reports, the use case decides what it means. */
export type CommentOutcome = 'added' | 'already-responded' | 'closed' | 'no-such-ticket' | 'idempotency-key-taken';

/** A comment that is the first response, and the deadline it was judged against. */
export interface FirstResponse {
  readonly at: number;
  readonly dueAt: number;
  /** The responder becomes the owner, with this event, if no one owns the ticket when the response is written. */
  readonly owner?: { readonly subject: string; readonly event: TicketEvent };
}

/** The port the ticket use cases need; DynamoDB implements it. Every write is conditional. */
export interface TicketStore {
  nextTicketNumber(customerId: string): Promise<number>;
  /** Writes the ticket, its audit event, the idempotency record and the messages its opening queues together, or nothing. */
  create(ticket: Ticket, event: TicketEvent, idempotency?: IdempotencyClaim, messages?: readonly AlertMessage[]): Promise<'created' | 'idempotency-key-taken'>;
  get(id: string): Promise<Ticket | undefined>;
  list(query: TicketQuery): Promise<Page<Ticket>>;
  /** Replaces the ticket if it is still at `expectedVersion`, with its audit events and the messages the change queues (the outbox). */
  update(ticket: Ticket, expectedVersion: number, events: TicketEvent | readonly TicketEvent[], messages?: readonly AlertMessage[]): Promise<void>;
  /** Adds a comment, with the messages it queues; as first response only if none was recorded yet. */
  addComment(comment: Comment, events: readonly TicketEvent[], firstResponse?: FirstResponse, idempotency?: IdempotencyClaim, messages?: readonly AlertMessage[]): Promise<CommentOutcome>;
  /** A ticket's audit events in order; `publicOnly` leaves out the events of internal notes, and still fills the page. */
  listEvents(ticketId: string, limit: number, cursor?: string, options?: { publicOnly?: boolean }): Promise<Page<TicketEvent>>;
  listComments(ticketId: string, options: { publicOnly: boolean; limit: number; cursor?: string }): Promise<Page<Comment>>;
  /**
   * Records a breach or warning once, with its alerts and audit event, in one
   * transaction, decided from exactly this version of the ticket; a
   * ConcurrentWriteError when the ticket changed since (decide again).
   */
  raiseAlert(ticket: Ticket, kind: TimerKind, messages: readonly AlertMessage[], event: TicketEvent): Promise<void>;
  /** Running tickets due at or before `dueBy`, earliest first: those still awaiting their first-response outcome. */
  overdue(dueBy: number, limit: number): Promise<Ticket[]>;
  /** Takes a ticket (still at this version) off the running tickets, when its outcome turned out settled. */
  leaveRunning(ticket: Ticket): Promise<void>;
  /** The tickets opened in a local month, as they stand, a page at a time: everyone's, or one customer's. */
  openedIn(month: LocalMonth, customerId?: string): AsyncIterable<readonly Ticket[]>;
  /** Gives a closed ticket's items (events, comments, attachments, messages) their expiry; running it again writes the same. */
  expireClosed(ticket: Ticket): Promise<void>;
  /** Fails when the table cannot be reached. */
  ping(): Promise<void>;
}
