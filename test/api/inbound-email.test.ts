import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hmacSha256 } from '#adapters/inbound/hmac';
import { replyAddress, supportAddress } from '#domain/inbound/reply-address';
import { LOCAL_INBOUND_DOMAIN, localReplySecret } from '../../bin/local/reply-secret';
import { plainMessage } from '../support/mail';
import { aTicket, type Cast, castOf, startTestStack, type TestStack } from '../support/test-stack';

/* Email into tickets (docs/email.md) on the local stack: POST /_dev/inbound-email feeds the same ingest as SES's receipt. */

let stack: TestStack;
let tokens: Cast;
const BOB = 'bob@acme.example';
const ADDRESSES = { domain: LOCAL_INBOUND_DOMAIN };
const SUPPORT = supportAddress(ADDRESSES);
let ticketAddress: (ticketId: string) => string;

beforeAll(async () => {
  stack = await startTestStack({ clockStart: '2026-11-02T09:00:00+01:00' });
  tokens = await castOf(stack);
  // Bob is a contact of Acme who never signed in; he hears of tickets only as their requester.
  const saved = await stack.call('PUT', '/customers/ACME', { token: tokens.admin, body: { name: 'Acme A/S', contacts: [{ email: BOB, name: 'Bob Berg', receives: ['updates'] }] } });
  expect(saved.status, saved.text).toBe(200);
  const mac = hmacSha256(await localReplySecret(stack.dataDir));
  ticketAddress = (ticketId) => replyAddress(ticketId, mac, ADDRESSES);
});
afterAll(() => stack.stop());

let sequence = 0;
/** A plain-text message as a mail program writes it; each has its own Message-ID unless given one. */
function message({
  from = `Bob Berg <${BOB}>`,
  to,
  subject = 'Re: your ticket',
  body,
  messageId = `m${++sequence}.${Date.now()}@mail.acme.example`,
}: {
  from?: string;
  to: string;
  subject?: string;
  body: string;
  messageId?: string;
}) {
  return plainMessage(from, to, subject, body, messageId);
}

/** Delivers a raw message; `verdicts` as SES would say them (a local delivery passes every check unless told). */
async function deliver(raw: string, verdicts: Record<string, string> = {}) {
  const response = await fetch(`${stack.url}/_dev/inbound-email`, {
    method: 'POST',
    headers: { authorization: `Bearer ${tokens.admin}`, 'content-type': 'message/rfc822', ...Object.fromEntries(Object.entries(verdicts).map(([k, v]) => [`x-ses-${k}-verdict`, v])) },
    body: raw,
  });
  const text = await response.text();
  expect(response.status, text).toBe(200);
  return JSON.parse(text) as { action: string; ticketId?: string; commentId?: string; reason?: string; repeated: boolean };
}

const open = async () => {
  const reply = await stack.call('POST', '/tickets', { token: tokens.acme, body: aTicket({ priority: 'medium' }) });
  expect(reply.status, reply.text).toBe(201);
  return reply.body.id as string;
};
const commentsOf = async (id: string) =>
  (await stack.call('GET', `/tickets/${id}/comments?limit=100`, { token: tokens.agent })).body.items as { body: string; visibility: string; author: { subject: string; role: string } }[];
const ticketCount = async () => (await stack.call('GET', '/tickets?customerId=ACME&limit=100', { token: tokens.agent })).body.items.length as number;

interface Line {
  kind: string;
  ticketId?: string;
  recipients: string[];
  subject: string;
  body: string;
}
/** The emails sent so far, after the relay's round. */
async function outbox(): Promise<Line[]> {
  await stack.runTimers();
  const text = await readFile(join(stack.dataDir, 'outbox.jsonl'), 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Line);
}

