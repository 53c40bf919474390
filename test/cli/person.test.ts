import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli';
import { aTicket, type Cast, castOf, startTestStack, type TestStack } from '../support/test-stack';

/* sla-desk person export|erase: a data subject's request through the API, as an admin. */

let stack: TestStack;
let tokens: Cast;

beforeAll(async () => {
  stack = await startTestStack({ clockStart: '2026-12-02T10:00:00+01:00' });
  tokens = await castOf(stack);
  // Gus (the cast's Globex token) opens a ticket.
  expect((await stack.call('POST', '/tickets', { token: tokens.globex, body: aTicket({ title: 'Gus needs help' }) })).status).toBe(201);
});
afterAll(() => stack.stop());

const person = (...args: string[]) => runCli(['person', ...args, '--api', stack.url, '--token', tokens.admin]);

describe('sla-desk person', () => {
  it('exports by address: the document the API answers, on standard output', async () => {
    const { code, stdout, stderr } = await person('export', '--email', 'gus@globex.example', '--reason', 'Access request 7');
    expect([code, stderr]).toEqual([0, '']);
    const data = JSON.parse(stdout);
    expect(data.person).toMatchObject({ subject: 'local-customer-globex', email: 'gus@globex.example' });
    expect(data.ticketsOpened).toHaveLength(1);
  });

  it('erases, once: the second run says nothing more was done', async () => {
    const first = await person('erase', '--id', 'local-customer-globex', '--reason', 'Erasure request 8');
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ subject: 'local-customer-globex', erased: true, alsoErased: [] });
    expect(JSON.parse((await person('erase', '--id', 'local-customer-globex', '--reason', 'Erasure request 8')).stdout)).toMatchObject({ erased: false });
    // The address names no one now.
    const gone = await person('export', '--email', 'gus@globex.example', '--reason', 'x');
    expect([gone.code, gone.stderr]).toEqual([1, 'sla-desk: no person has the address gus@globex.example\n']);
  });

  it('refuses a request without a reason, or naming the person twice over', async () => {
    expect((await person('export', '--id', 'x')).code).toBe(2);
    expect((await person('export', '--id', 'x', '--email', 'a@b.example', '--reason', 'r')).code).toBe(2);
    expect((await runCli(['person', 'export', '--id', 'x', '--reason', 'r', '--api', stack.url, '--token', tokens.agent])).stderr).toMatch(/the API refused \(403\)/);
  });
});
