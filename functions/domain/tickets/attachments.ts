import type { Actor } from '../actor';
import type { Instant } from '../calendar/business-calendar';
import { ConflictError, ForbiddenError, InvalidInputError } from '../errors';
import { isDesk } from '../policy';
import { sizeText } from '../wording';
import type { Ticket } from './ticket';

/** What a ticket's attachments may be: limits a demanding helpdesk keeps (Zendesk's 50 MB, Jira's 10 MB default). */
export const ATTACHMENT_LIMITS = {
  /** 25 MB: a day's log or a screen recording's still; an email carrying one stays under SES's 40 MB. */
  maxBytes: 25_000_000,
  perTicket: 100,
  /** How long an upload URL works. */
  uploadSeconds: 600,
  /** A pending upload is forgotten this long after its URL stopped working. */
  pendingGraceSeconds: 3_600,
} as const;

/** The first bytes read to tell a file's type: what `file-type` reads at most. */
export const HEAD_BYTES = 4100;

/** How the first bytes of an allowed type are checked: by its signature, or as text (no signature, no NUL byte, UTF-8); and what people call it. */
type ContentCheck = ({ readonly signature: readonly string[] } | { readonly text: true; readonly signature?: readonly string[] }) & { readonly name: string };

/**
 * The allowlist: images (not SVG, which can carry script), PDF, text and logs,
 * CSV, JSON, XML, ZIP and EML, by the media type the browser declares.
 */
export const ATTACHMENT_TYPES: Readonly<Record<string, ContentCheck>> = {
  'image/png': { signature: ['image/png'], name: 'a PNG image' },
  'image/jpeg': { signature: ['image/jpeg'], name: 'a JPEG image' },
  'image/gif': { signature: ['image/gif'], name: 'a GIF image' },
  'image/webp': { signature: ['image/webp'], name: 'a WebP image' },
  'application/pdf': { signature: ['application/pdf'], name: 'a PDF' },
  'application/zip': { signature: ['application/zip'], name: 'a ZIP archive' },
  'application/x-zip-compressed': { signature: ['application/zip'], name: 'a ZIP archive' },
  'text/plain': { text: true, name: 'text' },
  'text/x-log': { text: true, name: 'a log' },
  'text/csv': { text: true, name: 'CSV' },
  'application/json': { text: true, name: 'JSON' },
  'application/xml': { text: true, signature: ['application/xml'], name: 'XML' },
  'text/xml': { text: true, signature: ['application/xml'], name: 'XML' },
  'message/rfc822': { text: true, name: 'an email' },
};

/**
 * The allowed kinds as people say them, from the allowlist's names, each once:
 * names sharing a noun grouped under it, a lone one by its label alone:
 * "images (PNG, JPEG, GIF, WebP), PDF, ZIP, text, log, CSV, JSON, XML or email".
 */
export function attachmentKindsText(types: Readonly<Record<string, ContentCheck>> = ATTACHMENT_TYPES): string {
  const labels = new Map<string, Set<string>>();
  for (const { name } of Object.values(types)) {
    const words = name.replace(/^an? /, '').split(' ');
    const noun = words.length > 1 ? words.pop()! : words[0]!;
    labels.set(noun, (labels.get(noun) ?? new Set()).add(words.join(' ')));
  }
  const kinds = [...labels].map(([noun, of]) => (of.size > 1 ? `${noun}s (${[...of].join(', ')})` : [...of][0]!));
  return kinds.length > 1 ? `${kinds.slice(0, -1).join(', ')} or ${kinds.at(-1)}` : (kinds[0] ?? '');
}

/** What may be attached, as the console and the API say it: "images (…), PDF, … or email files, up to 25 MB each". */
export const attachmentRulesText = (limits: { readonly maxBytes: number } = ATTACHMENT_LIMITS, types = ATTACHMENT_TYPES): string =>
  `${attachmentKindsText(types)} files, up to ${sizeText(limits.maxBytes)} each`;

