import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hmacSha256 } from '#adapters/inbound/hmac';
import { readAddress } from '#domain/inbound/reply-address';
import { LOCAL_INBOUND_DOMAIN, localReplySecret } from '../../bin/local/reply-secret';
import { aTicket, type Cast, castOf, startTestStack, type TestStack } from '../support/test-stack';

/* A ticket's emails to the people involved (docs/email.md), on the local stack: who gets each, once. */

let stack: TestStack;
let tokens: Cast;
const ALICE = 'alice@acme.example';
const CONTACT = 'it@acme.example';
const ONCALL = 'oncall@sla-desk.local';
const ADA = 'ada.agent@sla-desk.local';

beforeAll(async () => {
  stack = await startTestStack({ clockStart: '2026-11-02T09:00:00+01:00' });
  tokens = await castOf(stack);
  // Each person's first call writes their record (the requester's address, the agent's name).
  for (const token of [tokens.agent, tokens.admin, tokens.acme]) expect((await stack.call('GET', '/tickets?limit=1', { token })).status).toBe(200);
  const saved = await stack.call('PUT', '/customers/ACME', {
    token: tokens.admin,
    body: {
      name: 'Acme A/S',
      contacts: [
        { email: CONTACT, receives: ['tickets', 'alerts'] },
        { email: 'finance@acme.example', receives: ['reports'] },
      ],
    },
  });
  expect(saved.status, saved.text).toBe(200);
});
afterAll(() => stack.stop());

interface Line {
  kind: string;
  id: string;
  ticketId?: string;
  recipients: string[];
  subject: string;
  body: string;
  replyTo?: string;
  messageId?: string;
}
/** A ticket's emails sent so far, after the relay's round. */
async function emails(ticketId: string): Promise<Line[]> {
  await stack.runTimers();
  const text = await readFile(join(stack.dataDir, 'outbox.jsonl'), 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Line)
    .filter((l) => l.ticketId === ticketId && l.kind.startsWith('ticket-'));
}
/** Each email as [kind, recipients], in the order of kinds (one round delivers side by side). */
const sent = async (ticketId: string) => (await emails(ticketId)).map((e) => [e.kind, e.recipients] as const).sort(([a], [b]) => a.localeCompare(b));
const open = async (priority: string) => {
  const reply = await stack.call('POST', '/tickets', { token: tokens.acme, body: aTicket({ priority }) });
  expect(reply.status, reply.text).toBe(201);
  return reply.body.id as string;
};
const comment = (id: string, token: string, body: string, visibility = 'public', key?: string) =>
  stack.call('POST', `/tickets/${id}/comments`, { token, body: { body, visibility }, ...(key ? { headers: { 'idempotency-key': key } } : {}) });

describe("a ticket's emails", () => {
  it('a Medium ticket: the requester and the tickets contacts hear it was received, on-call hears nothing', async () => {
    const id = await open('medium');
    const mails = await emails(id);
    expect(mails.map((e) => [e.kind, e.recipients])).toEqual([['ticket-received', [ALICE, CONTACT]]]);
    expect(mails[0]!.body.split('\n')[0]).toBe(`We will respond by Tue 3 Nov 2026, 09:00. Your ticket is ${id}, priority Medium.`);
    // Its Reply-To routes back to this ticket; its Message-ID is its own.
    const mac = hmacSha256(await localReplySecret(stack.dataDir));
    expect(readAddress(mails[0]!.replyTo!, mac, { domain: LOCAL_INBOUND_DOMAIN })).toEqual({ to: 'ticket', ticketId: id });
    expect(mails[0]!.messageId).toBe(`${id.toLowerCase()}.received.ticket-received.email@${LOCAL_INBOUND_DOMAIN}`);
  });

  it('a Highest or High ticket also emails on-call at once, once', async () => {
    for (const priority of ['highest', 'high']) {
      const id = await open(priority);
      expect(await sent(id)).toEqual([
        ['ticket-received', [ALICE, CONTACT]],
        ['ticket-urgent', [ONCALL]],
      ]);
    }
    for (const priority of ['low', 'lowest']) expect((await sent(await open(priority))).map(([kind]) => kind)).toEqual(['ticket-received']);
  });

  it("the desk's public reply goes to the requester and contacts; an internal note to no one; the customer's reply to on-call, then to the owner", async () => {
    const id = await open('medium');
    expect((await comment(id, tokens.agent, 'Checking the sync log now.')).status).toBe(201);
    expect((await comment(id, tokens.agent, 'Looks like the token expired.', 'internal')).status).toBe(201);
    expect(await sent(id)).toEqual([
      ['ticket-received', [ALICE, CONTACT]],
      ['ticket-reply', [ALICE, CONTACT]],
    ]);
    const afterAgent = await emails(id);
    expect(afterAgent.find((e) => e.kind === 'ticket-reply')!.body).toContain('Ada Agent wrote:\nChecking the sync log now.');
    expect(afterAgent.map((e) => e.body).join('\n')).not.toContain('token expired');

    // The agent's first answer made her the owner: the customer's reply goes to her.
    expect((await comment(id, tokens.acme, 'Thanks, it fails since Monday.')).status).toBe(201);
    const customerReplies = async () => (await sent(id)).filter(([kind]) => kind === 'ticket-customer-reply').map(([, to]) => to);
    expect(await customerReplies()).toEqual([[ADA]]);

    // With no owner, on-call hears it.
    expect((await stack.call('PATCH', `/tickets/${id}`, { token: tokens.admin, body: { assignee: null } })).status).toBe(200);
    expect((await comment(id, tokens.acme, 'Any news?')).status).toBe(201);
    expect(await customerReplies()).toEqual([[ADA], [ONCALL]]);
  });

  it('waiting on the customer, resolved and closed are each told once; in progress is not', async () => {
    const id = await open('medium');
    for (const status of ['in_progress', 'waiting_on_customer', 'resolved', 'closed']) {
      const moved = await stack.call('PATCH', `/tickets/${id}`, { token: tokens.agent, body: { status } });
      expect(moved.status, moved.text).toBe(200);
      // The same PATCH again changes nothing and tells no one again.
      expect((await stack.call('PATCH', `/tickets/${id}`, { token: tokens.agent, body: { status } })).status).toBe(200);
    }
    const told = (await emails(id)).filter((e) => e.kind === 'ticket-status').sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }));
    expect(told.map((e) => [e.subject.replace(/:.*/, ''), e.recipients])).toEqual([
      [`[${id}] We need your answer`, [ALICE, CONTACT]],
      [`[${id}] Resolved`, [ALICE, CONTACT]],
      [`[${id}] Closed`, [ALICE, CONTACT]],
    ]);
    expect(told[1]!.body).toMatch(/reply to reopen it/);
  });

  it('a retried request (the same Idempotency-Key) queues nothing twice', async () => {
    const first = await stack.call('POST', '/tickets', { token: tokens.acme, body: aTicket({ priority: 'highest' }), headers: { 'idempotency-key': 'mail-retry-1' } });
    const again = await stack.call('POST', '/tickets', { token: tokens.acme, body: aTicket({ priority: 'highest' }), headers: { 'idempotency-key': 'mail-retry-1' } });
    expect([first.status, again.body.id]).toEqual([201, first.body.id]);
    const id = first.body.id as string;
    for (let i = 0; i < 2; i++) expect((await comment(id, tokens.agent, 'On it.', 'public', 'mail-retry-2')).status).toBeLessThan(300);
    expect((await sent(id)).map(([kind]) => kind)).toEqual(['ticket-received', 'ticket-reply', 'ticket-urgent']);
  });
});
