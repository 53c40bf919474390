import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aTicket, castOf, startTestStack, type TestStack } from '../support/test-stack';

let stack: TestStack;
let customer: string;
let agent: string;

beforeAll(async () => {
  // Thursday 4 June 2026, 15:30 Copenhagen: the day before Constitution Day.
  stack = await startTestStack({ clockStart: '2026-06-04T15:30:00+02:00' });
  customer = await stack.token('customer', 'ACME');
  agent = await stack.token('agent');
});
afterAll(() => stack.stop());

describe('tickets over the HTTP API', () => {
  it('opens a ticket with server-owned fields and a running SLA', async () => {
    const { status, body, headers } = await stack.call('POST', '/tickets', { token: customer, body: aTicket({ priority: 'highest' }) });
    expect(status).toBe(201);
    expect(body).toMatchObject({
      id: expect.stringMatching(/^ACME-\d+$/),
      customerId: 'ACME',
      status: 'open',
      priority: 'highest',
      category: 'synchronization',
      firstResponseDueAt: '2026-06-08T08:30:00.000+02:00',
      firstRespondedAt: null,
      sla: { state: 'running', targetMinutes: 60, leftMinutes: 60 },
    });
    expect(headers.get('location')).toBe(`/tickets/${body.id}`);
    expect(headers.get('etag')).toBe('"1"');
  });

  it('derives the priority from the impact', async () => {
    const { status, body } = await stack.call('POST', '/tickets', { token: customer, body: aTicket({ priority: undefined, impact: 'single-user' }) });
    expect(status).toBe(201);
    expect(body.priority).toBe('low');
    expect(body.impact).toBe('single-user');
  });

  it("settles the SLA as met with the agent's first public comment, not with internal notes or the customer's", async () => {
    const { body: ticket } = await stack.call('POST', '/tickets', { token: customer, body: aTicket() });
    await stack.call('POST', `/tickets/${ticket.id}/comments`, { token: customer, body: { body: 'More detail', visibility: 'public' } });
    await stack.call('POST', `/tickets/${ticket.id}/comments`, { token: agent, body: { body: 'Looks like the proxy', visibility: 'internal' } });
    expect((await stack.call('GET', `/tickets/${ticket.id}`, { token: customer })).body.firstRespondedAt).toBeNull();

    const answer = await stack.call('POST', `/tickets/${ticket.id}/comments`, { token: agent, body: { body: 'We are on it', visibility: 'public' } });
    expect(answer.status).toBe(201);
    expect(answer.body.firstResponse).toBe(true);
    const after = await stack.call('GET', `/tickets/${ticket.id}`, { token: customer });
    expect(after.body.firstRespondedAt).not.toBeNull();
    expect(after.body.sla.state).toBe('met');

    const second = await stack.call('POST', `/tickets/${ticket.id}/comments`, { token: agent, body: { body: 'Fixed', visibility: 'public' } });
    expect(second.body.firstResponse).toBe(false);
    expect((await stack.call('GET', `/tickets/${ticket.id}`, { token: customer })).body.firstRespondedAt).toBe(after.body.firstRespondedAt);
  });

  it('hides internal comments, and the events about them, from the customer', async () => {
    const { body: ticket } = await stack.call('POST', '/tickets', { token: customer, body: aTicket() });
    await stack.call('POST', `/tickets/${ticket.id}/comments`, { token: agent, body: { body: 'internal note', visibility: 'internal' } });
    expect((await stack.call('GET', `/tickets/${ticket.id}`, { token: customer })).body.version).toBe(ticket.version);
    const forCustomer = await stack.call('GET', `/tickets/${ticket.id}/comments`, { token: customer });
    const forAgent = await stack.call('GET', `/tickets/${ticket.id}/comments`, { token: agent });
    expect(forCustomer.body.items).toEqual([]);
    expect(forAgent.body.items.map((c: { body: string }) => c.body)).toEqual(['internal note']);
    const events = await stack.call('GET', `/tickets/${ticket.id}/events`, { token: customer });
    expect(events.body.items.map((e: { type: string }) => e.type)).toEqual(['ticket.opened']);
  });

  it("a customer's event pages come back full, however many internal notes lie between", async () => {
    const { body: ticket } = await stack.call('POST', '/tickets', { token: customer, body: aTicket() });
    for (let i = 0; i < 6; i++) await stack.call('POST', `/tickets/${ticket.id}/comments`, { token: agent, body: { body: `note ${i}`, visibility: 'internal' } });
    for (let i = 0; i < 3; i++) await stack.call('POST', `/tickets/${ticket.id}/comments`, { token: customer, body: { body: `more ${i}`, visibility: 'public' } });
    const first = await stack.call('GET', `/tickets/${ticket.id}/events?limit=3`, { token: customer });
    expect(first.body.items.map((e: { type: string }) => e.type)).toEqual(['ticket.opened', 'comment.added', 'comment.added']);
    const second = await stack.call('GET', `/tickets/${ticket.id}/events?limit=3&cursor=${first.body.nextCursor}`, { token: customer });
    expect(second.body.items).toHaveLength(1);
    expect(JSON.stringify([...first.body.items, ...second.body.items])).not.toContain('internal');
    // Agents see everything.
    expect((await stack.call('GET', `/tickets/${ticket.id}/events?limit=100`, { token: agent })).body.items).toHaveLength(10);
  });

  it('lets only agents post internal comments', async () => {
    const { body: ticket } = await stack.call('POST', '/tickets', { token: customer, body: aTicket() });
    const { status, body } = await stack.call('POST', `/tickets/${ticket.id}/comments`, { token: customer, body: { body: 'psst', visibility: 'internal' } });
    expect(status).toBe(403);
    expect(body.type).toBe('/problems/forbidden');
  });

  it('recomputes the deadline from the original opening when the priority changes', async () => {
    const { body: ticket } = await stack.call('POST', '/tickets', { token: customer, body: aTicket({ priority: 'lowest' }) });
    const { status, body } = await stack.call('PATCH', `/tickets/${ticket.id}`, { token: agent, body: { priority: 'highest' }, headers: { 'if-match': '"1"' } });
    expect(status).toBe(200);
    expect(body.openedAt).toBe(ticket.openedAt);
    expect(body.firstResponseDueAt).toBe('2026-06-08T08:30:00.000+02:00');
    expect(body.version).toBe(2);
  });

  it('follows the state machine and refuses illegal transitions with 409', async () => {
    const { body: ticket } = await stack.call('POST', '/tickets', { token: customer, body: aTicket() });
    const path = `/tickets/${ticket.id}`;
    for (const status of ['in_progress', 'waiting_on_customer', 'resolved', 'in_progress', 'resolved', 'closed']) {
      expect((await stack.call('PATCH', path, { token: agent, body: { status } })).status, status).toBe(200);
    }
    const illegal = await stack.call('PATCH', path, { token: agent, body: { status: 'open' } });
    expect(illegal.status).toBe(409);
    expect([illegal.body.type, illegal.body.detail]).toEqual(['/problems/illegal-transition', 'this ticket is closed; its status no longer changes']);
    expect((await stack.call('POST', `${path}/comments`, { token: customer, body: { body: 'hello?', visibility: 'public' } })).status).toBe(409);
  });

  it('records who changed what and when in the audit trail', async () => {
    const { body: ticket } = await stack.call('POST', '/tickets', { token: customer, body: aTicket() });
    await stack.call('PATCH', `/tickets/${ticket.id}`, { token: agent, body: { status: 'in_progress', priority: 'medium' } });
    const { body } = await stack.call('GET', `/tickets/${ticket.id}/events`, { token: agent });
    expect(body.items).toHaveLength(2);
    expect(body.items[1]).toMatchObject({
      type: 'ticket.updated',
      actor: { subject: 'local-agent', role: 'agent' },
      changes: { status: { from: 'open', to: 'in_progress' }, priority: { from: 'high', to: 'medium' }, firstResponseDueAt: { to: expect.any(String) } },
    });
  });

  it('shows a breach once the deadline passes unanswered', async () => {
    const { body: ticket } = await stack.call('POST', '/tickets', { token: customer, body: aTicket({ priority: 'highest' }) });
    const admin = await stack.token('admin');
    expect((await stack.call('POST', '/_dev/clock', { token: admin, body: { now: '2026-06-08T08:29:00+02:00' } })).status).toBe(200);
    expect((await stack.call('GET', `/tickets/${ticket.id}`, { token: customer })).body.sla).toMatchObject({ state: 'running', leftMinutes: 1 });
    await stack.call('POST', '/_dev/clock', { token: admin, body: { now: '2026-06-08T08:31:00+02:00' } });
    expect((await stack.call('GET', `/tickets/${ticket.id}`, { token: customer })).body.sla).toMatchObject({ state: 'breached', leftMinutes: 0 });
    expect((await stack.call('POST', '/_dev/clock', { token: agent, body: { now: '2026-06-09T08:00:00+02:00' } })).status).toBe(403);
    for (const now of ['1999-12-31T12:00:00Z', '2100-06-01T12:00:00Z']) {
      expect((await stack.call('POST', '/_dev/clock', { token: admin, body: { now } })).status, now).toBe(400);
    }
  });

  it('lists with filters and cursor pagination, newest first', async () => {
    const other = await stack.token('customer', 'PAGED');
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await stack.call('POST', '/tickets', { token: other, body: aTicket({ priority: i % 2 ? 'low' : 'high' }) })).body.id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: { id: string }[]; nextCursor: string | null } } = await stack.call('GET', `/tickets?limit=2${cursor ? `&cursor=${cursor}` : ''}`, { token: other });
      seen.push(...page.body.items.map((t) => t.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());
    const sparse = await stack.call('GET', '/tickets?priority=high&limit=1', { token: other });
    expect(sparse.body.items.map((t: { id: string }) => t.id)).toEqual([ids[4]]);
    const next = await stack.call('GET', `/tickets?priority=high&limit=1&cursor=${sparse.body.nextCursor}`, { token: other });
    expect(next.body.items.map((t: { id: string }) => t.id)).toEqual([ids[2]]);
    const low = await stack.call('GET', '/tickets?priority=low', { token: other });
    expect(low.body.items.map((t: { id: string }) => t.id).sort()).toEqual([ids[1], ids[3]].sort());
    const byAgent = await stack.call('GET', '/tickets?customerId=PAGED&status=open&limit=100', { token: agent });
    expect(byAgent.body.items).toHaveLength(5);
  });

  it('answers health and the OpenAPI document without a token', async () => {
    expect(await stack.call('GET', '/health')).toMatchObject({ status: 200, body: { status: 'ok' } });
    const { status, body } = await stack.call('GET', '/openapi.json');
    expect(status).toBe(200);
    expect(body.openapi).toBe('3.1.0');
  });

  it("accepts a customer's machine client with the tickets scope", async () => {
    const { status, body } = await stack.call('POST', '/tickets', { token: await stack.machineToken(), body: aTicket() });
    expect(status).toBe(201);
    expect(body.customerId).toBe('DEMO');
  });
});

