import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpRequest } from '@smithy/core/protocols';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '@smithy/core/checksum';

/** A request as an AWS endpoint received it. */
export interface Received {
  readonly method: string;
  /** Path and query, as sent. */
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export interface Answer {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body?: string;
}

/**
 * A local HTTP server on 127.0.0.1 standing in for an AWS endpoint: it records
 * every request and answers each with the next queued answer (the last one repeats).
 */
export async function awsStandIn(...answers: Answer[]) {
  const received: Received[] = [];
  const queue = [...answers];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const answer = (queue.length > 1 ? queue.shift() : queue[0]) ?? { status: 200 };
      res.writeHead(answer.status, answer.headers).end(answer.body ?? '');
    });
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    received,
    /** Answers from now on. */
    answer: (...next: Answer[]) => queue.splice(0, queue.length, ...next),
    close: () => new Promise<void>((closed) => server.close(() => closed())),
  };
}

/** The parts of an Authorization header of Signature V4. */
export function authorizationOf(header: string | undefined) {
  const match = /^AWS4-HMAC-SHA256 Credential=([^,]+), SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(header ?? '');
  if (!match) throw new Error(`not a Signature V4 Authorization header: ${header}`);
  const [accessKeyId, ...scope] = match[1]!.split('/');
  return { accessKeyId, scope: scope.join('/'), signedHeaders: match[2]!.split(';'), signature: match[3]! };
}

/**
 * The Authorization header the received request should carry, recomputed with
 * the SDK's signer from what arrived: its method, path, query, the headers it
 * says it signed, its body and its x-amz-date.
 */
export async function expectedAuthorization(
  request: Received,
  signing: { service: string; region: string; credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }; uriEscapePath: boolean },
): Promise<string> {
  const { signedHeaders } = authorizationOf(request.headers.authorization);
  const url = new URL(request.url, `http://${request.headers.host}`);
  const query: Record<string, string> = {};
  for (const [key, value] of url.searchParams) query[key] = value;
  const headers = Object.fromEntries(signedHeaders.map((name) => [name, String(request.headers[name])]));
  const date = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(String(request.headers['x-amz-date']));
  if (!date) throw new Error(`no x-amz-date: ${request.headers['x-amz-date']}`);
  const signingDate = new Date(`${date[1]}-${date[2]}-${date[3]}T${date[4]}:${date[5]}:${date[6]}Z`);
  const signer = new SignatureV4({ ...signing, sha256: Sha256, applyChecksum: true });
  const signed = await signer.sign(
    new HttpRequest({ method: request.method, protocol: url.protocol, hostname: url.hostname, port: Number(url.port), path: url.pathname, query, headers, body: request.body }),
    { signingDate },
  );
  return signed.headers.authorization!;
}
