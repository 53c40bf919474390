import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentClient } from '#adapters/dynamodb/client';
import { aTicket, type Cast, castOf, startTestStack, type TestStack } from '../support/test-stack';
import { issueToken, signingKey } from '../../bin/local/local-tokens';
import { LOCAL_INBOUND_DOMAIN } from '../../bin/local/reply-secret';
import { supportAddress } from '#domain/inbound/reply-address';
import { plainMessage } from '../support/mail';

/* A person's data (docs/privacy.md): found by address, exported as one document, the asking recorded. */

let stack: TestStack;
let tokens: Cast;
let ticketId: string;
let emailedTicketId: string;
let consultancyId: string;
const ALICE = 'alice@acme.example';

beforeAll(async () => {
  // The authorizer reads a person's record afresh on every request (30 s on AWS): her tokens are refused at once.
  stack = await startTestStack({ clockStart: '2026-12-02T10:00:00+01:00', recordCacheSeconds: 0 });
  tokens = await castOf(stack);
  // Alice (the cast's Acme token) is Acme's contact, hears of its tickets and notices; Acme went live yesterday.
  const saved = await stack.call('PUT', '/customers/ACME', {
    token: tokens.admin,
    body: {
      name: 'Acme A/S',
      contacts: [{ email: ALICE, name: 'Alice Andersen', receives: ['tickets', 'notices', 'approvals'] }],
      goLiveAt: '2026-12-01T08:00:00+01:00',
      hypercareWeeks: 4,
      consultancyRate: { hourly: '1250.00', currency: 'DKK' },
    },
  });
  expect(saved.status, saved.text).toBe(200);
  // She opens a ticket, writes, attaches a log; the desk answers her.
  ticketId = (await stack.call('POST', '/tickets', { token: tokens.acme, body: aTicket() })).body.id;
  expect((await stack.call('POST', `/tickets/${ticketId}/comments`, { token: tokens.acme, body: { body: 'It happened again at 09:40.', visibility: 'public' } })).status).toBe(201);
  expect((await stack.call('POST', `/tickets/${ticketId}/comments`, { token: tokens.agent, body: { body: 'Looking at it now.', visibility: 'public' } })).status).toBe(201);
  const log = Buffer.from('09:40 ERROR sync\n');
  const asked = await stack.call('POST', `/tickets/${ticketId}/attachments`, { token: tokens.acme, body: { filename: 'sync.log', contentType: 'text/plain', size: log.length } });
  expect((await fetch(asked.body.uploadUrl, { method: 'PUT', headers: asked.body.uploadHeaders, body: log })).status).toBe(200);
  // She emails in: a ticket of hers.
  const delivered = await fetch(`${stack.url}/_dev/inbound-email`, {
    method: 'POST',
    headers: { authorization: `Bearer ${tokens.admin}`, 'content-type': 'message/rfc822' },
    body: plainMessage(`Alice Andersen <${ALICE}>`, supportAddress({ domain: LOCAL_INBOUND_DOMAIN }), 'Invoices stuck', 'Since this morning, Alice', 'alice-1@acme.example'),
  });
  const ingested = (await delivered.json()) as { action: string; ticketId: string };
  expect(ingested.action).toBe('open');
  emailedTicketId = ingested.ticketId;
  // She approves paid work, which the desk then logs time on; she signs hypercare off.
  consultancyId = (await stack.call('POST', '/consultancy', { token: tokens.agent, body: { customerId: 'ACME', service: 'crm-flows', description: 'Route new leads', estimateHours: 4 } })).body.id;
  const approved = await stack.call('POST', `/consultancy/${consultancyId}/approve`, { token: tokens.acme });
  expect(approved.status, approved.text).toBe(200);
  expect((await stack.call('POST', `/consultancy/${consultancyId}/time`, { token: tokens.agent, body: { hours: 1.5, date: '2026-12-02', note: 'Flows drafted' } })).status).toBe(201);
  expect((await stack.call('POST', '/customers/ACME/hypercare/signoff', { token: tokens.acme })).status).toBe(200);
  // A service window is announced: its notice goes to her.
  expect(
    (await stack.call('POST', '/service-windows', { token: tokens.agent, body: { start: '2026-12-16T12:00:00+01:00', end: '2026-12-16T13:00:00+01:00', reason: 'Database upgrade' } })).status,
  ).toBe(201);
  await stack.runTimers();
});
afterAll(() => stack.stop());