describe("the agents' queue: what breaches next", () => {
  it('GET /tickets?sla=running&sort=due lists open, unanswered tickets earliest due first; customers see their own; bad combinations are 400', async () => {
    const queue = await startTestStack({ clockStart: '2026-09-14T09:00:00+02:00' });
    try {
      const cast = await castOf(queue);
      const open = async (token: string, priority: string) => (await queue.call('POST', '/tickets', { token, body: aTicket({ priority }) })).body;
      const lowest = await open(cast.acme, 'lowest');
      const highest = await open(cast.globex, 'highest');
      const medium = await open(cast.acme, 'medium');
      const answered = await open(cast.acme, 'high');
      await queue.call('POST', `/tickets/${answered.id}/comments`, { token: cast.agent, body: { body: 'On it', visibility: 'public' } });

      const agentView = await queue.call('GET', '/tickets?sla=running&sort=due', { token: cast.agent });
      expect(agentView.status).toBe(200);
      expect(agentView.body.items.map((t: { id: string }) => t.id)).toEqual([highest.id, medium.id, lowest.id]);
      expect(agentView.body.items.every((t: { sla: { state: string } }) => t.sla.state === 'running')).toBe(true);

      const paged = await queue.call('GET', '/tickets?sla=running&sort=due&limit=2', { token: cast.agent });
      const rest = await queue.call('GET', `/tickets?sla=running&sort=due&limit=2&cursor=${paged.body.nextCursor}`, { token: cast.agent });
      expect([...paged.body.items, ...rest.body.items].map((t: { id: string }) => t.id)).toEqual([highest.id, medium.id, lowest.id]);

      const acme = await queue.call('GET', '/tickets?sla=running&sort=due', { token: cast.acme });
      expect(acme.body.items.map((t: { id: string }) => t.id)).toEqual([medium.id, lowest.id]);
      const met = await queue.call('GET', '/tickets?sla=met&status=open,in_progress', { token: cast.agent });
      expect(met.body.items.map((t: { id: string }) => t.id)).toEqual([answered.id]);

      for (const query of ['sort=due', 'sla=met&sort=due', 'sla=late', 'status=open,bogus', 'status=', 'sort=newest']) {
        const { status, body } = await queue.call('GET', `/tickets?${query}`, { token: cast.agent });
        expect([query, status, body.type]).toEqual([query, 400, '/problems/validation-error']);
      }
    } finally {
      await queue.stop();
    }
  });
});
