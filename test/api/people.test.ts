import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueToken, signingKey } from '../../bin/local/local-tokens';
import { ticketsOf } from '#handlers/services';
import { aTicket, type Cast, castOf, startTestStack, type TestStack } from '../support/test-stack';

/* People are named by the records their tokens write, read when an answer is made (docs/people.md). */

let stack: TestStack;
let tokens: Cast;
let key: Awaited<ReturnType<typeof signingKey>>;
beforeAll(async () => {
  stack = await startTestStack({ clockStart: '2026-11-02T09:00:00+01:00' });
  tokens = await castOf(stack);
  key = await signingKey(stack.dataDir);
  const profile = {
    name: 'Acme A/S',
    contacts: [{ email: 'pm@acme.example', receives: ['approvals'] }],
    consultancyRate: { hourly: '1250.00', currency: 'DKK' },
    goLiveAt: '2026-11-02T08:00:00+01:00',
    hypercareWeeks: 4,
  };
  expect((await stack.call('PUT', '/customers/ACME', { token: tokens.admin, body: profile })).status).toBe(200);
});
afterAll(() => stack.stop());

const open = async (token = tokens.acme) => {
  const reply = await stack.call('POST', '/tickets', { token, body: aTicket() });
  expect(reply.status).toBe(201);
  return reply.body.id as string;
};
const comment = (id: string, token: string, body = 'Looking into it', visibility = 'public') => stack.call('POST', `/tickets/${id}/comments`, { token, body: { body, visibility } });
const thread = async (id: string, token = tokens.acme) => (await stack.call('GET', `/tickets/${id}/comments`, { token })).body.items as { author: { subject: string; role: string; name: string } }[];
const events = async (id: string, token = tokens.agent) => (await stack.call('GET', `/tickets/${id}/events`, { token })).body.items as { type: string; actor: { subject: string; name: string } }[];

