import { GetObjectCommand, NoSuchKey, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import type { LocalMonth } from '../../domain/month';
import type { ReportFiles } from '../../domain/reports/report-archive';
import type { StoredFile } from '../../domain/reports/report-formats';
import { reportKey } from './report-bucket';

/**
 * Report files in the report bucket (versioned, KMS-encrypted by default, no
 * public access). A write is conditional on the key being new (If-None-Match),
 * so a version's file is never replaced. The report function's, with the full
 * client; the API reads and links with s3-signed-reads.ts.
 */
export class S3ReportFiles implements ReportFiles {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  async put(month: LocalMonth, version: number, file: StoredFile, body: string, contentType: string): Promise<'written' | 'exists'> {
    try {
      await this.s3.send(new PutObjectCommand({ Bucket: this.bucket, Key: reportKey(month, version, file), Body: body, ContentType: contentType, IfNoneMatch: '*' }));
      return 'written';
    } catch (error) {
      // 412: the key exists; 409: a concurrent conditional write to it is in flight.
      if (error instanceof S3ServiceException && (error.$metadata.httpStatusCode === 412 || error.$metadata.httpStatusCode === 409)) return 'exists';
      throw error;
    }
  }

  async get(month: LocalMonth, version: number, file: StoredFile): Promise<string | undefined> {
    try {
      const { Body } = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: reportKey(month, version, file) }));
      return Body ? await Body.transformToString('utf8') : undefined;
    } catch (error) {
      if (error instanceof NoSuchKey) return undefined;
      throw error;
    }
  }
}

/** `capture` instruments the client (tracing), as the function sets it up. */
export function s3ReportFiles(config: { REPORT_BUCKET?: string | undefined }, capture: (client: S3Client) => S3Client = (client) => client): S3ReportFiles {
  if (!config.REPORT_BUCKET) throw new Error('REPORT_BUCKET must name the report bucket');
  return new S3ReportFiles(capture(new S3Client({})), config.REPORT_BUCKET);
}
