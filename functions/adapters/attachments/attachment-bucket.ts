import { TICKET_ID } from '../../domain/identifiers';
import { ATTACHMENT_ID } from '../../domain/tickets/attachment-service';

/** Where an attachment's bytes live in the bucket (and, locally, under DATA_DIR/attachments): by ticket, then its id. */
export const ATTACHMENT_PREFIX = 'tickets/';
export const attachmentKey = (ticketId: string, id: string) => `${ATTACHMENT_PREFIX}${ticketId}/${id}`;

/** The ticket and attachment a stored object's key names, or undefined for any other key. */
export function attachmentOfKey(key: string): { ticketId: string; id: string } | undefined {
  if (!key.startsWith(ATTACHMENT_PREFIX)) return undefined;
  const [ticketId = '', id = '', ...rest] = key.slice(ATTACHMENT_PREFIX.length).split('/');
  return rest.length === 0 && TICKET_ID.test(ticketId) && ATTACHMENT_ID.test(id) ? { ticketId, id } : undefined;
}

/** How long a link to an attachment works: long enough to start a download, short enough not to be passed around. */
export const ATTACHMENT_LINK_SECONDS = 300;

/** The tag a rejected upload's object carries; the bucket's lifecycle rule removes it a day later. */
export const REJECTED_TAG = { key: 'sla-desk-attachment', value: 'rejected' } as const;
