import type { Actor } from '../actor';
import { createHash } from 'node:crypto';
import type { AttachmentMeta, KnownSender, RepliedTicket } from '../inbound/inbound-message';
import { attachmentIdOf, type AttachmentService } from './attachment-service';
import type { InboundTickets, MessageKey } from '../inbound/inbound-ports';
import type { AlertOutbox } from '../notifications/alert-outbox';
import type { ConsoleUrl } from '../notifications/alerts';
import { inboundRefusal } from '../notifications/inbound-refusal';
import type { PersonStore } from '../people/people';
import type { TicketService } from './ticket-service';
import type { TicketStore } from './ticket-store';

type Request<K extends keyof InboundTickets> = Parameters<InboundTickets[K]>[0];

export interface InboundTicketsDeps {
  readonly tickets: Pick<TicketService, 'create' | 'comment'>;
  /** Where an email's files go: the ticket's attachments. */
  readonly attachments: Pick<AttachmentService, 'attach'>;
  readonly store: Pick<TicketStore, 'get'>;
  /** A contact without an account gets a person record, so the ticket's emails reach them and name them. */
  readonly people: Pick<PersonStore, 'remember'>;
  readonly outbox: Pick<AlertOutbox, 'enqueue'>;
  readonly now: () => number;
  readonly consoleUrl?: ConsoleUrl;
  /** A refusal, for the logs: the reason and what the ingest knows, never the sender's words. */
  readonly log: (message: string, fields: Record<string, unknown>) => void;
}

/**
 * The ingest's decisions, taken by TicketService as a customer's own acts: the
 * sender is a user of the customer (by their subject) or a contact (by a
 * keyed pseudonym, with a person record of their name and address). The
 * message's key is the Idempotency-Key, so the same message twice adds one
 * comment or one ticket, whatever crashed in between.
 */
export class InboundTicketService implements InboundTickets {
  constructor(private readonly deps: InboundTicketsDeps) {}

  async ticket(ticketId: string): Promise<RepliedTicket | undefined> {
    const ticket = await this.deps.store.get(ticketId);
    return ticket && { id: ticket.id, customerId: ticket.customerId, status: ticket.status };
  }

  async comment(request: Request<'comment'>): Promise<{ readonly commentId: string }> {
    const actor = await this.actorOf(request.by);
    const answer = await this.deps.tickets.comment(actor, request.ticketId, { body: request.body, visibility: 'public' }, idempotencyKey(request.key));
    await this.attach(actor, request.ticketId, request.key, request.attachments);
    return { commentId: answer.id };
  }

  async open(request: Request<'open'>): Promise<{ readonly ticketId: string }> {
    const actor = await this.actorOf(request.by);
    // A message cannot pick the impact from the console's list: its received email asks who is affected.
    const { view } = await this.deps.tickets.create(actor, request.ticket, idempotencyKey(request.key), { askImpact: request.ticket.impact === undefined });
    await this.attach(actor, view.id, request.key, request.attachments);
    return { ticketId: view.id };
  }

  async refuse(request: Request<'refuse'>): Promise<void> {
    // The detail may name the sender (an unknown address): logged only when it does not.
    const detail = request.detail && !request.detail.includes('@') ? { detail: request.detail } : {};
    this.deps.log('inbound email refused', { messageKey: request.key, reason: request.reason, ...detail, replied: request.reply !== undefined });
    // One a day per sender: the occasion is the message's id, and the outbox keeps a message it already has.
    if (request.reply) await this.deps.outbox.enqueue(inboundRefusal(request.reply, request.reason, this.deps.consoleUrl?.()), this.deps.now());
  }

  /**
   * The message's files, as the sender's attachments: each named for good by
   * the message's key and its place, so a repeated run attaches it once. A
   * file the limits refuse is left out, and logged.
   */
  private async attach(actor: Actor, ticketId: string, key: MessageKey, files: readonly AttachmentMeta[]): Promise<void> {
    for (const [index, file] of files.entries()) {
      const { refused } = await this.deps.attachments.attach(actor, ticketId, file, inboundAttachmentId(key, index));
      if (refused) this.deps.log('inbound email attachment not kept', { messageKey: key, ticketId, index, reason: refused });
    }
  }

  private async actorOf(by: KnownSender): Promise<Actor> {
    if (by.subject) return { subject: by.subject, role: 'customer', customerId: by.customerId };
    // The ingest names a contact by a keyed pseudonym: no event or comment ever carries the address.
    const subject = by.pseudonym;
    if (!subject) throw new Error('a contact with no account acts under the pseudonym the ingest gives');
    const now = this.deps.now();
    await this.deps.people.remember({ subject, ...(by.name ? { name: by.name } : {}), email: by.email.toLowerCase(), role: 'customer', customerId: by.customerId, issuedAt: now, updatedAt: now });
    return { subject, role: 'customer', customerId: by.customerId };
  }
}

/** Apart from any key a client picks: a message's key is a hash no client sends. */
const idempotencyKey = (key: MessageKey) => `inbound:${key}`;

/** An email's file's attachment id: from a hash of the message's key and the file's place. */
const inboundAttachmentId = (key: MessageKey, index: number): string => attachmentIdOf(createHash('sha256').update(`attachment:${key}:${index}`).digest());