/** The types the console offers to pick (its file input's `accept`). */
export const ATTACHMENT_ACCEPT = [...Object.keys(ATTACHMENT_TYPES), '.log', '.eml'].join(',');

export const isImage = (contentType: string): boolean => contentType.startsWith('image/');

type AttachmentStatus = 'pending' | 'available' | 'rejected';
type AttachmentVisibility = 'public' | 'internal';

export interface Attachment {
  readonly id: string;
  readonly ticketId: string;
  readonly customerId: string;
  readonly filename: string;
  readonly contentType: string;
  readonly size: number;
  readonly visibility: AttachmentVisibility;
  readonly status: AttachmentStatus;
  /** Why it was rejected, in words a person reads. */
  readonly reason?: string;
  /** The subject of who added it. */
  readonly by: string;
  readonly createdAt: Instant;
  /** Until when its upload may be made (pending only). */
  readonly uploadBy?: Instant;
  /** When its bytes were checked. */
  readonly checkedAt?: Instant;
}

export interface NewAttachment {
  readonly filename: string;
  readonly contentType: string;
  readonly size: number;
  readonly visibility?: AttachmentVisibility;
}

/** A refused attachment: the field, and what to do about it. */
export class AttachmentRefusedError extends InvalidInputError {
  readonly type = 'attachment-refused';
  constructor(
    readonly field: 'filename' | 'contentType' | 'size' | 'visibility',
    message: string,
  ) {
    super(message);
  }
}

export class TicketClosedError extends ConflictError {
  override readonly type = 'ticket-closed';
  constructor() {
    super('a closed ticket takes no attachments; open a new ticket');
  }
}

export class AttachmentLimitError extends ConflictError {
  override readonly type = 'attachment-limit';
}

