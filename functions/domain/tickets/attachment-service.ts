import type { Actor } from '../actor';
import type { Instant } from '../calendar/business-calendar';
import { ConflictError, ConcurrentWriteError, DomainError, NotFoundError } from '../errors';
import { type Attachment, checkNewAttachment, HEAD_BYTES, contentMismatch, isActive, maySeeAttachment, type NewAttachment, pendingAttachment, type UploadedContent } from './attachments';
import type { TicketService } from './ticket-service';

/** A ticket's attachments as stored, with the version of its attachment list (each addition moves it on). */
export interface AttachmentList {
  readonly items: readonly Attachment[];
  readonly version: number;
}

/** The port for attachment records (the bytes are `AttachmentFiles`'). */
export interface AttachmentStore {
  attachments(ticketId: string): Promise<AttachmentList>;
  attachment(ticketId: string, id: string): Promise<Attachment | undefined>;
  /**
   * Adds a pending attachment if the list is still at `version` and the
   * ticket is not closed: false when another addition came first.
   */
  add(attachment: Attachment, version: number): Promise<boolean>;
  /** Settles a pending attachment as available or rejected; false when it was settled already. */
  settle(attachment: Attachment, outcome: Pick<Attachment, 'status' | 'reason' | 'checkedAt'>): Promise<boolean>;
}

/** Where an upload goes: a URL the client sends the bytes to, with these headers, until `expiresAt`. */
export interface UploadTarget {
  readonly url: string;
  readonly method: 'PUT';
  readonly headers: Readonly<Record<string, string>>;
  readonly expiresAt: Instant;
}

/** The port for attachments' bytes: S3 on AWS, files under DATA_DIR locally. */
export interface AttachmentFiles {
  uploadTarget(attachment: Attachment): Promise<UploadTarget>;
  /** Deletes the bytes (a person's erasure); nothing when they are gone already. */
  delete(attachment: Attachment): Promise<void>;
  /** Stores bytes the desk already holds (an email's attachment), as an upload would. */
  put(attachment: Attachment, bytes: Uint8Array): Promise<void>;
  /** A short-lived link to the bytes (AWS), or the bytes themselves (locally). */
  serve(attachment: Attachment): Promise<{ readonly link: string } | { readonly bytes: Uint8Array }>;
}

export interface AttachmentServiceDeps {
  readonly tickets: Pick<TicketService, 'get'>;
  readonly attachments: AttachmentStore;
  readonly files?: AttachmentFiles;
  readonly now: () => number;
  readonly newId?: () => string;
  /** What bytes are by their first bytes' signature, for files the desk stores itself. */
  readonly sniff?: (size: number, head: Uint8Array) => Promise<UploadedContent>;
}

/** Two requests adding at once: the loser reads the list again, this many times. */
const ADD_ATTEMPTS = 4;

/**
 * A ticket's attachments: asked for with their size and type, uploaded
 * straight to storage, then checked by their first bytes. Another customer's
 * ticket is not found; a customer never learns of internal attachments.
 */
export class AttachmentService {
  constructor(private readonly deps: AttachmentServiceDeps) {}

  private get files(): AttachmentFiles {
    if (!this.deps.files) throw new Error('this function serves no attachment files: its handler passes no attachment storage');
    return this.deps.files;
  }

  async request(actor: Actor, ticketId: string, input: NewAttachment): Promise<{ attachment: Attachment; upload: UploadTarget }> {
    const ticket = await this.deps.tickets.get(actor, ticketId);
    for (let attempt = 0; attempt < ADD_ATTEMPTS; attempt++) {
      const now = this.deps.now();
      const { items, version } = await this.deps.attachments.attachments(ticket.id);
      checkNewAttachment(actor, ticket, input, items.filter((a) => isActive(a, now)).length);
      const attachment = pendingAttachment(actor, ticket, input, this.deps.newId?.() ?? newAttachmentId(), now);
      if (await this.deps.attachments.add(attachment, version)) return { attachment, upload: await this.files.uploadTarget(attachment) };
    }
    throw new ConcurrentWriteError('attachments were being added to this ticket at the same time; try again');
  }

