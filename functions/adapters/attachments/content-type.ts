import { fileTypeFromBuffer } from 'file-type';
import type { UploadedContent } from '../../domain/tickets/attachments';

/** What the bytes are by their first bytes' signature (`file-type`), for the check of an upload. */
export async function uploadedContent(size: number, head: Uint8Array): Promise<UploadedContent> {
  return { size, head, detected: (await fileTypeFromBuffer(head))?.mime };
}
