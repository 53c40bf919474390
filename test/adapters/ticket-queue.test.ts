import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ensureTable } from '../../bin/local/dynamodb-local';
import { createDocumentClient } from '#adapters/dynamodb/client';
import { DynamoTicketStore } from '#adapters/dynamodb/dynamo-ticket-store';
import type { Actor } from '#domain/actor';
import { danishCalendar } from '#domain/calendar/danish-calendar';
import { parseInstant } from '#domain/instant';
import { PRIORITIES } from '#domain/sla/sla-policy';
import { openTicket, SLA_STATES, slaOf, STATUSES, type Ticket, type TicketEvent } from '#domain/tickets/ticket';

/*
 * Lists by first-response SLA state are DynamoDB filters; the rule itself is
 * `slaOf`. Random tickets in every state, listed both ways, must agree.
 */

const db = createDocumentClient({ endpoint: inject('dynamoEndpoint') });
const table = `queue${Date.now().toString(36)}`;
const store = new DynamoTicketStore(db, table);
const calendar = danishCalendar();
const customer: Actor = { subject: 'u', role: 'customer', customerId: 'ACME' };
const NOW = parseInstant('2026-11-26T12:00:00+01:00');
const HOUR = 3_600_000;
const event = (ticket: Ticket): TicketEvent => ({ ticketId: ticket.id, at: ticket.openedAt, actor: customer, type: 'ticket.opened', changes: {} });

/** A ticket opened in the three days before NOW, in a random state. */
const arbitraryTicket = (n: number) =>
  fc
    .record({
      openedHoursAgo: fc.integer({ min: 1, max: 72 }),
      priority: fc.constantFrom(...PRIORITIES),
      customerId: fc.constantFrom('ACME', 'GLOBEX'),
      answeredAfterHours: fc.option(fc.integer({ min: 0, max: 48 }), { nil: undefined }),
      closedAfterHours: fc.option(fc.integer({ min: 0, max: 48 }), { nil: undefined }),
      breachRecorded: fc.boolean(),
      status: fc.constantFrom(...STATUSES.filter((s) => s !== 'closed')),
      title: fc.constantFrom('Sync fails', 'Nobody can sign in', 'Lead SYNC is slow', 'Report totals', 'Resync the flows'),
      assignee: fc.option(fc.constantFrom('agent-ada', 'agent-bea', 'admin-alan'), { nil: undefined }),
    })
    .map((r): Ticket => {
      const openedAt = NOW - r.openedHoursAgo * HOUR;
      const ticket = openTicket(
        `${r.customerId}-${n}`,
        r.customerId,
        { title: r.title, description: 'd', category: 'other', priority: r.priority },
        { ...customer, customerId: r.customerId },
        openedAt,
        calendar,
      );
      const answered = r.answeredAfterHours !== undefined && openedAt + r.answeredAfterHours * HOUR <= NOW ? openedAt + r.answeredAfterHours * HOUR : undefined;
      const closed = r.closedAfterHours !== undefined && openedAt + r.closedAfterHours * HOUR <= NOW ? Math.max(answered ?? 0, openedAt + r.closedAfterHours * HOUR) : undefined;
      const late = (answered ?? closed ?? NOW) >= ticket.firstResponseDueAt;
      return {
        ...ticket,
        status: closed !== undefined ? 'closed' : r.status,
        ...(answered !== undefined ? { firstRespondedAt: answered } : {}),
        ...(closed !== undefined ? { closedAt: closed } : {}),
        ...(late && r.breachRecorded ? { breachedAt: ticket.firstResponseDueAt } : {}),
        ...(r.assignee ? { assignee: r.assignee } : {}),
      };
    });

let tickets: Ticket[] = [];
beforeAll(async () => {
  await ensureTable(inject('dynamoEndpoint'), table);
  tickets = fc.sample(fc.tuple(...Array.from({ length: 60 }, (_, n) => arbitraryTicket(n + 1))), { numRuns: 1, seed: 20261127 })[0]!;
  // The boundaries, where `at or after the deadline is late` decides: answered, closed, and now, exactly at it.
  const edge = (n: number, openedAt: number) => openTicket(`EDGE-${n}`, 'EDGE', { title: 't', description: 'd', category: 'other', priority: 'highest' }, customer, openedAt, calendar);
  const a = edge(1, NOW - 5 * HOUR);
  const b = edge(2, NOW - 5 * HOUR);
  const c = edge(3, NOW - HOUR);
  const d = edge(4, NOW - 5 * HOUR);
  tickets.push({ ...a, firstRespondedAt: a.firstResponseDueAt }, { ...b, status: 'closed', closedAt: b.firstResponseDueAt }, c, { ...d, firstRespondedAt: d.firstResponseDueAt - 1 });
  expect(c.firstResponseDueAt).toBe(NOW);
  for (const ticket of tickets) await store.create(ticket, event(ticket));
});
afterAll(() => db.destroy());

