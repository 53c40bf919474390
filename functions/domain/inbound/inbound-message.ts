import type { Instant } from '../calendar/business-calendar';
import type { NewTicket, TicketStatus } from '../tickets/ticket';
import { followUpText } from '../wording';
import { DateTime } from 'luxon';
import type { Addressed } from './reply-address';

/** A verdict as SES's receipt notification gives it (`receipt.spfVerdict.status` and the others). */
export type VerdictStatus = 'PASS' | 'FAIL' | 'GRAY' | 'PROCESSING_FAILED' | 'DISABLED';

export interface Verdicts {
  readonly spf: VerdictStatus;
  readonly dkim: VerdictStatus;
  readonly dmarc: VerdictStatus;
  readonly spam: VerdictStatus;
  readonly virus: VerdictStatus;
}

/** An attachment as the message declares it; its bytes stay with the parser until the ticket takes them. */
export interface AttachmentMeta {
  readonly filename: string;
  readonly contentType: string;
  readonly size: number;
  /** The decoded bytes: they become the ticket's attachment. */
  readonly content: Uint8Array;
}

/** A message as the parser reads it (functions/adapters/inbound/mime-parser.ts). */
export interface ParsedMessage {
  /** Message-ID without its angle brackets, when the message has one. */
  readonly messageId?: string;
  readonly inReplyTo?: string;
  readonly references: readonly string[];
  /** The From address, lower case, and the name it gives. */
  readonly from?: { readonly address: string; readonly name?: string };
  /** Every To and Cc address, lower case. */
  readonly recipients: readonly string[];
  readonly subject: string;
  /** The plain text as sent, or the HTML read as text when the message has no text part. */
  readonly text: string;
  /** What the sender wrote this time: the text without quoted replies and signatures. */
  readonly reply: string;
  /** The text without the sender's signature, quotes kept (a new message may quote what it reports). */
  readonly body: string;
  readonly html?: string;
  readonly attachments: readonly AttachmentMeta[];
  /** Sent by a machine (RFC 3834 Auto-Submitted, or a list's Precedence): never answered, never a ticket. */
  readonly automatic: boolean;
}

/** Someone the desk knows by their address: a contact of the customer, or one of its users (by their token's subject). */
export interface KnownSender {
  readonly customerId: string;
  readonly email: string;
  readonly name?: string;
  /** Set for a user of the desk; a contact who never signed in has none. */
  readonly subject?: string;
  /** A contact's pseudonym (`contactSubject`), given by the ingest: what they act under. */
  readonly pseudonym?: string;
}

/** The ticket a reply is addressed to, as far as deciding needs it. */
export interface RepliedTicket {
  readonly id: string;
  readonly customerId: string;
  readonly status: TicketStatus;
}

const REFUSAL_REASONS = ['not-addressed', 'automatic', 'failed-verdict', 'bad-signature', 'no-such-ticket', 'unknown-sender', 'ambiguous-sender', 'empty-reply', 'too-large', 'unreadable'] as const;
export type RefusalReason = (typeof REFUSAL_REASONS)[number];

/** The polite reply a refused sender gets: one per sender and Copenhagen day, which the outbox sends once. */
export interface RefusalReply {
  readonly to: string;
  readonly occasionId: string;
}

/** What a message becomes. */
export type InboundDecision =
  | { readonly action: 'comment'; readonly ticketId: string; readonly by: KnownSender; readonly body: string; readonly attachments: readonly AttachmentMeta[] }
  | {
      readonly action: 'open';
      readonly customerId: string;
      readonly by: KnownSender;
      readonly ticket: NewTicket;
      readonly attachments: readonly AttachmentMeta[];
      /** The closed ticket this one follows up. */
      readonly refersTo?: string;
    }
  | { readonly action: 'refuse'; readonly reason: RefusalReason; readonly detail?: string; readonly reply?: RefusalReply };

/** What deciding needs: the message, where it went, SES's verdicts, and what the desk knows of its sender and ticket. */
export interface InboundFacts {
  readonly message: ParsedMessage;
  readonly verdicts: Verdicts;
  /** What the recipients mean, one per recipient of this delivery. */
  readonly addressed: readonly Addressed[];
  /** Everyone the sender's address is known as, at any customer. */
  readonly senders: readonly KnownSender[];
  /** The ticket a reply names, if it exists. */
  readonly ticket?: RepliedTicket;
  readonly receivedAt: Instant;
  readonly timeZone: string;
}

/** Ticket titles are kept to this many characters. */
const MAX_TITLE = 200;
const NO_SUBJECT = '(no subject)';

/**
 * Which delivery the message is: a reply to a ticket wins over a copy to the
 * support address, a forged reply address over everything (a forger gains
 * nothing by adding the support address).
 */
