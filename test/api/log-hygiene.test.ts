import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureOutput } from '../handlers/captured-output';
import { aTicket, type Cast, castOf, startTestStack, type TestStack } from '../support/test-stack';

/**
 * A whole API session on the local stack, whose handlers run in this process,
 * with everything the process prints captured: no description, comment body,
 * note, bearer token or whole email address may appear in it.
 */
let stack: TestStack;
let tokens: Cast;
let output: ReturnType<typeof captureOutput>;

const secret = {
  description: 'Payroll export leaks salaries of the Zeta team ZX-DESC-5531',
  comment: 'Workaround: restart the connector with the admin password ZX-COMMENT-7719',
  internal: 'Customer is on the legacy plan, do not mention ZX-INTERNAL-3302',
  customerComment: 'Our CFO is furious about ZX-CUSTOMER-1207',
  consultancy: 'Build the board-level payroll dashboard ZX-CONSULT-6650',
  timeNote: 'Modelled the bonus scheme ZX-NOTE-4410',
  badBody: 'ZX-BAD-9001 never stored',
  failed: 'ZX-FAILED-2288 while the table is gone',
};
const emails = [
  'cfo.private@acme-corp.example',
  'it.lead@acme-corp.example',
  'approver@acme-corp.example',
  'oncall.person@provider.example',
  'oncall@sla-desk.local',
  'escalation@sla-desk.local',
  'finance@sla-desk.local',
];