describe('people are named, not shown by id', () => {
  it('a ticket opened by a customer and answered by an agent names both in its thread and its events', async () => {
    const id = await open();
    expect((await comment(id, tokens.acme, 'Any news?')).status).toBe(201);
    const answer = await comment(id, tokens.agent);
    expect(answer.status).toBe(201);
    expect(answer.body.author).toEqual({ subject: 'local-agent', role: 'agent', name: 'Ada Agent' });

    // Both written at the same instant of the stack's frozen clock: their order is not the point.
    expect((await thread(id)).map((c) => c.author).sort((a, b) => a.name.localeCompare(b.name))).toEqual([
      { subject: 'local-agent', role: 'agent', name: 'Ada Agent' },
      { subject: 'local-customer-acme', role: 'customer', name: 'Alice at ACME' },
    ]);
    expect((await events(id)).map((e) => [e.type, e.actor.name])).toEqual([
      ['ticket.opened', 'Alice at ACME'],
      ['comment.added', 'Alice at ACME'],
      ['comment.added', 'Ada Agent'],
      ['ticket.first-response', 'Ada Agent'],
      // The first to answer owns the ticket.
      ['ticket.assigned', 'Ada Agent'],
    ]);
  });

  it('a person whose token says a new name is shown by it on what they did before: names are read, not copied', async () => {
    const id = await open();
    const before = await issueToken(key, { role: 'agent', subject: 'agent-renamed', name: 'Bea Hansen' });
    expect((await comment(id, before)).status).toBe(201);
    expect((await thread(id)).map((c) => c.author.name)).toEqual(['Bea Hansen']);

    const after = await issueToken(key, { role: 'agent', subject: 'agent-renamed', name: 'Bea Jensen' });
    // Any call with the new token records the new name.
    expect((await stack.call('GET', `/tickets/${id}`, { token: after })).status).toBe(200);
    expect((await thread(id)).map((c) => c.author.name)).toEqual(['Bea Jensen']);
    expect((await events(id)).filter((e) => e.actor.subject === 'agent-renamed').map((e) => e.actor.name)).toEqual(['Bea Jensen', 'Bea Jensen', 'Bea Jensen']);
  });

  it('a subject with no record reads as its role, and what the desk itself did as sla-desk', async () => {
    const id = await open();
    // As a comment written before records were kept: its author never called since.
    await ticketsOf(stack.dependencies).comment({ subject: 'agent-without-record', role: 'agent' }, id, { body: 'From before', visibility: 'public' });
    expect((await thread(id)).map((c) => c.author)).toEqual([{ subject: 'agent-without-record', role: 'agent', name: 'Support agent' }]);

    // A ticket no one answers breaches: the SLA timer records it.
    const breached = await open();
    await stack.at.jump('2026-11-09T09:00:00+01:00');
    expect((await events(breached)).filter((e) => e.type === 'sla.breached').map((e) => e.actor.name)).toEqual(['sla-desk']);
  });

  it('a customer reads no email address, not even of an agent whose token has no name; the provider reads that agent by email', async () => {
    const quiet = await issueToken(key, { role: 'agent', subject: 'agent-unnamed', name: '', email: 'Quiet.Agent@provider.example' });
    const id = await open();
    expect((await comment(id, quiet)).status).toBe(201);
    expect((await stack.call('POST', '/customers/ACME/hypercare/signoff', { token: quiet })).status).toBe(200);
    const consultancy = await stack.call('POST', '/consultancy', { token: quiet, body: { customerId: 'ACME', service: 'crm-flows', description: 'Route new leads', estimateHours: 4 } });
    expect(consultancy.status).toBe(201);
    const request = consultancy.body.id as string;
    expect((await stack.call('POST', `/consultancy/${request}/approve`, { token: tokens.acme })).status).toBe(200);

    const asCustomer = await Promise.all(
      [`/tickets/${id}/comments`, `/tickets/${id}/events`, '/customers/ACME/hypercare', `/consultancy/${request}`, `/consultancy/${request}/events`, '/consultancy'].map((path) =>
        stack.call('GET', path, { token: tokens.acme }),
      ),
    );
    for (const reply of asCustomer) {
      expect(reply.status).toBe(200);
      expect(reply.text).not.toMatch(/@/);
    }
    expect((await thread(id)).map((c) => c.author.name)).toEqual(['Support agent']);
    expect((await thread(id, tokens.agent)).map((c) => c.author.name)).toEqual(['quiet.agent@provider.example']);

    const [, , hypercare, seen, trail] = asCustomer.map((reply) => reply.body);
    expect(hypercare.criteria.providerSignoff).toMatchObject({ met: true, by: 'agent-unnamed', byName: 'Support agent' });
    expect(seen.proposed.byName).toBe('Support agent');
    expect(seen.approval.byName).toBe('Alice at ACME');
    expect(trail.items.map((e: { type: string; byName: string }) => [e.type, e.byName])).toEqual([
      ['consultancy.proposed', 'Support agent'],
      ['consultancy.approved', 'Alice at ACME'],
    ]);
    const customerTrail = await stack.call('GET', '/customers/ACME/events', { token: tokens.agent });
    expect(customerTrail.body.items.map((e: { type: string; byName: string }) => [e.type, e.byName])).toEqual([
      ['customer.saved', 'Alan Admin'],
      ['hypercare.signed-off', 'quiet.agent@provider.example'],
    ]);
  });
});

describe('the person record', () => {
  const person = (name: string, issuedAt: number) => ({ subject: 'record-test', name, role: 'agent' as const, issuedAt, updatedAt: issuedAt });

  it('is written only when a token says something new, never by a token older than the one that wrote it', async () => {
    const { people } = stack.dependencies;
    expect(await people.remember(person('Carl', 1_000))).toBe(true);
    expect(await people.remember(person('Carl', 2_000))).toBe(false);
    expect(await people.remember(person('Carla', 500))).toBe(false);
    expect(await people.remember(person('Carla', 3_000))).toBe(true);
    expect((await people.people(['record-test', 'record-test', 'nobody'])).get('record-test')).toMatchObject({ subject: 'record-test', name: 'Carla', role: 'agent' });
    // A name taken off the account is taken off the record.
    expect(await people.remember({ subject: 'record-test', role: 'agent', issuedAt: 4_000, updatedAt: 4_000 })).toBe(true);
    expect((await people.people(['record-test'])).get('record-test')?.name).toBeUndefined();
  });

  it('reads more than one batch (100 keys) of subjects in one call', async () => {
    const { people } = stack.dependencies;
    const subjects = Array.from({ length: 130 }, (_, i) => `many-${i}`);
    await Promise.all(subjects.map((subject, i) => people.remember({ subject, name: `Person ${i}`, role: 'customer', customerId: 'ACME', issuedAt: 1, updatedAt: 1 })));
    const found = await people.people(subjects);
    expect(found.size).toBe(130);
    expect(found.get('many-129')?.name).toBe('Person 129');
  });
});
