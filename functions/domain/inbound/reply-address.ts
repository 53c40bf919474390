import { TICKET_ID } from '../identifiers';

/**
 * A keyed MAC (HMAC-SHA-256 under the stage's secret). An adapter gives it, so
 * the rules here stay pure and table-testable, and the secret never reaches
 * the domain: it is held where it is loaded (functions/adapters/inbound/hmac.ts).
 */
export type Mac = (message: string) => Uint8Array;

/**
 * 16 base32 characters: 80 bits of the MAC. Each guess costs an email through
 * SES and earns at most one refusal; at a million guesses a second, finding one
 * address would take about 38 billion years on average, and the longest address
 * (`support+` and a 27-character ticket id) stays within the 64 characters
 * RFC 5321 allows a local part.
 */
export const SIGNATURE_LENGTH = 16;

/** Lower-case base32 (RFC 4648): mail systems may change a local part's case, and these letters survive it. */
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** What is signed: the purpose first, so the same secret can sign something else later without the two being mistaken. */
const signed = (ticketId: string) => `reply-to:${ticketId}`;

function base32(bytes: Uint8Array, length: number): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5 && out.length < length) {
      out += BASE32[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
    buffer &= (1 << bits) - 1;
    if (out.length === length) break;
  }
  return out;
}

const CONTACT_PREFIX = 'contact:';

/**
 * The subject a contact with no account acts under: a keyed pseudonym of their
 * address (130 bits of its MAC), so the same person keeps one record, while no
 * event, comment or answer carries the address itself (it lives in the person
 * record alone, which erasure empties).
 */
export const contactSubject = (email: string, mac: Mac): string => `${CONTACT_PREFIX}${base32(mac(`contact:${email.trim().toLowerCase()}`), 26)}`;
/** Whether a subject is a contact's pseudonym rather than an account's. */
export const isPseudonym = (subject: string): boolean => subject.startsWith(CONTACT_PREFIX);

/** A ticket's signature: the first 80 bits of its MAC, in base32. */
export function replySignature(ticketId: string, mac: Mac): string {
  return base32(mac(signed(ticketId)), SIGNATURE_LENGTH);
}

/** Compares in time that depends on the length only, so a forger learns nothing from how fast a guess is refused. */
function sameText(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return difference === 0;
}

/** Where the desk receives mail: the support mailbox at the inbound domain. */
export interface InboundAddresses {
  /** The inbound domain, e.g. `support.example.com`. */
  readonly domain: string;
  /** The mailbox new tickets are written to; replies use it with a `+` tag. @default 'support' */
  readonly mailbox?: string;
}

const mailboxOf = (addresses: InboundAddresses) => (addresses.mailbox ?? 'support').toLowerCase();

/** The Reply-To of a ticket's emails: `support+ACME-12.<signature>@<inbound domain>`. */
export function replyAddress(ticketId: string, mac: Mac, addresses: InboundAddresses): string {
  return `${mailboxOf(addresses)}+${ticketId}.${replySignature(ticketId, mac)}@${addresses.domain.toLowerCase()}`;
}

/** The support address itself: a message to it opens a ticket. */
export const supportAddress = (addresses: InboundAddresses): string => `${mailboxOf(addresses)}@${addresses.domain.toLowerCase()}`;

/** What an address the desk received mail at means. */
export type Addressed = { readonly to: 'ticket'; readonly ticketId: string } | { readonly to: 'support' } | { readonly to: 'forged'; readonly ticketId?: string } | { readonly to: 'elsewhere' };

/**
 * Reads one recipient, in any case (as mail systems deliver it): the support
 * address, a ticket's reply address with a valid signature, a reply address
 * whose signature or ticket id does not verify (`forged`), or none of ours.
 */
export function readAddress(address: string, mac: Mac, addresses: InboundAddresses): Addressed {
  const lower = address.trim().toLowerCase();
  const at = lower.lastIndexOf('@');
  if (at < 0 || lower.slice(at + 1) !== addresses.domain.toLowerCase()) return { to: 'elsewhere' };
  const local = lower.slice(0, at);
  const mailbox = mailboxOf(addresses);
  if (local === mailbox) return { to: 'support' };
  if (!local.startsWith(`${mailbox}+`)) return { to: 'elsewhere' };
  const tag = local.slice(mailbox.length + 1);
  const dot = tag.lastIndexOf('.');
  const ticketId = tag.slice(0, Math.max(dot, 0)).toUpperCase();
  const signature = tag.slice(dot + 1);
  if (dot < 0 || !TICKET_ID.test(ticketId)) return { to: 'forged' };
  // Verified whatever its length: a short or long guess costs the same as any other.
  return sameText(signature, replySignature(ticketId, mac)) ? { to: 'ticket', ticketId } : { to: 'forged', ticketId };
}
