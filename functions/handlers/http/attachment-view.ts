import type { Actor } from '../../domain/actor';
import type { PersonStore } from '../../domain/people/people';
import type { Attachment } from '../../domain/tickets/attachments';
import { withByNames } from './named';

/** An attachment as the API answers it: times in ISO 8601, who added it by name. */
export async function attachmentViews(attachments: readonly Attachment[], reader: Pick<Actor, 'role'>, people: Pick<PersonStore, 'people'>) {
  const named = await withByNames(attachments, reader, people);
  return named.map((a) => ({
    id: a.id,
    ticketId: a.ticketId,
    filename: a.filename,
    contentType: a.contentType,
    size: a.size,
    visibility: a.visibility,
    status: a.status,
    ...(a.reason ? { reason: a.reason } : {}),
    by: a.by,
    byName: a.byName,
    createdAt: new Date(a.createdAt).toISOString(),
    ...(a.checkedAt !== undefined ? { checkedAt: new Date(a.checkedAt).toISOString() } : {}),
  }));
}