export function addressedOf(addressed: readonly Addressed[]): Addressed {
  return addressed.find((a) => a.to === 'forged') ?? addressed.find((a) => a.to === 'ticket') ?? addressed.find((a) => a.to === 'support') ?? { to: 'elsewhere' };
}

/** The one verdict that fails the message, if any: spam and viruses must be scanned clean, and the sender must not fail authentication. */
export function failedVerdict(v: Verdicts): string | undefined {
  if (v.virus !== 'PASS') return `virus ${v.virus}`;
  if (v.spam !== 'PASS') return `spam ${v.spam}`;
  for (const check of ['dmarc', 'spf', 'dkim'] as const) if (v[check] === 'FAIL') return `${check} FAIL`;
  // Without a DMARC verdict the From is believed only with SPF or DKIM passing.
  if (v.dmarc !== 'PASS' && v.spf !== 'PASS' && v.dkim !== 'PASS') return `no SPF, DKIM or DMARC pass (spf ${v.spf}, dkim ${v.dkim}, dmarc ${v.dmarc})`;
  return undefined;
}

/** The occasion of a refused sender's polite reply: one a day per address, by the desk's calendar day. */
export function refusalOccasion(sender: string, at: Instant, timeZone: string): string {
  return `${refusalsOf(sender)}${DateTime.fromMillis(at, { zone: timeZone }).toISODate()}`;
}

/** Where refusals' replies are kept: one item per sender and day, beside the received messages' claims. */
export const REFUSALS = 'refusals';

/** How every refusal occasion of one address starts: its person's export and erasure find them by it. */
export const refusalsOf = (sender: string) => `inbound-refused#${sender.toLowerCase()}#`;

/**
 * What a received message becomes.
 * 1. Mail not to us, and mail a machine sent, are dropped without a reply (no loops).
 * 2. A failed verdict refuses without a reply: its From may be forged, and a reply would be backscatter.
 * 3. A forged reply address refuses; the sender is told once a day.
 * 4. The sender must be known at the ticket's customer (a reply) or at exactly one customer (a new message).
 * 5. A reply whose own text is empty adds nothing; a reply to a closed ticket opens a new one that refers to it.
 */
export function decideInbound(facts: InboundFacts): InboundDecision {
  const { message } = facts;
  const addressed = addressedOf(facts.addressed);
  const from = message.from?.address;
  const refuse = (reason: RefusalReason, detail?: string, politely = true): InboundDecision => ({
    action: 'refuse',
    reason,
    ...(detail ? { detail } : {}),
    ...(politely && from ? { reply: { to: from, occasionId: refusalOccasion(from, facts.receivedAt, facts.timeZone) } } : {}),
  });
  if (addressed.to === 'elsewhere') return refuse('not-addressed', undefined, false);
  if (message.automatic) return refuse('automatic', undefined, false);
  const failed = failedVerdict(facts.verdicts);
  if (failed) return refuse('failed-verdict', failed, false);
  if (!from) return refuse('unknown-sender', 'the message has no From address', false);
  if (addressed.to === 'forged') return refuse('bad-signature', addressed.ticketId);

  if (addressed.to === 'ticket') {
    const ticket = facts.ticket;
    if (!ticket || ticket.id !== addressed.ticketId) return refuse('no-such-ticket', addressed.ticketId);
    const by = facts.senders.find((s) => s.customerId === ticket.customerId);
    if (!by) return refuse('unknown-sender', `${from} is not known at ${ticket.customerId}`);
    const reply = message.reply.trim();
    if (reply === '') return refuse('empty-reply', ticket.id);
    if (ticket.status === 'closed') return opened(by, message, reply, ticket.id);
    return { action: 'comment', ticketId: ticket.id, by, body: reply, attachments: message.attachments };
  }

  const customers = [...new Set(facts.senders.map((s) => s.customerId))];
  if (customers.length === 0) return refuse('unknown-sender', from);
  // Known at two customers: which one's ticket it is cannot be told, so neither gets it.
  if (customers.length > 1) return refuse('ambiguous-sender', customers.join(', '));
  const body = message.body.trim();
  if (body === '' && message.subject.trim() === '') return refuse('empty-reply');
  return opened(facts.senders[0]!, message, body);
}

/** A new ticket from a message: title from the subject, description from the body, `other` at the contract's default Medium. */
function opened(by: KnownSender, message: ParsedMessage, body: string, refersTo?: string): InboundDecision {
  const title = (message.subject.trim() || NO_SUBJECT).slice(0, MAX_TITLE);
  const description = [refersTo ? followUpText(refersTo) : '', body || title].filter(Boolean).join('\n\n');
  return {
    action: 'open',
    customerId: by.customerId,
    by,
    ticket: { title, description, category: 'other', priority: 'medium' },
    attachments: message.attachments,
    ...(refersTo ? { refersTo } : {}),
  };
}
