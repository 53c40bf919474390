import type { Instant } from '../../domain/calendar/business-calendar';
import type { KnownSender, RepliedTicket } from '../../domain/inbound/inbound-message';
import type { ClaimResult, InboundClaims, InboundOutcome, InboundTickets, MessageKey, SenderDirectory } from '../../domain/inbound/inbound-ports';

type Request<K extends keyof InboundTickets> = Parameters<InboundTickets[K]>[0];

/**
 * The tickets port on one machine, until TicketService takes the ingest's
 * decisions: it knows the tickets it is given, makes ids as TicketService
 * would (ACME-13 after ACME-12), and keeps what it was asked, in order, for
 * anyone to read. A key seen before answers as it did, as TicketService's
 * Idempotency-Key does.
 */
export class LocalInboundTickets implements InboundTickets {
  readonly comments: Request<'comment'>[] = [];
  readonly opened: Request<'open'>[] = [];
  readonly refused: Request<'refuse'>[] = [];
  private readonly tickets = new Map<string, RepliedTicket>();
  private readonly answers = new Map<MessageKey, unknown>();

  constructor(tickets: readonly RepliedTicket[] = []) {
    for (const ticket of tickets) this.tickets.set(ticket.id, ticket);
  }

  async ticket(ticketId: string): Promise<RepliedTicket | undefined> {
    return this.tickets.get(ticketId);
  }

  async comment(request: Request<'comment'>) {
    return this.once(request.key, () => {
      this.comments.push(request);
      return { commentId: `${request.ticketId}#c${this.comments.length}` };
    });
  }

  async open(request: Request<'open'>) {
    return this.once(request.key, () => {
      const numbers = [...this.tickets.keys()].filter((id) => id.startsWith(`${request.customerId}-`)).map((id) => Number(id.slice(request.customerId.length + 1)));
      const id = `${request.customerId}-${Math.max(0, ...numbers) + 1}`;
      this.tickets.set(id, { id, customerId: request.customerId, status: 'open' });
      this.opened.push(request);
      return { ticketId: id };
    });
  }

  async refuse(request: Request<'refuse'>) {
    this.once(request.key, () => this.refused.push(request));
  }

  private once<T>(key: MessageKey, work: () => T): T {
    if (!this.answers.has(key)) this.answers.set(key, work());
    return this.answers.get(key) as T;
  }
}

/** The senders the desk knows, given as a list. */
export class LocalSenderDirectory implements SenderDirectory {
  constructor(private readonly known: readonly KnownSender[]) {}

  async whoIs(email: string): Promise<readonly KnownSender[]> {
    return this.known.filter((s) => s.email.toLowerCase() === email.toLowerCase());
  }
}

/** Claims held in memory: one process's, with the same rules as the table's. */
export class LocalInboundClaims implements InboundClaims {
  private readonly items = new Map<MessageKey, { state: 'claimed'; leaseUntil: number } | { state: 'done'; outcome: InboundOutcome }>();

  async claim(key: MessageKey, at: Instant, leaseMs: number): Promise<ClaimResult> {
    const item = this.items.get(key);
    if (item?.state === 'done') return { claim: 'done', outcome: item.outcome };
    if (item && item.leaseUntil >= at) return { claim: 'busy' };
    this.items.set(key, { state: 'claimed', leaseUntil: at + leaseMs });
    return { claim: 'taken' };
  }

  async release(key: MessageKey): Promise<void> {
    if (this.items.get(key)?.state === 'claimed') this.items.delete(key);
  }

  async settle(key: MessageKey, outcome: InboundOutcome): Promise<void> {
    this.items.set(key, { state: 'done', outcome });
  }
}
