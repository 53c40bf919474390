import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertMessage } from '#domain/notifications/alerts';
import type { Dependencies } from '#handlers/dependencies';
import { handler as relay } from '#handlers/timer/deliver-alerts';
import { publishMetrics } from '#handlers/observability';
import { type RelayStep, relaySteps, runRelaySteps } from '#handlers/timer/relay-steps';
import { invocation } from '../../bin/local/invocation';
import { startTestStack, type TestStack } from '../support/test-stack';
import { captureOutput, emfOf, metricsOn } from './captured-output';

/*
 * The relay's minute round as a list of named steps: each runs whatever the
 * ones before it did, and a failure is logged and counted under its name.
 */

let restoreMetrics: () => void;
let stack: TestStack;

beforeAll(async () => {
  restoreMetrics = metricsOn();
  stack = await startTestStack({ clockStart: '2026-06-08T09:00:00+02:00', timerIntervalMs: 3_600_000 });
});
afterAll(async () => {
  await stack?.stop();
  restoreMetrics();
});

/** Runs `work` with everything printed captured; its stored metrics are published before the capture ends. */
async function captured<T>(work: () => Promise<T>): Promise<{ result: PromiseSettledResult<T>; records: Record<string, any>[] }> {
  const output = captureOutput();
  try {
    const [result] = await Promise.allSettled([work()]);
    publishMetrics();
    return { result: result!, records: output.json() };
  } finally {
    output.stop();
  }
}

const failedSteps = (records: readonly Record<string, any>[]) =>
  records.filter((r) => r._aws?.CloudWatchMetrics?.some((d: { Metrics: { Name: string }[] }) => d.Metrics.some((m) => m.Name === 'RelayStepFailures')));

describe('the relay runs named steps', () => {
  it("are, in order: the service-window notices, the watched customers and their hypercare, the sweep, delivery and the backlog's age", () => {
    const names = relaySteps(stack.dependencies, {} as never).map((s) => s.name);
    expect(names).toEqual([
      'service-window-notices',
      'watched-customers',
      'hypercare-overdue',
      'hypercare-conclusions',
      'hypercare-incidents',
      'hypercare-digests',
      'hypercare-settle',
      'sweep',
      'deliver-alerts',
      'oldest-pending-alert',
    ]);
  });

  it('a failed step holds up none after it, except those that need it; the run fails at the end only for a step that pages', async () => {
    const ran: string[] = [];
    const step = (name: string, fails: boolean, more: Partial<RelayStep> = {}): RelayStep => ({
      name,
      ...more,
      run: async () => {
        ran.push(name);
        if (fails) throw new Error(`${name} broke`);
      },
    });
    const quiet = await captured(() => runRelaySteps([step('read', true), step('uses-read', false, { needs: ['read'] }), step('deliver', false, { pages: true })]));
    expect(quiet.result).toEqual({ status: 'fulfilled', value: { read: 'failed', 'uses-read': 'skipped', deliver: 'done' } });
    expect(ran).toEqual(['read', 'deliver']);
    expect(quiet.records.find((r) => r.message === 'relay step failed; the next run tries again')).toMatchObject({ level: 'ERROR', step: 'read', error: { message: 'read broke' } });
    expect(quiet.records.find((r) => r.message === 'relay step skipped: a step it needs did not succeed')).toMatchObject({ step: 'uses-read', needs: ['read'] });

    ran.length = 0;
    const loud = await captured(() => runRelaySteps([step('sweep', true, { pages: true }), step('deliver', false, { pages: true }), step('age', true, { pages: true })]));
    expect(ran).toEqual(['sweep', 'deliver', 'age']);
    expect(loud.result.status).toBe('rejected');
    expect(String((loud.result as PromiseRejectedResult).reason)).toBe('Error: relay step(s) failed: sweep (sweep broke); age (age broke)');
    // Each failure counted under the step's name, as a dimension beside the service.
    expect(failedSteps(loud.records).map((r) => [r.step, r.RelayStepFailures, r._aws.CloudWatchMetrics[0].Dimensions, r._aws.CloudWatchMetrics[0].Namespace])).toEqual([
      ['sweep', 1, [['service', 'step']], 'sla-desk/test'],
      ['age', 1, [['service', 'step']], 'sla-desk/test'],
    ]);
  });

  it('on the local stack, unreadable watched customers and a failed sweep still let the queued alerts go out, and the run then fails', async () => {
    const alert: AlertMessage = {
      id: 'ACME-1:breach:sns',
      channel: 'sns',
      kind: 'breach',
      about: { type: 'ticket', id: 'ACME-1' },
      customerId: 'ACME',
      hypercare: false,
      subject: 'queued before the round',
      body: 'b',
    };
    const base = stack.dependencies;
    await base.outbox.enqueue([alert], base.now());
    const refused = () => Promise.reject(new Error('throttled'));
    const deps: Dependencies = {
      ...base,
      customers: Object.create(base.customers, { watchedCustomers: { value: refused } }),
      store: Object.create(base.store, { overdue: { value: refused } }),
    };
    const { result, records } = await captured(() => relay({}, invocation('relay', deps)));

    expect(result.status).toBe('rejected');
    expect(String((result as PromiseRejectedResult).reason)).toBe('Error: relay step(s) failed: sweep (the sweep could not read the running tickets)');
    const outbox = await readFile(join(stack.dataDir, 'outbox.jsonl'), 'utf8');
    expect(outbox).toContain('"id":"ACME-1:breach:sns"');
    expect(failedSteps(records).map((r) => r.step)).toEqual(['watched-customers', 'sweep']);
    expect(records.filter((r) => r.message === 'relay step skipped: a step it needs did not succeed').map((r) => r.step)).toEqual([
      'hypercare-overdue',
      'hypercare-conclusions',
      'hypercare-incidents',
      'hypercare-digests',
      'hypercare-settle',
    ]);
    // The backlog's age is still published: nothing waits now.
    expect(emfOf(records).values('OldestPendingAlertAge')).toEqual([0]);
    expect(emfOf(records).values('SweepFailures')).toEqual([1]);
  });
});