/** Characters no file name keeps: control and direction marks, and what file systems or headers treat as syntax. */
const UNSAFE = /[\p{Cc}\u200e\u200f\u202a-\u202e\u2066-\u2069<>:"|?*;\\]/gu;
/** Half a character: JSON may carry one, and no header or file system can. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const MAX_NAME = 120;

/**
 * A file name safe to store, show and send back in Content-Disposition: the
 * last path segment, without control, direction or reserved characters,
 * leading dots or trailing dots and spaces, at most 120 characters with its
 * extension kept; "attachment" when nothing is left.
 */
export function sanitiseFilename(name: string): string {
  const last = name.replace(LONE_SURROGATE, '').normalize('NFC').split(/[/\\]/).pop() ?? '';
  const cleaned = last
    .replace(UNSAFE, '')
    .replace(/\s+/g, ' ')
    .replace(/^[.\s]+/, '')
    .replace(/[.\s]+$/, '');
  if (cleaned === '') return 'attachment';
  const chars = [...cleaned];
  if (chars.length <= MAX_NAME) return cleaned;
  const dot = cleaned.lastIndexOf('.');
  const extension = dot > 0 && cleaned.length - dot <= 10 ? cleaned.slice(dot) : '';
  return [...chars.slice(0, MAX_NAME - [...extension].length)].join('').trimEnd() + extension;
}

/**
 * How an attachment is sent back: always as a download, its name in ASCII for
 * old clients (anything else as `_`) and in UTF-8 for the rest (RFC 6266).
 */
export function attachmentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const utf8 = encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${utf8}`;
}

/** The declared type as kept: lower case, without parameters. */
const mediaTypeOf = (contentType: string): string => contentType.split(';')[0]!.trim().toLowerCase();

/**
 * Whether this actor may add this attachment to this ticket now, with
 * `active` attachments already on it (pending within their time, and
 * available). A customer adds public ones only; a closed ticket takes none.
 */
export function checkNewAttachment(actor: Actor, ticket: Pick<Ticket, 'status'>, input: NewAttachment, active: number): void {
  if (input.visibility === 'internal' && !isDesk(actor)) throw new ForbiddenError('only agents and admins add internal attachments');
  if (ticket.status === 'closed') throw new TicketClosedError();
  if (!ATTACHMENT_TYPES[mediaTypeOf(input.contentType)]) throw new AttachmentRefusedError('contentType', `Attach ${attachmentKindsText()} files`);
  if (!Number.isInteger(input.size) || input.size < 1) throw new AttachmentRefusedError('size', 'The file is empty');
  if (input.size > ATTACHMENT_LIMITS.maxBytes)
    throw new AttachmentRefusedError('size', `A file may be at most ${sizeText(ATTACHMENT_LIMITS.maxBytes)}; this one is ${(input.size / 1_000_000).toFixed(1)} MB`);
  if (active >= ATTACHMENT_LIMITS.perTicket) throw new AttachmentLimitError(`a ticket holds at most ${ATTACHMENT_LIMITS.perTicket} attachments`);
}

/** A new pending attachment, as the request makes it. */
export function pendingAttachment(actor: Actor, ticket: Pick<Ticket, 'id' | 'customerId'>, input: NewAttachment, id: string, now: Instant): Attachment {
  return {
    id,
    ticketId: ticket.id,
    customerId: ticket.customerId,
    filename: sanitiseFilename(input.filename),
    contentType: mediaTypeOf(input.contentType),
    size: input.size,
    visibility: input.visibility ?? 'public',
    status: 'pending',
    by: actor.subject,
    createdAt: now,
    uploadBy: now + ATTACHMENT_LIMITS.uploadSeconds * 1000,
  };
}

/** Whether an attachment counts and shows: a pending one only while its upload may still come. */
export function isActive(attachment: Attachment, now: Instant): boolean {
  if (attachment.status === 'rejected') return false;
  return attachment.status === 'available' || (attachment.uploadBy ?? 0) + ATTACHMENT_LIMITS.pendingGraceSeconds * 1000 > now;
}

/** Customers see the public attachments of their own tickets; the desk sees all. */
export const maySeeAttachment = (actor: Actor, attachment: Pick<Attachment, 'visibility'>): boolean => attachment.visibility === 'public' || isDesk(actor);

/** What the uploaded bytes are: their size, and the first bytes' signature as a sniffer reads it (undefined when it knows none). */
export interface UploadedContent {
  readonly size: number;
  readonly head: Uint8Array;
  readonly detected: string | undefined;
}

/**
 * Whether the bytes are what was declared: the size it was asked for, and the
 * first bytes matching the type (a PNG's signature for image/png, text for a
 * log). Undefined when they are; the reason otherwise.
 */
export function contentMismatch(attachment: Pick<Attachment, 'contentType' | 'size'>, content: UploadedContent): string | undefined {
  if (content.size !== attachment.size) return `The upload was ${content.size} bytes, not the ${attachment.size} bytes announced`;
  const check = ATTACHMENT_TYPES[attachment.contentType];
  if (!check) return 'This type of file is not allowed';
  if (content.detected && check.signature?.includes(content.detected)) return undefined;
  // What the bytes are, in words, where the allowlist names it; a kind it does not name is not named at all.
  const found = content.detected ? ATTACHMENT_TYPES[content.detected]?.name : undefined;
  const not = (declared: string) => (found ? `The file is ${found}, not ${declared} as announced` : `The file is not ${declared} as announced`);
  if ('text' in check) return content.detected || content.head.includes(0) || !isUtf8Prefix(content.head) ? not('text') : undefined;
  return not(check.name);
}

/** Valid UTF-8, allowing a character cut off at the end (the head is a prefix of the file). */
function isUtf8Prefix(bytes: Uint8Array): boolean {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  for (let cut = 0; cut < 4 && cut <= bytes.length; cut++) {
    try {
      decoder.decode(bytes.subarray(0, bytes.length - cut));
      return true;
    } catch {
      // A multi-byte character cut at the end: try without its first bytes.
    }
  }
  return false;
}
