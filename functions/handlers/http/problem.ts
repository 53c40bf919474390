import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { ConflictError, DomainError, ForbiddenError, IdempotencyKeyReusedError, InvalidInputError, NotFoundError, ServiceUnavailableError } from '../../domain/errors';

/** A mistake in the request itself, found before the domain is asked. */
export class RequestError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    readonly title: string,
    detail: string,
    readonly errors?: readonly { readonly path: string; readonly message: string }[],
    /** Response headers the problem needs, e.g. `allow` with a 405. */
    readonly headers?: Readonly<Record<string, string>>,
  ) {
    super(detail);
  }
}

export const unauthorized = (detail: string) => new RequestError(401, 'unauthorized', 'Unauthorized', detail);

const TITLES: Record<number, string> = { 400: 'Bad Request', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 409: 'Conflict', 422: 'Unprocessable Content', 503: 'Service Unavailable' };

function statusOf(error: DomainError): number {
  if (error instanceof ServiceUnavailableError) return 503;
  if (error instanceof NotFoundError) return 404;
  if (error instanceof ForbiddenError) return 403;
  if (error instanceof ConflictError) return 409;
  if (error instanceof IdempotencyKeyReusedError) return 422;
  if (error instanceof InvalidInputError) return 400;
  return 400;
}

/**
 * RFC 9457 problem details for any error. Unknown errors become a bare 500:
 * their message and stack stay in the log, never in the response.
 */
export function problemResponse(error: unknown, instance?: string): { response: APIGatewayProxyStructuredResultV2; unexpected: boolean } {
  let problem: Record<string, unknown>;
  let unexpected = false;
  if (error instanceof RequestError) {
    problem = { type: `/problems/${error.type}`, title: error.title, status: error.status, detail: error.message, ...(error.errors ? { errors: error.errors } : {}) };
  } else if (error instanceof DomainError) {
    const status = statusOf(error);
    problem = { type: `/problems/${error.type}`, title: TITLES[status], status, detail: error.message };
  } else {
    unexpected = true;
    problem = { type: 'about:blank', title: 'Internal Server Error', status: 500, detail: 'Something went wrong on our side. It has been logged.' };
  }
  return {
    unexpected,
    response: {
      statusCode: problem.status as number,
      headers: {
        'content-type': 'application/problem+json',
        ...(problem.status === 401 ? { 'www-authenticate': 'Bearer' } : {}),
        ...(error instanceof RequestError ? error.headers : {}),
      },
      body: JSON.stringify({ ...problem, ...(instance ? { instance } : {}) }),
    },
  };
}
