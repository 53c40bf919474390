import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aTicket, type Cast, castOf, startTestStack, type TestStack } from '../support/test-stack';

/*
 * Each stack hands its own dependencies to the functions it invokes, with the
 * invocation: nothing process-wide, so the second stack started in a process
 * never redirects the first one's handlers to its table, clock or outbox.
 */

let first: TestStack;
let second: TestStack;
let firstCast: Cast;
let secondCast: Cast;
beforeAll(async () => {
  first = await startTestStack({ clockStart: '2026-12-07T09:00:00+01:00' });
  firstCast = await castOf(first);
  second = await startTestStack({ clockStart: '2026-12-08T10:00:00+01:00' });
  secondCast = await castOf(second);
});
afterAll(async () => {
  await first?.stop();
  await second?.stop();
});

describe('two local stacks in one process', () => {
  it('keep their own tables and clocks: a ticket opened on one is on that one alone, stamped by its own clock', async () => {
    const opened = await first.call('POST', '/tickets', { token: firstCast.acme, body: aTicket({ title: 'Only on the first stack' }) });
    expect(opened.status).toBe(201);
    expect(opened.body.openedAt).toMatch(/^2026-12-07T09:00/);
    const elsewhere = await second.call('POST', '/tickets', { token: secondCast.acme, body: aTicket({ title: 'Only on the second stack' }) });
    expect(elsewhere.body.openedAt).toMatch(/^2026-12-08T10:00/);
    // Both are ACME's first ticket, each in its own table.
    expect([opened.body.id, elsewhere.body.id]).toEqual(['ACME-1', 'ACME-1']);
    const titles = async (stack: TestStack, cast: Cast) => ((await stack.call('GET', '/tickets', { token: cast.agent })).body.items as { title: string }[]).map((t) => t.title);
    expect(await titles(first, firstCast)).toEqual(['Only on the first stack']);
    expect(await titles(second, secondCast)).toEqual(['Only on the second stack']);
  });
});
