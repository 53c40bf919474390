import { escapeUri } from '@smithy/core/protocols';
import { SignedFetch, type SignedFetchOptions } from '../aws/signed-fetch';

/**
 * Deletes raw inbound emails from the inbound bucket (a sender's erasure), by
 * signed request: the erasure function carries no S3 client. S3 answers 204
 * whether or not the object was there.
 */
export class S3RawDeletes {
  private readonly s3: SignedFetch;

  constructor(
    private readonly bucket: string,
    private readonly options: Omit<SignedFetchOptions, 'endpoint'> & { readonly endpoint?: string | undefined },
  ) {
    this.s3 = new SignedFetch('s3', { ...options, endpoint: options.endpoint ?? `https://${bucket}.s3.${options.region}.amazonaws.com` });
  }

  async delete(rawKey: string): Promise<void> {
    const key = rawKey.split('/').map(escapeUri).join('/');
    const response = await this.s3.send({ method: 'DELETE', path: this.options.endpoint ? `/${escapeUri(this.bucket)}/${key}` : `/${key}`, query: { 'x-id': 'DeleteObject' } });
    await response.body?.cancel();
  }
}