beforeAll(async () => {
  // Monday 8 June 2026, 10:00 Copenhagen; ACME went live a week ago and is in hypercare.
  stack = await startTestStack({ clockStart: '2026-06-08T10:00:00+02:00', monthlyReports: true });
  tokens = await castOf(stack);
  output = captureOutput();
  const call = async (method: string, path: string, who: keyof Cast | undefined, body?: unknown, headers: Record<string, string> = {}) =>
    stack.call(method, path, { ...(who ? { token: tokens[who] } : {}), ...(body !== undefined ? { body } : {}), headers });
  const ok = async (status: number, reply: Promise<{ status: number; body: any }>) => {
    const answer = await reply;
    expect(answer.status, JSON.stringify(answer.body)).toBe(status);
    return answer.body;
  };

  await ok(
    200,
    call('PUT', '/customers/ACME', 'admin', {
      name: 'Acme A/S',
      contacts: [
        { email: emails[0], name: 'CFO', receives: ['alerts', 'notices', 'reports'] },
        { email: emails[1], receives: ['alerts', 'updates'] },
        { email: emails[2], receives: ['approvals'] },
      ],
      goLiveAt: '2026-06-01T08:00:00+02:00',
      hypercareWeeks: 4,
      consultancyRate: { hourly: '1250', currency: 'DKK' },
    }),
  );
  // Tickets: one answered, one Highest left to breach (with its alerts delivered).
  const answered = (await ok(201, call('POST', '/tickets', 'acme', aTicket({ description: secret.description, priority: 'high' }), { 'idempotency-key': 'hyg-1' }))).id as string;
  await ok(201, call('POST', '/tickets', 'acme', aTicket({ description: secret.description, priority: 'high' }), { 'idempotency-key': 'hyg-1' }));
  const breaching = (await ok(201, call('POST', '/tickets', 'acme', aTicket({ description: secret.description, priority: 'highest' }), { 'x-correlation-id': 'hygiene-open' }))).id as string;
  await ok(201, call('POST', `/tickets/${answered}/comments`, 'acme', { body: secret.customerComment, visibility: 'public' }));
  await ok(201, call('POST', `/tickets/${answered}/comments`, 'agent', { body: secret.internal, visibility: 'internal' }));
  await ok(201, call('POST', `/tickets/${answered}/comments`, 'agent', { body: secret.comment, visibility: 'public' }));
  await ok(200, call('GET', `/tickets/${answered}/comments`, 'acme'));
  await ok(200, call('GET', `/tickets/${answered}/events`, 'agent'));
  await ok(200, call('PATCH', `/tickets/${answered}`, 'agent', { status: 'in_progress' }));
  // Consultancy: proposed (approvers emailed), approved, time logged.
  const request = (await ok(201, call('POST', '/consultancy', 'agent', { customerId: 'ACME', service: 'crm-flows', description: secret.consultancy, estimateHours: 4 }))).id as string;
  await ok(200, call('POST', `/consultancy/${request}/approve`, 'acme'));
  await ok(201, call('POST', `/consultancy/${request}/time`, 'agent', { hours: 2, date: '2026-06-08', note: secret.timeNote }));
  // A service window, noticed to every customer.
  await ok(201, call('POST', '/service-windows', 'agent', { start: '2026-06-09T20:00:00+02:00', end: '2026-06-09T21:00:00+02:00', reason: 'Database upgrade' }));
  // Bad inputs, each a 4xx.
  expect((await stack.call('POST', '/tickets', { token: tokens.acme, raw: `{"title":"x","description":"${secret.badBody}",` })).status).toBe(400);
  expect((await call('POST', '/tickets', 'acme', { title: '', description: secret.badBody, category: 'nope', priority: 'urgent' })).status).toBe(400);
  expect((await call('POST', `/tickets/${answered}/comments`, 'acme', { body: secret.badBody, visibility: 'internal' })).status).toBe(403);
  expect((await call('PUT', '/customers/GLOBEX', 'admin', { name: 'G', contacts: [{ email: `not-an-email ${secret.badBody}`, receives: ['alerts'] }] })).status).toBe(400);
  // Refused by the authorizer: API Gateway's 403 (a simple response's isAuthorized false).
  expect((await stack.call('GET', '/tickets', { token: `${tokens.acme.slice(0, -4)}AAAA` })).status).toBe(403);
  expect((await call('GET', `/tickets/${answered}`, 'globex')).status).toBe(404);
  expect((await stack.call('POST', `/tickets/${answered}/comments`, { token: tokens.agent, raw: secret.badBody, headers: { 'content-type': 'text/plain' } })).status).toBe(415);
  // The breach: warning at 10:45, breach at 11:00, each by email and SNS; then the relay's rounds.
  for (const now of ['2026-06-08T10:45:30+02:00', '2026-06-08T11:00:30+02:00']) {
    stack.clock.set(Date.parse(now));
    await stack.runTimers();
  }
  await ok(200, call('GET', `/tickets/${breaching}`, 'agent'));
  // A report, made at once locally and told to finance and the customer's report contacts.
  await ok(202, call('POST', '/reports/2026-05', 'finance', { reason: 'hygiene check' }));
  await stack.runTimers();
  // The probe, and one unexpected error: the table is gone under a running API.
  await stack.runProbe();
  const dynamo = new DynamoDBClient({ endpoint: stack.dynamoEndpoint, region: 'eu-north-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  await dynamo.send(new DeleteTableCommand({ TableName: stack.tableName }));
  dynamo.destroy();
  const failed = await call('POST', '/tickets', 'acme', aTicket({ description: secret.failed }), { 'x-correlation-id': 'hygiene-500' });
  expect([failed.status, failed.headers.get('x-correlation-id')]).toEqual([500, 'hygiene-500']);
});

afterAll(async () => {
  await stack.stop();
  output.stop();
});

describe('log hygiene over a whole session', () => {
  it('the session was logged at all: the timer, the relay and the unexpected error', () => {
    const messages = output.json().map((line) => line.message);
    for (const expected of ['sla timer fired', 'alert delivered', 'unexpected error']) expect(messages).toContain(expected);
    const unexpected = output.json().find((line) => line.message === 'unexpected error');
    expect(unexpected).toMatchObject({ level: 'ERROR', correlation_id: 'hygiene-500', api_request_id: expect.stringMatching(/.+/), error: { name: 'ResourceNotFoundException' } });
    expect(unexpected!.api_request_id).not.toBe('hygiene-500');
  });

  it('no description, comment body, note or bearer token appears in anything printed or logged', () => {
    const printed = [...output.lines, ...stack.logs].join('\n');
    for (const text of Object.values(secret)) expect(printed).not.toContain(text.split(' ').at(-1));
    for (const token of Object.values(tokens)) {
      expect(printed).not.toContain(token);
      // Not even its signature or payload alone.
      for (const part of token.split('.')) expect(printed).not.toContain(part);
    }
  });

  it('email addresses appear only as their domain', () => {
    const printed = [...output.lines, ...stack.logs].join('\n');
    for (const email of emails) expect(printed).not.toContain(email);
    expect(printed).not.toMatch(/[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+\.[A-Za-z]/);
    // What is shown instead.
    expect(printed).toContain('…@sla-desk.local');
  });

  it('every structured log line is JSON with a correlation id', () => {
    const structured = output.lines.filter((line) => line.startsWith('{'));
    for (const line of structured) expect(() => JSON.parse(line), line).not.toThrow();
    const logs = output.json().filter((line) => typeof line.level === 'string');
    expect(logs.length).toBeGreaterThan(10);
    for (const line of logs) expect(line, line.message).toMatchObject({ service: 'sla-desk', correlation_id: expect.stringMatching(/^[A-Za-z0-9._:-]{1,128}$/) });
    // The breach alerts log under the id of the request that opened the ticket.
    const breachAlerts = logs.filter((line) => line.message === 'alert delivered' && line.kind === 'breach');
    expect(breachAlerts.map((line) => line.correlation_id)).toEqual(['hygiene-open', 'hygiene-open']);
  });
});
