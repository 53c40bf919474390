import { NotFoundError } from '../../domain/errors';
import { ATTACHMENT_ID } from '../../domain/tickets/attachment-service';
import { attachmentDisposition } from '../../domain/tickets/attachments';
import { attachmentsOf } from '../services';
import { ATTACHMENT_FILES } from '../attachments/attachment-files';
import { type HttpResult, httpRoute } from './http-route';
import { getAttachment } from './routes';
import { ticketIdOf } from './ticket-id';

/** The bytes locally; on AWS a redirect to a presigned GET, which names the file and type itself. */
export const handler = httpRoute(
  getAttachment,
  async ({ actor, params, deps }): Promise<HttpResult> => {
    const id = params.attachmentId ?? '';
    if (!ATTACHMENT_ID.test(id)) throw new NotFoundError(`attachment ${id} not found`);
    const { attachment, served } = await attachmentsOf(deps).file(actor, ticketIdOf(params), id);
    if ('link' in served) return { statusCode: 303, headers: { location: served.link, 'cache-control': 'no-store' } };
    return {
      statusCode: 200,
      headers: {
        'content-type': attachment.contentType,
        'content-disposition': attachmentDisposition(attachment.filename),
        'x-content-type-options': 'nosniff',
        'cache-control': 'private, max-age=300',
        // Never a page of this origin: nothing in it runs or loads.
        'content-security-policy': "default-src 'none'; sandbox",
      },
      body: Buffer.from(served.bytes).toString('base64'),
      isBase64Encoded: true,
    };
  },
  ATTACHMENT_FILES,
);
