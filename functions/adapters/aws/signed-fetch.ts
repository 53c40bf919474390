import { fromEnv } from '@aws-sdk/credential-provider-env';
import { Sha256 } from '@smithy/core/checksum';
import { buildQueryString, HttpRequest } from '@smithy/core/protocols';
import { SignatureV4 } from '@smithy/signature-v4';

/** An AWS identity as the signer takes it. */
interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

export interface SignedFetchOptions {
  readonly region: string;
  /** Where requests go: `https://<host>`, or a stand-in such as `http://127.0.0.1:4566`. */
  readonly endpoint: string;
  /** Default: the function's role, from Lambda's environment (as lambda-credentials.ts gives the SDK). */
  readonly credentials?: () => Promise<AwsCredentials>;
  /** The signing clock, in epoch milliseconds. */
  readonly now?: () => number;
  /** Tries per request, as the SDK's standard retry mode: 3. */
  readonly maxAttempts?: number;
}

/** What a request names beyond its endpoint. */
export interface SignedRequest {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Already escaped. */
  readonly path: string;
  readonly query?: Record<string, string>;
  readonly headers?: Record<string, string>;
  readonly body?: string | Uint8Array;
}

/** An AWS service's refusal, shaped as the SDK's errors are where logs read them (`name`, `$metadata`). */
export class AwsRequestError extends Error {
  readonly $metadata: { readonly httpStatusCode: number; readonly requestId?: string };

  constructor(name: string, message: string, status: number, requestId: string | undefined) {
    super(message);
    this.name = name;
    this.$metadata = { httpStatusCode: status, ...(requestId ? { requestId } : {}) };
  }
}

/** Answers worth another try: throttling and the service's own failures, as the SDK's retry strategy counts them. */
const RETRYABLE = new Set([429, 500, 502, 503, 504]);

/**
 * Requests to one AWS service, signed with the SDK's own Signature V4 signer
 * (SHA-256 from node's crypto, as the SDK's clients use it) and sent with
 * global fetch. For the HTTP functions that make one or two kinds of call: a
 * full client carries every operation's schema, which their bundles do without.
 */
export class SignedFetch {
  private readonly signer: SignatureV4;
  private readonly endpoint: URL;
  private readonly now: () => number;
  private readonly maxAttempts: number;

  constructor(service: 's3' | 'lambda', options: SignedFetchOptions) {
    this.endpoint = new URL(options.endpoint);
    this.now = options.now ?? Date.now;
    this.maxAttempts = options.maxAttempts ?? 3;
    this.signer = new SignatureV4({
      service,
      region: options.region,
      credentials: options.credentials ?? fromEnv(),
      sha256: Sha256,
      // S3 signs the path as sent; every other service escapes it once more (the SDK's clients do the same).
      uriEscapePath: service !== 's3',
      // x-amz-content-sha256 on every request: S3 requires it, and the SDK sends it to the others too.
      applyChecksum: true,
    });
  }

  /** The request as it goes out, before signing: host header from the endpoint. */
  private prepare({ method, path, query = {}, headers = {}, body }: SignedRequest): HttpRequest {
    const { protocol, hostname, port, pathname } = this.endpoint;
    return new HttpRequest({
      method,
      protocol,
      hostname,
      ...(port ? { port: Number(port) } : {}),
      // An endpoint with a path (a stand-in behind a prefix) keeps it.
      path: `${pathname.replace(/\/$/, '')}${path}`,
      query: { ...query },
      headers: { host: this.endpoint.host, ...headers },
      ...(body !== undefined ? { body } : {}),
    });
  }

  /** A presigned URL: the request's signature in its query, valid `expiresIn` seconds. Local: nothing is sent. */
  async presign(request: SignedRequest, expiresIn: number): Promise<string> {
    return urlOf(await this.signer.presign(this.prepare(request), { expiresIn, signingDate: new Date(this.now()) }));
  }

  /**
   * Signs and sends the request; a 2xx answer is returned, anything else thrown
   * as an AwsRequestError. Throttling, 5xx and network failures are tried again,
   * signed anew, after a jittered backoff (the SDK's standard mode: base 100 ms).
   */
  async send(request: SignedRequest): Promise<Response> {
    for (let attempt = 1; ; attempt++) {
      const signed = await this.signer.sign(this.prepare(request), { signingDate: new Date(this.now()) });
      let response: Response;
      try {
        // fetch sets host itself, from the same URL.
        const { host: _host, ...headers } = signed.headers;
        response = await fetch(urlOf(signed), { method: signed.method, headers, ...(request.body !== undefined ? { body: request.body } : {}) });
      } catch (error) {
        if (attempt >= this.maxAttempts) throw error;
        await backoff(attempt);
        continue;
      }
      if (response.ok) return response;
      if (RETRYABLE.has(response.status) && attempt < this.maxAttempts) {
        await response.body?.cancel();
        await backoff(attempt);
        continue;
      }
      throw await errorOf(response);
    }
  }
}

/** The signed request's URL: its query as the SDK writes it (sorted, RFC 3986 escaped). */
function urlOf(request: Pick<HttpRequest, 'protocol' | 'hostname' | 'port' | 'path'> & { query?: HttpRequest['query'] | undefined }): string {
  const query = buildQueryString(request.query ?? {});
  return `${request.protocol}//${request.hostname}${request.port ? `:${request.port}` : ''}${request.path}${query ? `?${query}` : ''}`;
}

const backoff = (attempt: number) => new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(20_000, 100 * 2 ** attempt)));

/**
 * The error an answer carries: S3's XML `<Error><Code>`, or a JSON service's
 * `x-amzn-ErrorType` header (else the body's `__type` or `code`); the status alone when neither says.
 */
async function errorOf(response: Response): Promise<AwsRequestError> {
  const text = await response.text().catch(() => '');
  const requestId = response.headers.get('x-amz-request-id') ?? response.headers.get('x-amzn-requestid') ?? undefined;
  const xml = (tag: string) => new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(text)?.[1];
  let json: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object') json = parsed as Record<string, unknown>;
  } catch {
    // Not JSON: S3 answers XML, or nothing at all.
  }
  const header = response.headers.get('x-amzn-errortype')?.split(':')[0];
  const field = (...names: string[]) => names.map((name) => json[name]).find((value): value is string => typeof value === 'string');
  const name = xml('Code') ?? header ?? field('__type', 'code')?.split('#').at(-1) ?? `HTTP${response.status}`;
  const message = xml('Message') ?? field('message', 'Message') ?? `${response.status} ${response.statusText}`.trim();
  return new AwsRequestError(name, message, response.status, requestId);
}
