import type { Instant } from '../calendar/business-calendar';
import { ServiceUnavailableError } from '../errors';
import { addressedOf, decideInbound, type InboundDecision, type ParsedMessage, type RefusalReason, refusalOccasion, type Verdicts } from './inbound-message';
import type { InboundClaims, InboundOutcome, InboundTickets, MessageKey, SenderDirectory } from './inbound-ports';
import { contactSubject, type InboundAddresses, type Mac, readAddress } from './reply-address';

/** One message as SES delivered it: its receipt, and the raw message to read. */
export interface Delivery {
  readonly key: MessageKey;
  readonly receivedAt: Instant;
  /** The recipients this delivery is for (SES's `receipt.recipients`). */
  readonly recipients: readonly string[];
  readonly verdicts: Verdicts;
  /** The From address from SES's headers, for a refusal made before the message is read. */
  readonly from?: string;
  /** Where its raw bytes are kept (SES's S3 action), if they are. */
  readonly rawKey?: string;
  /** Reads and parses the message, or says why it cannot be read (too large, not a message). */
  readonly read: () => Promise<ParsedMessage | { readonly refused: Extract<RefusalReason, 'too-large' | 'unreadable'>; readonly detail: string }>;
}

export interface InboundIngestDeps {
  readonly claims: InboundClaims;
  readonly tickets: InboundTickets;
  readonly directory: SenderDirectory;
  readonly mac: Mac;
  readonly addresses: InboundAddresses;
  readonly now: () => number;
  readonly timeZone: string;
  /** Longer than one run of the ingest function may take, so a live run is never overtaken. */
  readonly leaseMs: number;
}

/** What ingesting one delivery came to, and whether an earlier delivery of the same message had done it already. */
export interface Ingested {
  readonly outcome: InboundOutcome;
  readonly repeated: boolean;
  readonly decision?: InboundDecision;
}

/**
 * Turns one received message into a comment, a ticket or a refusal, once.
 * 1. Claim the message by its key: a message already done answers what it came
 *    to; one another delivery is working on is refused for now (retried later).
 * 2. Read and parse it; one too large or unreadable is refused unread.
 * 3. Learn what it is addressed to, its ticket and who its sender is, then decide.
 * 4. Act on the decision through the tickets port, which makes the comment or
 *    ticket under the same key, so a crash between acting and settling repeats nothing.
 * 5. Settle the claim with the outcome; a run that fails lets go of it, for Lambda's retry.
 */
export async function ingestInbound(deps: InboundIngestDeps, delivery: Delivery): Promise<Ingested> {
  const claimed = await deps.claims.claim(delivery.key, deps.now(), deps.leaseMs);
  if (claimed.claim === 'done') return { outcome: claimed.outcome, repeated: true };
  if (claimed.claim === 'busy') throw new ServiceUnavailableError('this message is being ingested by another delivery; retry later');

  let outcome: InboundOutcome;
  let decision: InboundDecision;
  try {
    const message = await delivery.read();
    decision =
      'refused' in message
        ? {
            action: 'refuse',
            reason: message.refused,
            detail: message.detail,
            ...(delivery.from ? { reply: { to: delivery.from, occasionId: refusalOccasion(delivery.from, delivery.receivedAt, deps.timeZone) } } : {}),
          }
        : await decide(deps, delivery, message);
    outcome = await act(deps, delivery.key, decision, 'refused' in message ? delivery.from : message.from?.address);
  } catch (error) {
    // Acting again is safe (the tickets take the message's key as their Idempotency-Key): the retry need not wait out the lease.
    await deps.claims.release(delivery.key);
    throw error;
  }
  // A known sender's message is filed under them, with where its raw bytes are, for their data's export and erasure.
  const by = decision && decision.action !== 'refuse' ? (decision.by.subject ?? decision.by.pseudonym) : undefined;
  await deps.claims.settle(delivery.key, outcome, deps.now(), by ? { by, ...(delivery.rawKey ? { rawKey: delivery.rawKey } : {}) } : undefined);
  return { outcome, repeated: false, decision };
}

async function decide(deps: InboundIngestDeps, delivery: Delivery, message: ParsedMessage): Promise<InboundDecision> {
  const addressed = delivery.recipients.map((r) => readAddress(r, deps.mac, deps.addresses));
  const target = addressedOf(addressed);
  const from = message.from?.address;
  const [ticket, known] = await Promise.all([target.to === 'ticket' ? deps.tickets.ticket(target.ticketId) : undefined, from ? deps.directory.whoIs(from) : []]);
  const senders = known.map((s) => (s.subject ? s : { ...s, pseudonym: contactSubject(s.email, deps.mac) }));
  return decideInbound({ message, verdicts: delivery.verdicts, addressed, senders, ...(ticket ? { ticket } : {}), receivedAt: delivery.receivedAt, timeZone: deps.timeZone });
}

async function act(deps: InboundIngestDeps, key: MessageKey, decision: InboundDecision, from: string | undefined): Promise<InboundOutcome> {
  switch (decision.action) {
    case 'comment': {
      const { commentId } = await deps.tickets.comment({ key, ticketId: decision.ticketId, by: decision.by, body: decision.body, attachments: decision.attachments });
      return { action: 'comment', ticketId: decision.ticketId, commentId };
    }
    case 'open': {
      const { ticketId } = await deps.tickets.open({
        key,
        customerId: decision.customerId,
        by: decision.by,
        ticket: decision.ticket,
        attachments: decision.attachments,
        ...(decision.refersTo ? { refersTo: decision.refersTo } : {}),
      });
      return { action: 'open', ticketId };
    }
    case 'refuse':
      await deps.tickets.refuse({
        key,
        reason: decision.reason,
        ...(decision.detail ? { detail: decision.detail } : {}),
        ...(from ? { from } : {}),
        ...(decision.reply ? { reply: decision.reply } : {}),
      });
      return { action: 'refuse', reason: decision.reason };
  }
}
