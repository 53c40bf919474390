import EmailReplyParser from 'email-reply-parser';
import PostalMime, { type Address } from 'postal-mime';
import type { AttachmentMeta, ParsedMessage, RefusalReason } from '../../domain/inbound/inbound-message';

/**
 * The largest raw message read: 36 MiB holds one 25 MB attachment (the
 * attachments' limit) base64-encoded with its line breaks (about 34.2 MB) and
 * the message around it, below SES's own 40 MB. The ingest function's memory is
 * sized for it, since the raw and decoded parts are in memory together.
 */
export const MAX_RAW_BYTES = 36 * 1024 * 1024;

export type Unreadable = { readonly refused: Extract<RefusalReason, 'too-large' | 'unreadable'>; readonly detail: string };

export const tooLarge = (size: number): Unreadable => ({ refused: 'too-large', detail: `${size} bytes, more than the ${MAX_RAW_BYTES} read` });

const mailboxes = (addresses: readonly Address[] | undefined): string[] => (addresses ?? []).flatMap((a) => (a.group ? a.group.map((m) => m.address) : [a.address])).map((a) => a.toLowerCase());

const bare = (id: string | undefined) => id?.trim().replace(/^<|>$/g, '') || undefined;

/** RFC 3834's Auto-Submitted (anything but `no`), and the Precedence lists and autoresponders set. */
function isAutomatic(headers: readonly { key: string; value: string }[]): boolean {
  const header = (key: string) =>
    headers
      .find((h) => h.key === key)
      ?.value.trim()
      .toLowerCase();
  const auto = header('auto-submitted');
  return (auto !== undefined && auto !== 'no') || ['bulk', 'list', 'junk', 'auto_reply'].includes(header('precedence') ?? '');
}

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/** An HTML-only message read as text: blocks become lines, tags go, entities are decoded. */
function htmlText(html: string): string {
  return html
    .replace(/<(head|style|script)[^>]*>[\s\S]*?<\/\1>/gi, '')
    .replace(/<br\s*\/?>|<\/(p|div|li|tr|h[1-6]|blockquote)>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (entity, name: string) => {
      if (name[0] === '#') return String.fromCodePoint(name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1)));
      return ENTITIES[name.toLowerCase()] ?? entity;
    })
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

const bytesOf = (content: ArrayBuffer | Uint8Array | string): Uint8Array => (typeof content === 'string' ? Buffer.from(content) : content instanceof Uint8Array ? content : new Uint8Array(content));
const sizeOf = (content: ArrayBuffer | Uint8Array | string) => bytesOf(content).byteLength;

/**
 * Reads a raw message (RFC 5322 bytes) as the desk decides on it: addresses in
 * lower case, the text (the HTML read as text when there is no text part), the
 * reply the sender wrote this time (quotes and signatures removed by
 * email-reply-parser), and the attachments' names, types and sizes.
 */
export async function parseMime(raw: Uint8Array): Promise<ParsedMessage | Unreadable> {
  if (raw.byteLength > MAX_RAW_BYTES) return tooLarge(raw.byteLength);
  let email: Awaited<ReturnType<typeof PostalMime.parse>>;
  try {
    email = await PostalMime.parse(raw, { attachmentEncoding: 'arraybuffer' });
  } catch (error) {
    return { refused: 'unreadable', detail: (error as Error).message };
  }
  const from = email.from && !email.from.group ? email.from : undefined;
  const text = (email.text?.trim() ? email.text : email.html ? htmlText(email.html) : '').replace(/\r\n/g, '\n');
  const fragments = new EmailReplyParser().read(text).getFragments();
  const attachments: AttachmentMeta[] = email.attachments
    // Images the HTML shows inline are part of the message, not files the sender attached.
    .filter((a) => !a.related)
    .map((a, i) => ({ filename: a.filename ?? `attachment-${i + 1}`, contentType: a.mimeType, size: sizeOf(a.content), content: bytesOf(a.content) }));
  return {
    ...(bare(email.messageId) ? { messageId: bare(email.messageId)! } : {}),
    ...(bare(email.inReplyTo) ? { inReplyTo: bare(email.inReplyTo)! } : {}),
    references: (email.references ?? '')
      .split(/\s+/)
      .map(bare)
      .filter((r): r is string => r !== undefined),
    ...(from?.address ? { from: { address: from.address.toLowerCase(), ...(from.name ? { name: from.name } : {}) } } : {}),
    recipients: [...mailboxes(email.to), ...mailboxes(email.cc)],
    subject: email.subject ?? '',
    text,
    reply: fragments
      .filter((f) => !f.isHidden())
      .map((f) => f.getContent())
      .join('\n')
      .trim(),
    body: fragments
      .filter((f) => !f.isSignature())
      .map((f) => f.getContent())
      .join('\n')
      .trim(),
    ...(email.html ? { html: email.html } : {}),
    attachments,
    automatic: isAutomatic(email.headers),
  };
}
