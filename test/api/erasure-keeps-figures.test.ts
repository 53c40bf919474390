import fc from 'fast-check';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { issueToken, signingKey } from '../../bin/local/local-tokens';
import { aTicket, startTestStack, type TestStack } from '../support/test-stack';

/*
 * Erasing any one person from a generated month of tickets and consultancy
 * leaves the month's SLA figures and its bill as they were (docs/privacy.md):
 * the report made again after the erasure, and finance's month, equal those
 * made before it. Each run has a month, customers and people of its own.
 */

const ZONE = 'Europe/Copenhagen';
const FIRST_MONTH = DateTime.fromISO('2027-01-01T00:00', { zone: ZONE });
const PRIORITIES = ['highest', 'high', 'medium', 'low', 'lowest'] as const;
/** The latest minute of a month a step may happen at: the 28th, so every month has it. */
const LAST_MINUTE = 28 * 24 * 60 - 1;

/** Minutes from one thing to the next: mostly soon (an answer in time), sometimes days later. */
const gap = fc.oneof(fc.integer({ min: 1, max: 90 }), fc.integer({ min: 90, max: 4 * 24 * 60 }));
const minute = fc.integer({ min: 30, max: 20 * 24 * 60 });

/** A ticket a customer's user opens, and what follows on it. */
const ticketArb = fc.record({
  minute,
  by: fc.nat(),
  priority: fc.constantFrom(...PRIORITIES),
  later: fc.array(
    fc.record({
      after: gap,
      act: fc.oneof(
        { arbitrary: fc.record({ kind: fc.constant('comment' as const), by: fc.nat(), internal: fc.boolean() }), weight: 3 },
        {
          arbitrary: fc.record({
            kind: fc.constant('change' as const),
            by: fc.nat(),
            change: fc.oneof(
              fc.record({ status: fc.constantFrom('in_progress', 'waiting_on_customer', 'resolved', 'closed') }),
              fc.record({ priority: fc.constantFrom(...PRIORITIES) }),
              fc.record({ assignee: fc.nat() }),
            ),
          }),
          weight: 2,
        },
        fc.record({ kind: fc.constant('attach' as const), by: fc.nat() }),
      ),
    }),
    { maxLength: 4 },
  ),
});

/** Consultancy an agent proposes, a customer's user approves, and time logged on it. */
const workArb = fc.record({
  minute,
  customer: fc.nat(),
  approver: fc.nat(),
  quarters: fc.integer({ min: 4, max: 24 }),
  entries: fc.array(fc.record({ after: gap, by: fc.nat(), quarters: fc.integer({ min: 1, max: 12 }) }), { minLength: 1, maxLength: 3 }),
});

const historyArb = fc.record({
  /** Customer users per customer (the second customer may have none), and agents. */
  users: fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 0, max: 1 })),
  agents: fc.integer({ min: 1, max: 2 }),
  tickets: fc.array(ticketArb, { minLength: 1, maxLength: 4 }),
  work: fc.array(workArb, { maxLength: 2 }),
  /** Anyone of the run (unbiased: small numbers would pick the first person nearly always). */
  erased: fc.noBias(fc.integer({ min: 0, max: 59 })),
  redactText: fc.boolean(),
});

let stack: TestStack;
let admin: string;
let finance: string;
let tokenOf: (person: Person) => Promise<string>;
let run = 0;

interface Person {
  readonly subject: string;
  readonly role: 'customer' | 'agent';
  readonly customerId?: string;
  readonly name: string;
  readonly email: string;
}

beforeAll(async () => {
  stack = await startTestStack({ clockStart: FIRST_MONTH.minus({ hours: 1 }).toISO()! });
  const key = await signingKey(stack.dataDir);
  admin = await issueToken(key, { role: 'admin' });
  finance = await issueToken(key, { role: 'finance' });
  tokenOf = (p) => issueToken(key, { role: p.role, subject: p.subject, name: p.name, email: p.email, ...(p.customerId ? { customerId: p.customerId } : {}) });
});
afterAll(() => stack.stop());

/** A call that must answer with one of `expected`; anything else (a 500 above all) fails the run. */
async function call(token: string, method: string, path: string, expected: readonly number[], body?: unknown) {
  const reply = await stack.call(method, path, { token, ...(body !== undefined ? { body } : {}) });
  if (!expected.includes(reply.status)) throw new Error(`${method} ${path}: ${reply.status} ${reply.text}`);
  return reply;
}

/** The month's report made now (a new version), and finance's month: the figures, with the version number and the names people read left out. */
async function figures(month: string) {
  await call(finance, 'POST', `/reports/${month}`, [202], { reason: 'Checking the figures' });
  const { version: _version, ...report } = (await call(finance, 'GET', `/reports/${month}/report.json`, [200])).body;
  const bill = (await call(finance, 'GET', `/consultancy?month=${month}`, [200])).body;
  const entries = bill.entries.map(({ logged: { byName: _name, ...logged }, ...entry }: { logged: { byName: string } }) => ({ ...entry, logged }));
  return { report, bill: { ...bill, entries } };
}

