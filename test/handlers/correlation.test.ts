import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aTicket, type Cast, castOf, startTestStack, type TestStack } from '../support/test-stack';
import { captureOutput } from './captured-output';

let stack: TestStack;
let tokens: Cast;

beforeAll(async () => {
  // Monday 8 June 2026, 10:00 Copenhagen: a Highest ticket is due at 11:00, warned at 10:45.
  stack = await startTestStack({ clockStart: '2026-06-08T10:00:00+02:00' });
  tokens = await castOf(stack);
});
afterAll(() => stack.stop());

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('one correlation id from the request that opens a ticket to its alerts', () => {
  it('the timer function and the relay log under the id of the request that opened the ticket', async () => {
    const opened = await stack.call('POST', '/tickets', { token: tokens.acme, body: aTicket({ priority: 'highest' }), headers: { 'x-correlation-id': 'portal-7f3a.1:open' } });
    expect(opened.status).toBe(201);
    expect(opened.headers.get('x-correlation-id')).toBe('portal-7f3a.1:open');
    // Another request in between, under an id of its own, must not take the ticket's timers over.
    expect((await stack.call('GET', `/tickets/${opened.body.id}`, { token: tokens.agent, headers: { 'x-correlation-id': 'agent-look' } })).headers.get('x-correlation-id')).toBe('agent-look');

    const output = captureOutput();
    try {
      for (const now of ['2026-06-08T10:45:30+02:00', '2026-06-08T11:00:30+02:00']) {
        stack.clock.set(Date.parse(now));
        await stack.runTimers();
      }
    } finally {
      output.stop();
    }
    const logged = output.json().filter((line) => line.level);
    const fired = logged.filter((line) => line.message === 'sla timer fired' && line.timer?.ticketId === opened.body.id);
    expect(fired.map((line) => [line.timer.kind, line.firing.action, line.correlation_id])).toEqual([
      ['warning', 'raise', 'portal-7f3a.1:open'],
      ['breach', 'raise', 'portal-7f3a.1:open'],
    ]);
    const delivered = logged.filter((line) => line.message === 'alert delivered' && String(line.alert).startsWith(`${opened.body.id}:`));
    const alerts = delivered.filter((line) => !String(line.alert).includes(':ticket-'));
    expect(alerts.map((line) => `${line.alert} ${line.correlation_id}`).sort()).toEqual(
      ['breach:email', 'breach:sns', 'warning:email', 'warning:sns'].map((a) => `${opened.body.id}:${a} portal-7f3a.1:open`),
    );
    // The ticket's own emails (received; urgent, for a Highest one) go out under the same id.
    expect(delivered.length).toBeGreaterThan(alerts.length);
    for (const line of delivered) expect(line.correlation_id, String(line.alert)).toBe('portal-7f3a.1:open');
    // Every structured line of the run carries a correlation id.
    for (const line of logged) expect(line.correlation_id, line.message).toEqual(expect.any(String));
  });

  it('an id that is not a sane token is replaced by the request id, and errors carry it too', async () => {
    for (const sent of ['has spaces in it', 'x'.repeat(129), 'line\\nbreak', '{"json":1}']) {
      const reply = await stack.call('GET', '/tickets/ACME-999', { token: tokens.agent, headers: { 'x-correlation-id': sent } });
      expect(reply.status).toBe(404);
      expect(reply.headers.get('x-correlation-id')).toMatch(UUID);
    }
    const plain = await stack.call('GET', '/health');
    expect(plain.headers.get('x-correlation-id')).toMatch(UUID);
  });

  it("falls back to API Gateway's own request id (base64, ending in =), not the invocation's, when the header is missing or not sane", async () => {
    const { handler } = await import('#handlers/http/health');
    const event = (headers: Record<string, string>) => ({
      version: '2.0',
      routeKey: 'GET /health',
      rawPath: '/health',
      rawQueryString: '',
      headers,
      requestContext: { requestId: 'JKJaXmPLvHcESHA=', http: { method: 'GET', path: '/health' } },
      isBase64Encoded: false,
    });
    const { withDependencies } = await import('#handlers/dependencies');
    const context = withDependencies({ awsRequestId: '5b0a1c52-0000-4000-8000-000000000001' }, stack.dependencies);
    for (const headers of [{}, { 'x-correlation-id': 'has spaces in it' }] as Record<string, string>[]) {
      const reply = (await handler(event(headers) as never, context as never)) as { statusCode: number; headers: Record<string, string> };
      expect(reply.statusCode).toBe(200);
      expect(reply.headers['x-correlation-id']).toBe('JKJaXmPLvHcESHA=');
    }
    const sent = (await handler(event({ 'x-correlation-id': 'portal-1' }) as never, context as never)) as { headers: Record<string, string> };
    expect(sent.headers['x-correlation-id']).toBe('portal-1');
  });

  it('requests served at once each keep their own id', async () => {
    const ids = Array.from({ length: 8 }, (_, i) => `parallel-${i}`);
    const replies = await Promise.all(ids.map((id) => stack.call('POST', '/tickets', { token: tokens.acme, body: aTicket(), headers: { 'x-correlation-id': id } })));
    expect(replies.map((r) => r.headers.get('x-correlation-id'))).toEqual(ids);
  });
});
