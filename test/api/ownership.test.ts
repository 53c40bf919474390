import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueToken, signingKey } from '../../bin/local/local-tokens';
import { aTicket, type Cast, castOf, startTestStack, type TestStack } from '../support/test-stack';

/* Ownership: who owns a ticket, how it changes, who is told, and the lists that follow from it (docs/tickets.md). */

let stack: TestStack;
let tokens: Cast;
/** A second agent, with a name and an address of her own. */
let bea: string;
const BEA = 'agent-bea';
beforeAll(async () => {
  stack = await startTestStack({ clockStart: '2026-11-02T09:00:00+01:00' });
  tokens = await castOf(stack);
  bea = await issueToken(await signingKey(stack.dataDir), { role: 'agent', subject: BEA, name: 'Bea Hansen', email: 'bea@provider.example' });
  // Each person's first call writes their record: from then on the desk knows them.
  for (const token of [tokens.agent, tokens.admin, tokens.acme, tokens.finance, bea]) expect((await stack.call('GET', '/tickets?limit=1', { token })).status).toBe(200);
});
afterAll(() => stack.stop());

const open = async (token = tokens.acme) => {
  const reply = await stack.call('POST', '/tickets', { token, body: aTicket() });
  expect(reply.status).toBe(201);
  return reply.body.id as string;
};
const assign = (id: string, assignee: string | null, token = tokens.admin) => stack.call('PATCH', `/tickets/${id}`, { token, body: { assignee } });
const ticket = async (id: string, token = tokens.agent) => (await stack.call('GET', `/tickets/${id}`, { token })).body;
const assignments = async (id: string) =>
  ((await stack.call('GET', `/tickets/${id}/events`, { token: tokens.agent })).body.items as { type: string; actor: { name: string }; changes: { assignee: unknown } }[])
    .filter((e) => e.type === 'ticket.assigned')
    .map((e) => [e.actor.name, e.changes.assignee]);
/** The ticket-assigned emails sent so far, after the relay's round. */
async function assignedEmails(id: string): Promise<{ id: string; recipients: string[]; subject: string; body: string }[]> {
  await stack.runTimers();
  const text = await readFile(join(stack.dataDir, 'outbox.jsonl'), 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line))
    .filter((l) => l.kind === 'ticket-assigned' && l.ticketId === id);
}
const ids = async (query: string, token = tokens.agent) => {
  const reply = await stack.call('GET', `/tickets?limit=100&${query}`, { token });
  expect(reply.status, reply.text).toBe(200);
  return (reply.body.items as { id: string }[]).map((t) => t.id);
};

