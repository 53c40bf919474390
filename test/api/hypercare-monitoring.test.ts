import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeTarget } from '../support/probe-target';
import { startTestStack, type TestStack } from '../support/test-stack';

/* The contract's "increased monitoring": while a customer is in hypercare, an incident's first down sample escalates at once. */

let stack: TestStack;
let measured: Awaited<ReturnType<typeof probeTarget>>;

beforeAll(async () => {
  measured = await probeTarget('crm');
  stack = await startTestStack({ clockStart: '2026-11-10T09:00:00+01:00', probeTargets: [measured.target] });
  const admin = await stack.token('admin');
  await stack.call('PUT', '/customers/ACME', { token: admin, body: { name: 'Acme', contacts: [], goLiveAt: '2026-11-02T08:00:00+01:00', hypercareWeeks: 4 } });
});
afterAll(async () => {
  await stack.stop();
  await measured.close();
});

const probeAt = async (iso: string, answer: number) => {
  stack.clock.set(Date.parse(iso));
  measured.answer(answer);
  await stack.runProbe();
  await stack.runTimers();
};
const incidents = async () =>
  (await readFile(join(stack.dataDir, 'outbox.jsonl'), 'utf8').catch(() => ''))
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l))
    .filter((l) => l.kind === 'incident');

describe('increased monitoring in hypercare', () => {
  it("an incident's first down sample tells the escalation list at once, once per incident", async () => {
    await probeAt('2026-11-10T09:00:10+01:00', 200);
    expect(await incidents()).toEqual([]);
    await probeAt('2026-11-10T09:05:10+01:00', 503);
    const first = await incidents();
    expect(first.map((l) => [l.channel, l.target, l.recipients ?? null]).sort()).toEqual([
      ['email', 'crm', ['escalation@sla-desk.local']],
      ['sns', 'crm', null],
    ]);
    expect(first.every((l) => l.hypercare === true && l.kind === 'incident')).toBe(true);
    expect(first[0].subject).toBe('[Incident, hypercare] crm is down since Tue 10 Nov 2026, 09:05');
    // Still down: the same incident, nothing more.
    await probeAt('2026-11-10T09:10:10+01:00', 503);
    expect(await incidents()).toHaveLength(2);
    // Up, then down again: a new incident.
    await probeAt('2026-11-10T09:15:10+01:00', 200);
    await probeAt('2026-11-10T09:20:10+01:00', 503);
    expect((await incidents()).filter((l) => l.channel === 'email')).toHaveLength(2);
  });
});