describe('email into tickets', () => {
  it('a reply by email becomes a public comment by its sender, once, even when delivered twice', async () => {
    const id = await open();
    const raw = message({ to: ticketAddress(id), body: 'It syncs again since 09:12.\n\nOn Mon, 2 Nov 2026 at 09:05, SLA Desk wrote:\n> Could you check the sync?' });
    const first = await deliver(raw);
    expect(first).toMatchObject({ action: 'comment', ticketId: id, repeated: false });
    expect(await deliver(raw)).toEqual({ ...first, repeated: true });
    const comments = await commentsOf(id);
    expect(comments.map((c) => [c.body, c.visibility, c.author])).toEqual([
      ['It syncs again since 09:12.', 'public', { subject: expect.stringMatching(/^contact:[a-z2-7]{26}$/), role: 'customer', name: 'Bob Berg' }],
    ]);
    // The address is in the person record alone: no comment names it.
    expect(JSON.stringify(comments)).not.toContain(BOB);
    // The desk hears of it by the contact's name, never their address.
    const told = (await outbox()).filter((l) => l.ticketId === id && l.kind === 'ticket-customer-reply');
    expect(told).toHaveLength(1);
    expect(told[0]!.body.split('\n')[0]).toBe(`Bob Berg replied on ${id}: read it and answer.`);
  });

  it('a forged signature, an unknown sender and a failed verdict create nothing', async () => {
    const id = await open();
    const before = await ticketCount();
    const forged = ticketAddress(id).replace(/\.[a-z2-7]{16}@/, '.aaaaaaaaaaaaaaaa@');
    expect(await deliver(message({ to: forged, body: 'Let me in.' }))).toMatchObject({ action: 'refuse', reason: 'bad-signature' });
    expect(await deliver(message({ from: 'eve@elsewhere.example', to: ticketAddress(id), body: 'Let me in.' }))).toMatchObject({ action: 'refuse', reason: 'unknown-sender' });
    expect(await deliver(message({ from: 'eve@elsewhere.example', to: SUPPORT, subject: 'Open me', body: 'A ticket, please.' }))).toMatchObject({ action: 'refuse', reason: 'unknown-sender' });
    // A known sender's address, but the sending domain's DKIM says it was not them.
    expect(await deliver(message({ to: ticketAddress(id), body: 'Forged.' }), { dkim: 'FAIL' })).toMatchObject({ action: 'refuse', reason: 'failed-verdict' });
    expect(await deliver(message({ to: SUPPORT, subject: 'Forged', body: 'Forged.' }), { spam: 'FAIL' })).toMatchObject({ action: 'refuse', reason: 'failed-verdict' });
    expect(await commentsOf(id)).toEqual([]);
    expect(await ticketCount()).toBe(before);
  });

  it('a new message to the support address opens a Medium ticket in category other, and its received email asks who is affected', async () => {
    const opened = await deliver(message({ to: SUPPORT, subject: 'Leads stopped syncing', body: 'No new leads since 08:00.\n\n-- \nBob Berg | IT, Acme' }));
    expect(opened).toMatchObject({ action: 'open', repeated: false });
    const ticket = (await stack.call('GET', `/tickets/${opened.ticketId}`, { token: tokens.agent })).body;
    expect([ticket.title, ticket.description, ticket.category, ticket.priority]).toEqual(['Leads stopped syncing', 'No new leads since 08:00.', 'other', 'medium']);
    const received = (await outbox()).filter((l) => l.ticketId === opened.ticketId && l.kind === 'ticket-received');
    expect(received.map((l) => l.recipients)).toEqual([[BOB]]);
    expect(received[0]!.body).toContain('Please tell us who is affected, by replying to this email');
  });

  it('a reply to a closed ticket opens a new ticket that refers to it', async () => {
    const id = await open();
    expect((await stack.call('PATCH', `/tickets/${id}`, { token: tokens.agent, body: { status: 'closed' } })).status).toBe(200);
    const raw = message({ to: ticketAddress(id), subject: 'Re: Users missing after sync', body: 'It is back again.' });
    const opened = await deliver(raw);
    expect(opened).toMatchObject({ action: 'open', repeated: false });
    expect(opened.ticketId).not.toBe(id);
    expect(await deliver(raw)).toEqual({ ...opened, repeated: true });
    const ticket = (await stack.call('GET', `/tickets/${opened.ticketId}`, { token: tokens.agent })).body;
    expect(ticket.description).toBe(`Follows up ${id}, which is closed.\n\nIt is back again.`);
    expect(await commentsOf(id)).toEqual([]);
  });

  it('a refused sender is answered politely at most once a day; a failed verdict never', async () => {
    const refusals = async (to: string) => (await outbox()).filter((l) => l.kind === 'inbound-refused' && l.recipients.includes(to));
    const mallory = 'mallory@elsewhere.example';
    for (const body of ['First try.', 'Second try.']) await deliver(message({ from: mallory, to: SUPPORT, subject: 'Hello', body }));
    expect(await refusals(mallory)).toHaveLength(1);
    expect((await refusals(mallory))[0]!.body.split('\n')[0]).toContain('Your email to support was not added to a ticket');
    stack.at.set('2026-11-03T09:00:00+01:00');
    await deliver(message({ from: mallory, to: SUPPORT, subject: 'Hello', body: 'The next day.' }));
    expect(await refusals(mallory)).toHaveLength(2);
    const forger = 'forger@elsewhere.example';
    await deliver(message({ from: forger, to: SUPPORT, subject: 'Hello', body: 'Spoofed.' }), { spf: 'FAIL' });
    expect(await refusals(forger)).toEqual([]);
  });

  it("knows a customer's users by their address, and a contact only while the customer lists them", async () => {
    // Alice signed in (the cast's Acme token): she writes as herself.
    const fromAlice = await deliver(message({ from: 'Alice <ALICE@acme.example>', to: SUPPORT, subject: 'Reports are empty', body: 'Since this morning.' }));
    expect(fromAlice).toMatchObject({ action: 'open' });
    const events = (await stack.call('GET', `/tickets/${fromAlice.ticketId}/events`, { token: tokens.agent })).body.items;
    expect(events[0].actor).toMatchObject({ subject: 'local-customer-acme', name: 'Alice at ACME' });
    // Carl wrote once as a contact (his pseudonym has a record), then was taken off the list: he is a stranger now.
    const carl = 'carl@acme.example';
    const contacts = (list: object[]) => stack.call('PUT', '/customers/ACME', { token: tokens.admin, body: { name: 'Acme A/S', contacts: list } });
    expect(
      (
        await contacts([
          { email: BOB, name: 'Bob Berg', receives: ['updates'] },
          { email: carl, name: 'Carl', receives: ['tickets'] },
        ])
      ).status,
    ).toBe(200);
    expect(await deliver(message({ from: carl, to: SUPPORT, subject: 'One', body: 'First.' }))).toMatchObject({ action: 'open' });
    expect((await contacts([{ email: BOB, name: 'Bob Berg', receives: ['updates'] }])).status).toBe(200);
    expect(await deliver(message({ from: carl, to: SUPPORT, subject: 'Two', body: 'Second.' }))).toMatchObject({ action: 'refuse', reason: 'unknown-sender' });
  });

  it('ingests the .eml files put in DATA_DIR/inbox/, and deletes each once ingested', async () => {
    const id = await open();
    const inbox = join(stack.dataDir, 'inbox');
    await writeFile(join(inbox, 'reply.eml'), message({ to: ticketAddress(id), body: 'Dropped in the inbox.' }));
    await stack.checkInbox();
    expect((await commentsOf(id)).map((c) => c.body)).toEqual(['Dropped in the inbox.']);
    expect(await readdir(inbox)).toEqual([]);
  });

  it("a reply's files become the ticket's attachments, once however often it is delivered; a file the limits refuse is left out", async () => {
    const id = await open();
    const log = '2026-11-02 09:12:00 ERROR Entra answered 429\n';
    const boundary = 'b-1';
    const part = (name: string, type: string, content: string) =>
      [
        `--${boundary}`,
        `Content-Type: ${type}; name="${name}"`,
        `Content-Disposition: attachment; filename="${name}"`,
        'Content-Transfer-Encoding: base64',
        '',
        Buffer.from(content).toString('base64'),
      ].join('\r\n');
    const raw = [
      `From: Bob Berg <${BOB}>`,
      `To: ${ticketAddress(id)}`,
      'Subject: Re: your ticket',
      'Date: Mon, 2 Nov 2026 09:30:00 +0100',
      `Message-ID: <with-files.${Date.now()}@mail.acme.example>`,
      'MIME-Version: 1.0',
      `Content-Type: multipart/mixed; boundary="${boundary}"`,
      '',
      `--${boundary}`,
      'Content-Type: text/plain; charset=utf-8',
      '',
      'The log is attached.',
      part('sync.log', 'text/plain', log),
      part('tool.exe', 'application/x-msdownload', 'MZ not allowed'),
      `--${boundary}--`,
      '',
    ].join('\r\n');
    expect(await deliver(raw)).toMatchObject({ action: 'comment', repeated: false });
    expect(await deliver(raw)).toMatchObject({ action: 'comment', repeated: true });
    const attachments = (await stack.call('GET', `/tickets/${id}/attachments`, { token: tokens.agent })).body.items;
    expect(attachments).toMatchObject([{ filename: 'sync.log', contentType: 'text/plain', size: log.length, status: 'available', visibility: 'public', byName: 'Bob Berg' }]);
    const read = await fetch(`${stack.url}/tickets/${id}/attachments/${attachments[0].id}`, { headers: { authorization: `Bearer ${tokens.acme}` } });
    expect(await read.text()).toBe(log);
    expect(stack.logs.join('\n')).not.toContain('MZ not allowed');
  });

  it('takes raw email from admins only', async () => {
    const raw = message({ to: SUPPORT, body: 'x' });
    const asCustomer = await fetch(`${stack.url}/_dev/inbound-email`, { method: 'POST', headers: { authorization: `Bearer ${tokens.acme}`, 'content-type': 'message/rfc822' }, body: raw });
    expect(asCustomer.status).toBe(403);
    const asJson = await fetch(`${stack.url}/_dev/inbound-email`, { method: 'POST', headers: { authorization: `Bearer ${tokens.admin}`, 'content-type': 'application/json' }, body: raw });
    expect(asJson.status).toBe(415);
  });
});
