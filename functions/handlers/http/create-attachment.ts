import { ATTACHMENT_FILES } from '../attachments/attachment-files';
import { attachmentsOf } from '../services';
import { attachmentViews } from './attachment-view';
import { httpRoute, json } from './http-route';
import { createAttachment } from './routes';
import { ticketIdOf } from './ticket-id';

export const handler = httpRoute(
  createAttachment,
  async ({ actor, params, body, deps }) => {
    const { attachment, upload } = await attachmentsOf(deps).request(actor, ticketIdOf(params), body);
    const [view] = await attachmentViews([attachment], actor, deps.people);
    return json(201, { ...view, uploadUrl: upload.url, uploadMethod: upload.method, uploadHeaders: upload.headers, expiresAt: new Date(upload.expiresAt).toISOString() });
  },
  ATTACHMENT_FILES,
);
