import { escapeUri } from '@smithy/core/protocols';
import type { LocalMonth } from '../../domain/month';
import type { ReportFiles } from '../../domain/reports/report-archive';
import { dispositionOf, type StoredFile } from '../../domain/reports/report-formats';
import { AwsRequestError, SignedFetch, type SignedFetchOptions } from '../aws/signed-fetch';
import { LINK_SECONDS, reportKey } from './report-bucket';

export interface ReportBucketOptions extends Omit<SignedFetchOptions, 'endpoint'> {
  /** A stand-in for S3 (tests), addressed path-style (`/<bucket>/<key>`); by default the bucket's own host on AWS. */
  readonly endpoint?: string;
}

/**
 * The API's side of the report bucket: reads a stored file (a customer's slice
 * is cut from report.json) and links to one for five minutes. Signed requests
 * and presigned URLs come from the SDK's Signature V4 signer, without the S3
 * client: the HTTP functions stay small. Writing is the report function's,
 * with the full client (s3-report-files.ts).
 */
export class S3SignedReads implements ReportFiles {
  private readonly s3: SignedFetch;
  private readonly pathStyle: boolean;

  constructor(
    private readonly bucket: string,
    options: ReportBucketOptions,
  ) {
    this.pathStyle = options.endpoint !== undefined;
    // Virtual-hosted, as the SDK addresses a bucket whose name is a valid host label (every CDK-made name is).
    this.s3 = new SignedFetch('s3', { ...options, endpoint: options.endpoint ?? `https://${bucket}.s3.${options.region}.amazonaws.com` });
  }

  /** The key's path: each segment escaped as the SDK's S3 client escapes it; the bucket first when path-style. */
  private path(key: string): string {
    const escaped = key.split('/').map(escapeUri).join('/');
    return this.pathStyle ? `/${escapeUri(this.bucket)}/${escaped}` : `/${escaped}`;
  }

  readonly put: ReportFiles['put'] = () => Promise.reject(new Error('the API reads report files; the report function writes them'));

  /** A signed GetObject; a missing key (S3's NoSuchKey) is undefined, as with the S3 client, and any other refusal is thrown. */
  async get(month: LocalMonth, version: number, file: StoredFile): Promise<string | undefined> {
    try {
      const response = await this.s3.send({ method: 'GET', path: this.path(reportKey(month, version, file)) });
      return await response.text();
    } catch (error) {
      if (error instanceof AwsRequestError && error.name === 'NoSuchKey') return undefined;
      throw error;
    }
  }

  /**
   * A presigned GET, valid for five minutes, that names the file for the
   * browser: the URL the SDK's presigner makes for GetObject, parameter for
   * parameter (x-id names the operation; checksum mode asks S3 for the stored
   * checksum headers; the payload is unsigned, as a browser sends none).
   */
  link(month: LocalMonth, version: number, file: StoredFile, contentType: string): Promise<string> {
    return this.s3.presign(
      {
        method: 'GET',
        path: this.path(reportKey(month, version, file)),
        query: { 'response-content-disposition': dispositionOf(month, version, file), 'response-content-type': contentType, 'x-id': 'GetObject' },
        headers: { 'x-amz-checksum-mode': 'ENABLED', 'X-Amz-Content-Sha256': 'UNSIGNED-PAYLOAD' },
      },
      LINK_SECONDS,
    );
  }
}

/** The report bucket in the function's region, with the function's role. */
export function s3SignedReads(config: { REPORT_BUCKET?: string | undefined }, region = process.env.AWS_REGION): S3SignedReads {
  if (!config.REPORT_BUCKET) throw new Error('REPORT_BUCKET must name the report bucket');
  if (!region) throw new Error('AWS_REGION must name the region (Lambda sets it)');
  return new S3SignedReads(config.REPORT_BUCKET, { region });
}