it('erasing any person from a month never changes its SLA figures or its bill', async () => {
  await fc.assert(
    fc.asyncProperty(historyArb, async (history) => {
      // A month, customers and people of this run's own: the runs before it stay as they were.
      const n = run++;
      const start = FIRST_MONTH.plus({ months: n });
      const month = start.toFormat('yyyy-MM');
      const customers = [`R${n}A`, `R${n}B`];
      const users = customers.map((customerId, c) =>
        Array.from({ length: history.users[c]! }, (_, i): Person => {
          const who = `${customerId.toLowerCase()}-user${i}`;
          return { subject: who, role: 'customer', customerId, name: `User ${i} of ${customerId}`, email: `${who}@customer.example` };
        }),
      );
      const agents = Array.from(
        { length: history.agents },
        (_, i): Person => ({ subject: `r${n}-agent${i}`, role: 'agent', name: `Agent ${i} of run ${n}`, email: `r${n}-agent${i}@provider.example` }),
      );
      const people = [...users.flat(), ...agents];
      const tokens = new Map(await Promise.all(people.map(async (p) => [p.subject, await tokenOf(p)] as const)));
      const token = (p: Person) => tokens.get(p.subject)!;
      const pick = <T>(list: readonly T[], i: number) => list[i % list.length]!;

      for (const [c, customerId] of customers.entries()) {
        const contacts = users[c]!.map((u) => ({ email: u.email, name: u.name, receives: ['tickets', 'approvals', 'reports'] }));
        const consultancyRate = c === 0 ? { hourly: '1250', currency: 'DKK' } : { hourly: '180.50', currency: 'EUR' };
        await call(admin, 'PUT', `/customers/${customerId}`, [200], { name: `Customer ${customerId}`, contacts, consultancyRate });
      }
      // Everyone has reached the API once, so everyone has a record to erase.
      for (const p of people) await call(token(p), 'GET', '/tickets', [200]);

      // Every step at its minute, in the order they happen (a ticket's own steps after its opening).
      const steps: { minute: number; step: (now: DateTime) => Promise<unknown> }[] = [];
      const at = (minute: number, step: (now: DateTime) => Promise<unknown>) => steps.push({ minute: Math.min(minute, LAST_MINUTE), step });
      for (const t of history.tickets) {
        const opener = pick(users.flat(), t.by);
        const own = [...users[customers.indexOf(opener.customerId!)]!, ...agents];
        let id = '';
        at(t.minute, async () => {
          id = (await call(token(opener), 'POST', '/tickets', [201], aTicket({ priority: t.priority }))).body.id;
        });
        let minute = t.minute;
        for (const { after, act } of t.later) {
          minute += after;
          // The ticket's own customer's users and the desk act on it.
          const by = pick(act.kind === 'change' ? agents : own, act.by);
          at(minute, async (now) => {
            if (act.kind === 'comment') {
              const visibility = act.internal && by.role === 'agent' ? 'internal' : 'public';
              // A closed ticket takes no more comments.
              await call(token(by), 'POST', `/tickets/${id}/comments`, [201, 409], { body: `Note from ${by.name} at ${now.toISO()}`, visibility });
            } else if (act.kind === 'change') {
              const change = 'assignee' in act.change ? { assignee: pick(agents, act.change.assignee).subject } : act.change;
              // Not every move is allowed from every status.
              await call(token(by), 'PATCH', `/tickets/${id}`, [200, 409], change);
            } else {
              const bytes = Buffer.from(`log of ${by.name}\n`);
              const asked = await call(token(by), 'POST', `/tickets/${id}/attachments`, [201, 409], { filename: 'sync.log', contentType: 'text/plain', size: bytes.length });
              if (asked.status === 201) expect((await fetch(asked.body.uploadUrl, { method: 'PUT', headers: asked.body.uploadHeaders, body: bytes })).status).toBe(200);
            }
          });
        }
      }
      for (const w of history.work) {
        const c = users[1]!.length ? w.customer % 2 : 0;
        let id = '';
        at(w.minute, async () => {
          const body = { customerId: customers[c], service: 'crm-flows', description: 'Flows for the sales team', estimateHours: w.quarters / 4 };
          id = (await call(token(agents[0]!), 'POST', '/consultancy', [201], body)).body.id;
          await call(token(pick(users[c]!, w.approver)), 'POST', `/consultancy/${id}/approve`, [200]);
        });
        let minute = w.minute;
        for (const entry of w.entries) {
          minute += entry.after;
          // Never beyond the approved hours.
          at(minute, (now) => call(token(pick(agents, entry.by)), 'POST', `/consultancy/${id}/time`, [201, 409], { hours: entry.quarters / 4, date: now.toISODate(), note: 'Built and tested' }));
        }
      }
      for (const { minute, step } of steps.sort((a, b) => a.minute - b.minute)) {
        const now = start.plus({ minutes: minute });
        await stack.at.jump(now.toISO()!);
        await step(now);
      }

      // The month over (what came due in it has run): its figures, then an erasure, then its figures again.
      await stack.at.jump(start.plus({ months: 1, minutes: 5 }).toISO()!);
      const before = await figures(month);
      const erased = pick(people, history.erased);
      const erasure = await call(admin, 'POST', `/people/${erased.subject}/erasure`, [200], { reason: 'Erasure request', redactText: history.redactText });
      expect(erasure.body.erased).toBe(true);
      expect(await figures(month)).toEqual(before);
    }),
    { numRuns: 10 },
  );
}, 120_000);
