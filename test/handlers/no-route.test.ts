import { describe, expect, it } from 'vitest';
import { handler } from '#handlers/http/no-route';

/* On AWS the $default route takes every method, so the console's CORS preflights reach this function. */

const event = (method: string, path: string) => ({
  version: '2.0',
  routeKey: '$default',
  rawPath: path,
  rawQueryString: '',
  headers: {},
  requestContext: { requestId: 'JKJaXmPLvHcESHA=', http: { method, path } },
  isBase64Encoded: false,
});
const call = async (method: string, path: string) =>
  (await handler(event(method, path) as never, { awsRequestId: 'r-1' } as never)) as { statusCode: number; headers?: Record<string, string>; body?: string };

describe('the $default route', () => {
  it('answers a preflight 204 with no body, for any path, so API Gateway can add its CORS headers', async () => {
    for (const path of ['/tickets', '/tickets/ACME-1/comments', '/nowhere']) {
      const reply = await call('OPTIONS', path);
      expect([reply.statusCode, reply.body ?? '']).toEqual([204, '']);
    }
  });

  it('still answers another method 405 with Allow, and an unknown path 404', async () => {
    const wrong = await call('DELETE', '/tickets');
    expect([wrong.statusCode, wrong.headers?.allow]).toEqual([405, 'POST, GET']);
    expect((await call('GET', '/nowhere')).statusCode).toBe(404);
  });
});