/** Every item of the stack's table whose stored form matches: a Scan, as only a test may. */
async function itemsNaming(pattern: RegExp): Promise<string[]> {
  const db = createDocumentClient({ endpoint: stack.dynamoEndpoint });
  const found: string[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.send(new ScanCommand({ TableName: stack.tableName, ...(start ? { ExclusiveStartKey: start } : {}) }));
    for (const item of page.Items ?? []) if (pattern.test(JSON.stringify(item))) found.push(`${item.PK} ${item.SK}`);
    start = page.LastEvaluatedKey;
  } while (start);
  db.destroy();
  return found;
}

/** Every file under a directory whose bytes match. */
async function filesNaming(dir: string, pattern: RegExp): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
  const found: string[] = [];
  for (const file of files) if (pattern.test((await readFile(file)).toString('latin1'))) found.push(file);
  return found;
}

describe("a person's data", () => {
  it('is found by address (admins only): the person id, role and customer', async () => {
    const found = await stack.call('GET', `/people?email=${encodeURIComponent('ALICE@acme.example')}`, { token: tokens.admin });
    expect(found.status, found.text).toBe(200);
    expect(found.body.items).toEqual([{ subject: 'local-customer-acme', role: 'customer', name: 'Alice at ACME', email: ALICE, customerId: 'ACME' }]);
    expect((await stack.call('GET', `/people?email=${ALICE}`, { token: tokens.agent })).status).toBe(403);
    expect((await stack.call('GET', '/people?role=agent&email=x@y.example', { token: tokens.admin })).status).toBe(400);
  });

  it('is exported as one document: the person and their customer, what they opened, wrote and attached, and the emails to them still kept', async () => {
    const reply = await stack.call('GET', '/people/local-customer-acme/data?reason=Access%20request%20of%202%20December', { token: tokens.admin });
    expect(reply.status, reply.text).toBe(200);
    const data = reply.body;
    expect(data.person).toEqual({ subject: 'local-customer-acme', role: 'customer', name: 'Alice at ACME', email: ALICE, customerId: 'ACME' });
    expect(data.customer).toEqual({ customerId: 'ACME', name: 'Acme A/S', contact: { email: ALICE, name: 'Alice Andersen', receives: ['tickets', 'notices', 'approvals'] } });
    expect(data.ticketsOpened.map((t: { ticketId: string }) => t.ticketId).sort()).toEqual([ticketId, emailedTicketId].sort());
    expect(data.comments).toEqual(expect.arrayContaining([expect.objectContaining({ ticketId, body: 'It happened again at 09:40.', visibility: 'public' })]));
    expect(data.inboundEmails).toHaveLength(1);
    expect(data.consultancy.decisions).toMatchObject([{ requestId: consultancyId, type: 'consultancy.approved' }]);
    expect(data.customerEvents).toMatchObject([{ customerId: 'ACME', type: 'hypercare.signed-off' }]);
    expect(data.attachments).toMatchObject([{ ticketId, filename: 'sync.log', status: 'available', link: expect.stringMatching(new RegExp(`^/tickets/${ticketId}/attachments/[a-z2-7]{20}$`)) }]);
    // The desk's answer is the agent's, not hers; the emails to her are hers.
    expect(JSON.stringify(data.comments)).not.toContain('Looking at it now.');
    // The emails to her still kept: about her tickets, and the window's notice.
    expect(data.emails.map((e: { kind: string }) => e.kind)).toEqual(expect.arrayContaining(['ticket-received', 'ticket-reply', 'service-window']));
    expect(reply.headers.get('cache-control')).toBe('no-store');
  });

  it('is for admins only, with a reason; an unknown person is not found', async () => {
    expect((await stack.call('GET', '/people/local-customer-acme/data?reason=x', { token: tokens.agent })).status).toBe(403);
    expect((await stack.call('GET', '/people/local-customer-acme/data?reason=x', { token: tokens.acme })).status).toBe(403);
    const noReason = await stack.call('GET', '/people/local-customer-acme/data', { token: tokens.admin });
    expect([noReason.status, noReason.body.detail]).toEqual([400, expect.stringContaining('Say why the data is asked for')]);
    expect((await stack.call('GET', '/people/nobody-at-all/data?reason=x', { token: tokens.admin })).status).toBe(404);
  });
});

