import { type InboundAddresses, type Mac, replyAddress } from '../inbound/reply-address';
import type { AlertMessage } from './alerts';

/** How emails are addressed on the way out. */
export interface MailAddressing {
  /** The domain of Message-IDs: the inbound domain where there is one, else the sender's. */
  readonly domain: string;
  /** With an inbound domain and its MAC, a ticket's emails get a signed Reply-To. */
  readonly inbound?: { readonly mac: Mac; readonly addresses: InboundAddresses };
}

/** A Message-ID's local part from a message id: `ACME-12:received:ticket-received:email` → `ACME-12.received.ticket-received.email`. */
const idPart = (id: string) =>
  id
    .replace(/[^A-Za-z0-9_-]+/g, '.')
    .replace(/^\.+|\.+$/g, '')
    .toLowerCase();

/**
 * An email as it goes out: a Message-ID made from its id (so a retried send
 * keeps it); a ticket's email also the thread of its ticket and, with an
 * inbound domain, a Reply-To that routes a reply back to that ticket.
 */
export function addressed(message: AlertMessage, addressing: MailAddressing): AlertMessage {
  if (message.channel !== 'email') return message;
  const domain = addressing.domain.toLowerCase();
  const ticketId = message.about.type === 'ticket' ? message.about.id : undefined;
  return {
    ...message,
    messageId: `${idPart(message.id)}@${domain}`,
    ...(ticketId ? { thread: `${idPart(ticketId)}@${domain}` } : {}),
    ...(ticketId && addressing.inbound ? { replyTo: replyAddress(ticketId, addressing.inbound.mac, addressing.inbound.addresses) } : {}),
  };
}
