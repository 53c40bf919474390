import type { Instant } from '../calendar/business-calendar';
import type { NewTicket } from '../tickets/ticket';
import type { AttachmentMeta, KnownSender, RefusalReason, RefusalReply, RepliedTicket } from './inbound-message';

/**
 * Names one received message for exactly-once work: a hash of its Message-ID
 * (SES's own id when it has none). The ticket side uses it as the
 * Idempotency-Key of the comment or ticket it makes, so a message delivered
 * twice adds one.
 */
export type MessageKey = string;

/** Where a received message's decision goes: the tickets (TicketService, once wired), and the refusal log and reply. */
export interface InboundTickets {
  /** The ticket a reply names, as much as deciding needs; undefined when there is none. */
  ticket(ticketId: string): Promise<RepliedTicket | undefined>;
  /** A public comment by the sender; answers the comment's id. */
  comment(request: {
    readonly key: MessageKey;
    readonly ticketId: string;
    readonly by: KnownSender;
    readonly body: string;
    readonly attachments: readonly AttachmentMeta[];
  }): Promise<{ readonly commentId: string }>;
  /** A new ticket for the sender's customer; answers its id. */
  open(request: {
    readonly key: MessageKey;
    readonly customerId: string;
    readonly by: KnownSender;
    readonly ticket: NewTicket;
    readonly attachments: readonly AttachmentMeta[];
    readonly refersTo?: string;
  }): Promise<{ readonly ticketId: string }>;
  /** Records a refusal and queues its polite reply, if it has one (the outbox sends one per occasion). */
  refuse(request: { readonly key: MessageKey; readonly reason: RefusalReason; readonly detail?: string; readonly from?: string; readonly reply?: RefusalReply }): Promise<void>;
}

/** Who an address is: the contacts of every customer and the customers' users, by email. */
export interface SenderDirectory {
  whoIs(email: string): Promise<readonly KnownSender[]>;
}

/** What one message came to, kept with its claim: the next delivery of it answers this and does nothing. */
export type InboundOutcome =
  | { readonly action: 'comment'; readonly ticketId: string; readonly commentId: string }
  | { readonly action: 'open'; readonly ticketId: string }
  | { readonly action: 'refuse'; readonly reason: RefusalReason };

/** A message's claim: taken now, already done (with its outcome), or being worked on by another delivery. */
export type ClaimResult = { readonly claim: 'taken' } | { readonly claim: 'done'; readonly outcome: InboundOutcome } | { readonly claim: 'busy' };

/** The port for the claims that make each message's work happen once. */
export interface InboundClaims {
  /**
   * Claims a message for `leaseMs`: taken if no one holds it and it is not done,
   * or if an earlier holder's lease ran out (it crashed); else done or busy.
   */
  claim(key: MessageKey, at: Instant, leaseMs: number): Promise<ClaimResult>;
  /** Marks the claimed message done with what it came to. */
  settle(key: MessageKey, outcome: InboundOutcome, at: Instant, trace?: InboundTrace): Promise<void>;
  /** Lets go of a claim whose run failed, so the next delivery (Lambda's retry) takes it at once; a done message stays done. */
  release(key: MessageKey): Promise<void>;
}

/** Whose a message was and where its raw bytes are kept: what a sender's erasure needs to find and delete it. */
export interface InboundTrace {
  /** The id the sender acted under (a user's subject, a contact's pseudonym). */
  readonly by: string;
  /** The raw message's key in the inbound bucket (SES's S3 action), where one is kept. */
  readonly rawKey?: string;
}
