import { attachmentsOf } from '../services';
import { attachmentViews } from './attachment-view';
import { httpRoute, json } from './http-route';
import { listAttachments } from './routes';
import { ticketIdOf } from './ticket-id';

export const handler = httpRoute(listAttachments, async ({ actor, params, deps }) => {
  const items = await attachmentsOf(deps).list(actor, ticketIdOf(params));
  return json(200, { items: await attachmentViews(items, actor, deps.people) });
});
