import type { Config } from '../config';
import type { Factories } from '../dependencies';

/** The attachment bucket, for the functions that hand out uploads, serve files or store an email's files. */
export const ATTACHMENT_FILES = {
  attachmentFiles: (config: Config) => import('../../adapters/attachments/s3-attachment-files').then((m) => m.s3AttachmentFiles(config)),
} as const satisfies Factories;