async function all(query: Omit<Parameters<DynamoTicketStore['list']>[0], 'limit' | 'now'>): Promise<Ticket[]> {
  const found: Ticket[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.list({ ...query, now: NOW, limit: 7, ...(cursor ? { cursor } : {}) });
    found.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return found;
}
const ids = (list: readonly Ticket[]) => list.map((t) => t.id).sort();

describe('tickets by first-response SLA state', () => {
  it('the sample covers every state', () => {
    expect(new Set(tickets.map((t) => slaOf(t, NOW, calendar).state))).toEqual(new Set(SLA_STATES));
  });

  it.each(SLA_STATES)('sla=%s lists exactly the tickets slaOf puts there, for everyone and per customer, page by page', async (state) => {
    expect(ids(await all({ sla: state }))).toEqual(ids(tickets.filter((t) => slaOf(t, NOW, calendar).state === state)));
    expect(ids(await all({ sla: state, customerId: 'GLOBEX' }))).toEqual(ids(tickets.filter((t) => t.customerId === 'GLOBEX' && slaOf(t, NOW, calendar).state === state)));
  });

  it('what breaches next: the running tickets, earliest due first, across pages', async () => {
    const running = tickets.filter((t) => slaOf(t, NOW, calendar).state === 'running').sort((a, b) => a.firstResponseDueAt - b.firstResponseDueAt || a.id.localeCompare(b.id));
    const queue = await all({ sla: 'running', byDue: true });
    expect(queue.map((t) => t.id)).toEqual(running.map((t) => t.id));
    const acme = await all({ sla: 'running', byDue: true, customerId: 'ACME' });
    expect(acme.map((t) => t.id)).toEqual(running.filter((t) => t.customerId === 'ACME').map((t) => t.id));
  });

  it('title text, in any case, alone and with other filters, across pages', async () => {
    const titled = (t: Ticket) => t.title.toLowerCase().includes('sync');
    expect(ids(await all({ title: 'sync' }))).toEqual(ids(tickets.filter(titled)));
    expect(ids(await all({ title: 'SYNC', customerId: 'ACME', sla: 'breached' }))).toEqual(
      ids(tickets.filter((t) => titled(t) && t.customerId === 'ACME' && slaOf(t, NOW, calendar).state === 'breached')),
    );
    expect(await all({ title: 'no such title' })).toEqual([]);
  });

  it('answered or not: breached tickets still waiting for their first response, what the desk must answer now', async () => {
    const waiting = (t: Ticket) => t.firstRespondedAt === undefined;
    expect(ids(await all({ sla: 'breached', answered: false }))).toEqual(ids(tickets.filter((t) => waiting(t) && slaOf(t, NOW, calendar).state === 'breached')));
    expect(ids(await all({ answered: true }))).toEqual(ids(tickets.filter((t) => !waiting(t))));
    expect((await all({ sla: 'breached', answered: false })).length).toBeGreaterThan(0);
  });

  it('by owner, or no one, alone and with the other filters, across pages', async () => {
    const owned = (who: string | null) => (t: Ticket) => (t.assignee ?? null) === who;
    for (const who of ['agent-ada', 'agent-bea', null]) {
      expect(ids(await all({ assignee: who }))).toEqual(ids(tickets.filter(owned(who))));
      expect(ids(await all({ assignee: who, customerId: 'ACME', sla: 'running' }))).toEqual(
        ids(tickets.filter((t) => owned(who)(t) && t.customerId === 'ACME' && slaOf(t, NOW, calendar).state === 'running')),
      );
      expect(ids(await all({ assignee: who, answered: false, title: 'sync' }))).toEqual(
        ids(tickets.filter((t) => owned(who)(t) && t.firstRespondedAt === undefined && t.title.toLowerCase().includes('sync'))),
      );
    }
    const queue = await all({ assignee: 'agent-ada', sla: 'running', byDue: true });
    expect(queue.map((t) => t.firstResponseDueAt)).toEqual(queue.map((t) => t.firstResponseDueAt).sort((a, b) => a - b));
    expect(ids(queue)).toEqual(ids(tickets.filter((t) => owned('agent-ada')(t) && slaOf(t, NOW, calendar).state === 'running')));
    expect(await all({ assignee: 'someone-else' })).toEqual([]);
    expect(tickets.filter(owned(null)).length * tickets.filter(owned('agent-ada')).length).toBeGreaterThan(0);
  });

  it('several statuses at once', async () => {
    expect(ids(await all({ status: ['open', 'in_progress'] }))).toEqual(ids(tickets.filter((t) => t.status === 'open' || t.status === 'in_progress')));
  });
});