describe("a person's erasure", () => {
  it('deletes their files and contact entry, redacts their comments when asked, empties their record (Former user everywhere), keeps the ticket; a second erasure changes nothing', async () => {
    const before = (await stack.call('GET', `/tickets/${ticketId}`, { token: tokens.agent })).body;
    const erased = await stack.call('POST', '/people/local-customer-acme/erasure', { token: tokens.admin, body: { reason: 'Erasure request of 2 December', redactText: true } });
    expect(erased.status, erased.text).toBe(200);
    expect(erased.body).toEqual({
      subject: 'local-customer-acme',
      erased: true,
      account: false,
      contact: true,
      attachments: 1,
      redactedComments: 1,
      redactedDescriptions: 2,
      messages: expect.any(Number),
      rawEmails: 0,
      alsoErased: [],
    });
    expect(erased.body.messages).toBeGreaterThan(0);
    // Their comment stays, by "Former user", its text removed; the desk's answer is untouched.
    const comments = (await stack.call('GET', `/tickets/${ticketId}/comments`, { token: tokens.agent })).body.items;
    // (Both written at the stack's one frozen instant: compared in no particular order.)
    expect(comments.map((c: { body: string; author: { name: string } }) => [c.author.name, c.body]).sort()).toEqual([
      ['Ada Agent', 'Looking at it now.'],
      ['Former user', '[removed on request]'],
    ]);
    const events = (await stack.call('GET', `/tickets/${ticketId}/events`, { token: tokens.agent })).body.items;
    expect(events[0].actor.name).toBe('Former user');
    // The facts the SLA rests on are as they were.
    const after = (await stack.call('GET', `/tickets/${ticketId}`, { token: tokens.agent })).body;
    expect([after.openedAt, after.priority, after.firstResponseDueAt, after.sla]).toEqual([before.openedAt, before.priority, before.firstResponseDueAt, before.sla]);
    expect((await stack.call('GET', `/tickets/${ticketId}/attachments`, { token: tokens.agent })).body.items).toEqual([]);
    expect((await stack.call('GET', '/customers/ACME', { token: tokens.admin })).body.contacts).toEqual([]);
    expect((await stack.call('GET', `/people?email=${ALICE}`, { token: tokens.admin })).body.items).toEqual([]);
    // A token she still holds, or one that says something new of her, is refused, and names her no more.
    expect((await stack.call('GET', '/tickets', { token: tokens.acme })).status).toBe(403);
    const renamed = await issueToken(await signingKey(stack.dataDir), { role: 'customer', customerId: 'ACME', subject: 'local-customer-acme', name: 'Alice Again' });
    expect((await stack.call('GET', '/tickets', { token: renamed })).status).toBe(403);
    const reread = await stack.call('GET', `/tickets/${ticketId}/comments`, { token: tokens.agent });
    expect(reread.text).not.toMatch(/Alice|alice@/);
    expect((await stack.call('GET', `/people?email=${ALICE}`, { token: tokens.admin })).body.items).toEqual([]);
    const again = await stack.call('POST', '/people/local-customer-acme/erasure', { token: tokens.admin, body: { reason: 'Asked twice', redactText: true } });
    expect(again.body).toEqual({
      subject: 'local-customer-acme',
      erased: false,
      account: false,
      contact: false,
      attachments: 0,
      redactedComments: 0,
      redactedDescriptions: 0,
      messages: 0,
      rawEmails: 0,
      alsoErased: [],
    });
    // Nothing the twin keeps names her any more: no table item, no file under DATA_DIR (attachments, the sent mail, accounts).
    // Her first name too: the text she wrote went with her comments and descriptions.
    const her = /alice@acme\.example|Alice at ACME|Alice Andersen|\bAlice\b|It happened again at 09:40/i;
    // (A request's first answer, kept 24 hours for its retries under its Idempotency-Key, goes by itself: docs/privacy.md.)
    const leftovers = [...(await itemsNaming(her)).filter((key) => !key.startsWith('IDEMPOTENCY#')), ...(await filesNaming(stack.dataDir, her))];
    expect(leftovers).toEqual([]);
  });

  it('erases the same address under its other id too: a contact who wrote by email before their account existed', async () => {
    // Carl writes to support as a contact (his pseudonym's record), then gets an account and signs in.
    const carl = 'carl@acme.example';
    const profile = (await stack.call('GET', '/customers/ACME', { token: tokens.admin })).body;
    expect(
      (await stack.call('PUT', '/customers/ACME', { token: tokens.admin, body: { name: profile.name, contacts: [{ email: carl, name: 'Carl Christensen', receives: ['tickets'] }] } })).status,
    ).toBe(200);
    const raw = [
      `From: Carl Christensen <${carl}>`,
      `To: ${supportAddress({ domain: LOCAL_INBOUND_DOMAIN })}`,
      'Subject: Printing stopped',
      'Message-ID: <carl-1@acme.example>',
      '',
      'Since 09:00.',
      '',
    ].join('\r\n');
    const delivered = await fetch(`${stack.url}/_dev/inbound-email`, { method: 'POST', headers: { authorization: `Bearer ${tokens.admin}`, 'content-type': 'message/rfc822' }, body: raw });
    expect((await delivered.json()) as object).toMatchObject({ action: 'open' });
    const account = await issueToken(await signingKey(stack.dataDir), { role: 'customer', customerId: 'ACME', subject: 'carl-sub', name: 'Carl Christensen', email: carl });
    expect((await stack.call('GET', '/tickets', { token: account })).status).toBe(200);
    const both = (await stack.call('GET', `/people?email=${carl}`, { token: tokens.admin })).body.items.map((p: { subject: string }) => p.subject);
    expect(both).toHaveLength(2);
    const erased = await stack.call('POST', '/people/carl-sub/erasure', { token: tokens.admin, body: { reason: 'Erasure request of 3 December' } });
    expect(erased.body).toMatchObject({ subject: 'carl-sub', erased: true, contact: true, alsoErased: [expect.stringMatching(/^contact:/)] });
    expect((await stack.call('GET', `/people?email=${carl}`, { token: tokens.admin })).body.items).toEqual([]);
    expect((await stack.call('GET', '/tickets?limit=100', { token: tokens.agent })).text).not.toContain('Carl');
  });

  it('is for admins only, with a reason', async () => {
    expect((await stack.call('POST', '/people/local-agent/erasure', { token: tokens.agent, body: { reason: 'x' } })).status).toBe(403);
    expect((await stack.call('POST', '/people/local-agent/erasure', { token: tokens.admin, body: {} })).status).toBe(400);
    expect((await stack.call('POST', '/people/nobody-at-all/erasure', { token: tokens.admin, body: { reason: 'x' } })).status).toBe(404);
    // Half a character in the reason, or an address longer than any can be: a 400, never a 500.
    expect((await stack.call('POST', '/people/local-agent/erasure', { token: tokens.admin, raw: '{"reason":"broken \\ud800 text"}' })).status).toBe(400);
    expect((await stack.call('GET', `/people?email=${'a'.repeat(3000)}@x.example`, { token: tokens.admin })).status).toBe(400);
  });
});
