/** Where an attachment's bytes live in the bucket (and, locally, under DATA_DIR/attachments): by ticket, then its id. */
export const ATTACHMENT_PREFIX = 'tickets/';
export const attachmentKey = (ticketId: string, id: string) => `${ATTACHMENT_PREFIX}${ticketId}/${id}`;

/** The ticket and attachment a stored object's key names, or undefined for any other key. */
export function attachmentOfKey(key: string): { ticketId: string; id: string } | undefined {
  const match = /^tickets\/([A-Z][A-Z0-9]{1,15}-[1-9]\d{0,9})\/([a-z2-7]{20})$/.exec(key);
  return match ? { ticketId: match[1]!, id: match[2]! } : undefined;
}

/** How long a link to an attachment works: long enough to start a download, short enough not to be passed around. */
export const ATTACHMENT_LINK_SECONDS = 300;

/** The tag a rejected upload's object carries; the bucket's lifecycle rule removes it a day later. */
export const REJECTED_TAG = { key: 'sla-desk-attachment', value: 'rejected' } as const;