  /**
   * Attaches a file the desk received with an email, as the sender: under the
   * same limits as an upload (a file they refuse is left out and answered
   * with why), stored, then checked by its first bytes. `id` names the file
   * for good, so a repeated message attaches it once.
   */
  async attach(actor: Actor, ticketId: string, file: NewAttachment & { readonly content: Uint8Array }, id: string): Promise<{ attachment?: Attachment; refused?: string }> {
    const sniff = this.deps.sniff;
    if (!sniff) throw new Error('this function checks no attachments: its handler passes no sniffer');
    const ticket = await this.deps.tickets.get(actor, ticketId);
    const known = await this.deps.attachments.attachment(ticket.id, id);
    // A run cut short after the record and before the bytes: the retry stores them (the same bytes) and checks.
    if (known?.status === 'pending') return { attachment: await this.store(known, file.content, sniff) };
    if (known) return { attachment: known };
    for (let attempt = 0; attempt < ADD_ATTEMPTS; attempt++) {
      const now = this.deps.now();
      const { items, version } = await this.deps.attachments.attachments(ticket.id);
      try {
        checkNewAttachment(actor, ticket, file, items.filter((a) => isActive(a, now)).length);
      } catch (error) {
        if (error instanceof DomainError) return { refused: error.message };
        throw error;
      }
      const attachment = pendingAttachment(actor, ticket, file, id, now);
      if (!(await this.deps.attachments.add(attachment, version))) continue;
      return { attachment: await this.store(attachment, file.content, sniff) };
    }
    throw new ConcurrentWriteError('attachments were being added to this ticket at the same time; try again');
  }

  private async store(attachment: Attachment, content: Uint8Array, sniff: NonNullable<AttachmentServiceDeps['sniff']>): Promise<Attachment> {
    await this.files.put(attachment, content);
    return (await this.check(attachment.ticketId, attachment.id, () => sniff(content.byteLength, content.subarray(0, HEAD_BYTES)))) ?? attachment;
  }

  /** The attachments this actor may see, oldest first: pending ones while their upload may come, rejected ones with the reason. */
  async list(actor: Actor, ticketId: string): Promise<Attachment[]> {
    const ticket = await this.deps.tickets.get(actor, ticketId);
    const now = this.deps.now();
    const { items } = await this.deps.attachments.attachments(ticket.id);
    return items.filter((a) => maySeeAttachment(actor, a) && (a.status !== 'pending' || isActive(a, now))).sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
  }

  /** One attachment's bytes or a link to them; only once checked. */
  async file(actor: Actor, ticketId: string, id: string): Promise<{ attachment: Attachment; served: Awaited<ReturnType<AttachmentFiles['serve']>> }> {
    const ticket = await this.deps.tickets.get(actor, ticketId);
    const attachment = await this.deps.attachments.attachment(ticket.id, id);
    if (!attachment || !maySeeAttachment(actor, attachment)) throw new NotFoundError(`attachment ${id} not found on ticket ${ticket.id}`);
    if (attachment.status === 'pending') throw new ConflictError('this attachment has not been uploaded and checked yet');
    if (attachment.status === 'rejected') throw new ConflictError(`this attachment was rejected: ${attachment.reason ?? 'its content did not match'}`);
    return { attachment, served: await this.files.serve(attachment) };
  }

  /**
   * Checks the uploaded bytes of a pending attachment: available when they
   * are what was declared, rejected (with why) when not. Once only: a second
   * check of a settled attachment (a repeated storage event) changes nothing.
   */
  async check(ticketId: string, id: string, read: () => Promise<UploadedContent>): Promise<Attachment | undefined> {
    const attachment = await this.deps.attachments.attachment(ticketId, id);
    if (attachment?.status !== 'pending') return attachment;
    const reason = contentMismatch(attachment, await read());
    const outcome = { status: reason ? ('rejected' as const) : ('available' as const), ...(reason ? { reason } : {}), checkedAt: this.deps.now() };
    await this.deps.attachments.settle(attachment, outcome);
    return { ...attachment, ...outcome };
  }
}

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';
export const ATTACHMENT_ID = /^[a-z2-7]{20}$/;

/** An attachment id from 20 bytes: 20 characters of base32 (100 bits), safe in a URL, a key and a file name. */
export const attachmentIdOf = (bytes: Uint8Array): string => Array.from(bytes.subarray(0, 20), (b) => ALPHABET[b % 32]).join('');

/** A new upload's id: unguessable. */
const newAttachmentId = (): string => attachmentIdOf(crypto.getRandomValues(new Uint8Array(20)));
