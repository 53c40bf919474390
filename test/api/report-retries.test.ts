import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withDependencies } from '#handlers/dependencies';
import { handler } from '#handlers/timer/monthly-report';
import { parseMonth } from '#domain/month';
import { startTestStack, type TestStack } from '../support/test-stack';

/*
 * On AWS the report function runs asynchronously, and Lambda retries a run
 * that failed under the same request id: a retry must finish what the run
 * began, never add a version or lose the ready notices.
 */

let stack: TestStack;
beforeAll(async () => {
  // The schedule off: these tests run the function themselves. 1 December, 06:30: November is over.
  stack = await startTestStack({ clockStart: '2026-12-01T06:30:00+01:00' });
});
afterAll(() => stack.stop());

/** An invocation of the report function under a request id, on this stack's table. */
const run = (awsRequestId: string) => withDependencies({ awsRequestId }, stack.dependencies) as never;

const versions = async (month: string) => (await stack.call('GET', `/reports/${month}`, { token: await stack.token('finance') })).body.versions as { version: number; reason: string }[];
const readyNotices = async (report: string) => {
  await stack.runTimers();
  const lines = (await readFile(join(stack.dataDir, 'outbox.jsonl'), 'utf8').catch(() => ''))
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { kind: string; channel: string; report?: string });
  return lines
    .filter((l) => l.kind === 'report-ready' && l.report === report)
    .map((l) => l.channel)
    .sort();
};

describe('a retried report run', () => {
  it("asked for by finance: the retry (same request id) returns the run's version; another request makes the next", async () => {
    const ask = { month: '2026-10', by: 'fin-1', reason: 'a correction' };
    expect(await handler(ask, run('run-1'))).toEqual({ version: 1 });
    expect(await handler(ask, run('run-1'))).toEqual({ version: 1 });
    expect((await versions('2026-10')).map((v) => v.version)).toEqual([1]);
    expect(await handler(ask, run('run-2'))).toEqual({ version: 2 });
    expect((await versions('2026-10')).map((v) => v.version)).toEqual([1, 2]);
    // One notice per channel for each version, none twice.
    expect(await readyNotices('2026-10-v1')).toEqual(['email', 'sns']);
  });

  it('on the schedule: a version recorded by a run that failed before queuing its notices gets them from the retry, and no second version', async () => {
    const deps = stack.dependencies;
    // What the failed run left: the version, but no notice.
    expect(await deps.reportRegistry.record({ month: parseMonth('2026-11'), version: 1, createdAt: deps.now(), by: 'schedule', reason: 'the monthly schedule', request: 'run-3' })).toBe(true);
    expect(await readyNotices('2026-11-v1')).toEqual([]);
    expect(await handler({}, run('run-3'))).toEqual({ version: null });
    expect((await versions('2026-11')).map((v) => v.version)).toEqual([1]);
    expect(await readyNotices('2026-11-v1')).toEqual(['email', 'sns']);
    // Run again: still one of each.
    await handler({}, run('run-4'));
    expect(await readyNotices('2026-11-v1')).toEqual(['email', 'sns']);
  });
});