describe('ownership', () => {
  it('an admin assigns a ticket to an agent: the ticket names her, the trail records who, from and to, and she is emailed once', async () => {
    const id = await open();
    expect((await ticket(id)).assignee).toBeNull();
    const given = await assign(id, BEA);
    expect(given.status, given.text).toBe(200);
    expect(given.body.assignee).toEqual({ subject: BEA, name: 'Bea Hansen' });
    expect(given.body.actions).toContain('assign');
    // The same change again (a retried PATCH) writes nothing and tells no one again.
    expect((await assign(id, BEA)).body.version).toBe(given.body.version);
    expect(await assignments(id)).toEqual([['Alan Admin', { from: null, to: { subject: BEA, name: 'Bea Hansen' } }]]);

    const emails = await assignedEmails(id);
    expect(emails.map((e) => e.recipients)).toEqual([['bea@provider.example']]);
    expect(emails[0]!.subject).toBe(`[Assigned to you] ${id} High: Users missing after sync`);
    expect(emails[0]!.body.split('\n')[0]).toBe(`Alan Admin gave you ticket ${id}: it is yours to answer and see through to the end.`);
    expect(await assignedEmails(id)).toHaveLength(1);
  });

  it('the customer reads the owner by name, never an address, and cannot assign', async () => {
    const id = await open();
    const unnamed = await issueToken(await signingKey(stack.dataDir), { role: 'agent', subject: 'agent-unnamed', name: '', email: 'nameless@provider.example' });
    expect((await stack.call('GET', '/tickets?limit=1', { token: unnamed })).status).toBe(200);
    expect((await assign(id, 'agent-unnamed')).status).toBe(200);
    expect((await ticket(id, tokens.acme)).assignee).toEqual({ subject: 'agent-unnamed', name: 'Support agent' });
    expect((await ticket(id, tokens.agent)).assignee).toEqual({ subject: 'agent-unnamed', name: 'nameless@provider.example' });
    expect((await ticket(id, tokens.acme)).actions).not.toContain('assign');

    const refused = await assign(id, 'local-agent', tokens.acme);
    expect([refused.status, refused.body.detail]).toEqual([403, 'only agents and admins work tickets: change them, or write internal notes']);
    expect((await ticket(id)).assignee.subject).toBe('agent-unnamed');
  });

  it('taking a ticket oneself, and unassigning it, email no one; each change is an event', async () => {
    const id = await open();
    expect((await assign(id, 'local-agent', tokens.agent)).body.assignee).toEqual({ subject: 'local-agent', name: 'Ada Agent' });
    const none = await assign(id, null, tokens.agent);
    expect([none.status, none.body.assignee]).toEqual([200, null]);
    expect(await assignments(id)).toEqual([
      ['Ada Agent', { from: null, to: { subject: 'local-agent', name: 'Ada Agent' } }],
      ['Ada Agent', { from: { subject: 'local-agent', name: 'Ada Agent' }, to: null }],
    ]);
    expect(await assignedEmails(id)).toEqual([]);
  });

  it('refuses in plain words someone unknown, a customer, finance, and fields the server owns, changing nothing', async () => {
    const id = await open();
    const before = await ticket(id);
    for (const [who, detail] of [
      ['nobody-known', 'no agent or admin with that id has signed in yet: assign someone from the list of agents'],
      ['local-customer-acme', "only the provider's agents and admins can own a ticket: assign someone from the list of agents"],
      ['local-finance', "only the provider's agents and admins can own a ticket: assign someone from the list of agents"],
    ]) {
      const refused = await assign(id, who!);
      expect([refused.status, refused.body.type, refused.body.detail]).toEqual([400, '/problems/not-assignable', detail]);
    }
    const owned = await stack.call('PATCH', `/tickets/${id}`, { token: tokens.admin, body: { assignee: BEA, version: 7 } });
    expect(owned.status).toBe(400);
    const blank = await assign(id, '');
    expect(blank.status).toBe(400);
    expect(await ticket(id)).toEqual(before);
    expect(await assignments(id)).toEqual([]);
  });

  it('the first of the desk to answer publicly owns the ticket, with no email; an internal note first does not, nor a later answer', async () => {
    const id = await open();
    expect((await stack.call('POST', `/tickets/${id}/comments`, { token: tokens.admin, body: { body: 'Checking the logs', visibility: 'internal' } })).status).toBe(201);
    expect((await ticket(id)).assignee).toBeNull();
    expect((await stack.call('POST', `/tickets/${id}/comments`, { token: tokens.acme, body: { body: 'Any news?', visibility: 'public' } })).status).toBe(201);
    expect((await ticket(id)).assignee).toBeNull();
    expect((await stack.call('POST', `/tickets/${id}/comments`, { token: bea, body: { body: 'On it', visibility: 'public' } })).body.firstResponse).toBe(true);
    expect((await ticket(id)).assignee).toEqual({ subject: BEA, name: 'Bea Hansen' });
    expect((await stack.call('POST', `/tickets/${id}/comments`, { token: tokens.agent, body: { body: 'Me too', visibility: 'public' } })).status).toBe(201);
    expect((await ticket(id)).assignee.subject).toBe(BEA);
    expect(await assignments(id)).toEqual([['Bea Hansen', { from: null, to: { subject: BEA, name: 'Bea Hansen' } }]]);
    expect(await assignedEmails(id)).toEqual([]);
  });

  it('a first answer does not take a ticket someone owns already', async () => {
    const id = await open();
    expect((await assign(id, BEA)).status).toBe(200);
    expect((await stack.call('POST', `/tickets/${id}/comments`, { token: tokens.agent, body: { body: 'Answering for Bea', visibility: 'public' } })).body.firstResponse).toBe(true);
    expect((await ticket(id)).assignee.subject).toBe(BEA);
    expect((await assignments(id)).length).toBe(1);
  });

  it('the queue filters by owner, me and none, with the other filters and across pages', async () => {
    const mine = await open();
    const beas = await open();
    const unowned = await open();
    const globex = await open(tokens.globex);
    expect((await assign(mine, 'local-agent')).status).toBe(200);
    expect((await assign(beas, BEA)).status).toBe(200);
    expect((await assign(globex, 'local-agent')).status).toBe(200);
    expect((await stack.call('PATCH', `/tickets/${globex}`, { token: tokens.agent, body: { priority: 'low' } })).status).toBe(200);

    expect(await ids('assignee=me')).toEqual(expect.arrayContaining([mine, globex]));
    expect(await ids('assignee=me')).not.toContain(beas);
    expect(await ids('assignee=me', bea)).toContain(beas);
    expect(await ids(`assignee=${BEA}`, tokens.admin)).toContain(beas);
    expect(await ids(`assignee=${BEA}`)).not.toContain(mine);
    expect(await ids('assignee=none')).toContain(unowned);
    expect(await ids('assignee=none')).not.toEqual(expect.arrayContaining([mine]));
    expect(await ids('assignee=me&customerId=ACME')).toEqual([mine]);
    expect(await ids('assignee=me&priority=low')).toEqual([globex]);
    expect(await ids('assignee=me&sla=running&sort=due')).toEqual(expect.arrayContaining([mine, globex]));
    expect(await ids('assignee=me&title=users%20MISSING')).toEqual(expect.arrayContaining([mine, globex]));
    expect(await ids('assignee=none&answered=yes')).not.toContain(unowned);
    expect(await ids('assignee=me&status=closed')).toEqual([]);

    // Pages of one: the filtered list comes back whole, in order, through the cursor.
    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const reply: { body: { items: { id: string }[]; nextCursor: string | null } } = await stack.call('GET', `/tickets?assignee=me&limit=1${cursor ? `&cursor=${cursor}` : ''}`, {
        token: tokens.agent,
      });
      paged.push(...reply.body.items.map((t) => t.id));
      cursor = reply.body.nextCursor;
    } while (cursor);
    expect(paged).toEqual(await ids('assignee=me'));
  });

  it('a customer may not filter by owner, nor touch another customer’s ticket', async () => {
    const refused = await stack.call('GET', '/tickets?assignee=me', { token: tokens.acme });
    expect([refused.status, refused.body.detail]).toEqual([403, 'only the provider filters tickets by who owns them']);
    const theirs = await open(tokens.globex);
    expect((await assign(theirs, BEA)).status).toBe(200);
    expect((await stack.call('GET', `/tickets/${theirs}`, { token: tokens.acme })).status).toBe(404);
    expect((await stack.call('PATCH', `/tickets/${theirs}`, { token: tokens.acme, body: { assignee: null } })).status).toBe(403);
    expect((await stack.call('GET', `/tickets/${theirs}/events`, { token: tokens.acme })).status).toBe(404);
    expect(await ids('status=open', tokens.acme)).not.toContain(theirs);
  });

  it('lists the people who may own tickets, agents and admins, by name; customers and finance are not among them', async () => {
    const reply = await stack.call('GET', '/people?role=agent', { token: tokens.agent });
    expect(reply.status, reply.text).toBe(200);
    const people = reply.body.items as { subject: string; role: string; name: string }[];
    expect(people).toEqual(
      expect.arrayContaining([
        { subject: 'local-agent', role: 'agent', name: 'Ada Agent' },
        { subject: 'local-admin', role: 'admin', name: 'Alan Admin' },
        { subject: BEA, role: 'agent', name: 'Bea Hansen' },
      ]),
    );
    expect(people.map((p) => p.role).every((role) => role === 'agent' || role === 'admin')).toBe(true);
    // By name: the menu reads in order.
    const names = people.map((p) => p.name.toLowerCase());
    expect(names).toEqual([...names].sort());

    const first = await stack.call('GET', '/people?role=agent&limit=1', { token: tokens.finance });
    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(1);
    const rest = await stack.call('GET', `/people?role=agent&limit=100&cursor=${first.body.nextCursor}`, { token: tokens.finance });
    expect([...first.body.items, ...rest.body.items]).toEqual(people);

    const customer = await stack.call('GET', '/people?role=agent', { token: tokens.acme });
    expect([customer.status, customer.body.detail]).toEqual([403, 'only the provider lists its people']);
    expect((await stack.call('GET', '/people', { token: tokens.agent })).status).toBe(400);
    expect((await stack.call('GET', '/people?role=customer', { token: tokens.agent })).status).toBe(400);
  });
});
