import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect, newLedger, openTicketsUntilCrash, retryUnanswered } from '../test/support/crash-load';
import { isRunning, type StackProcess, startStackProcess } from '../test/support/stack-process';
import { mulberry32, none, progress, type Row, type Suite, type SuiteResult } from './suite';

/** Kill cycles on one DATA_DIR; CRASH_CYCLES overrides. */
const CYCLES = Number(process.env.CRASH_CYCLES ?? 20);
const CONCURRENCY = 8;
const OPENING = Date.parse('2026-06-08T09:00:00+02:00');

/**
 * `npm start` as its own process, loaded with concurrent POST /tickets and
 * killed with -9 (its DynamoDB Local left running) CYCLES times; after each
 * restart the unanswered requests are retried with their Idempotency-Key and
 * every acknowledged ticket is looked for.
 */
async function run(): Promise<SuiteResult> {
  const dataDir = await mkdtemp(join(tmpdir(), 'sla-desk-bench-crash-'));
  const random = mulberry32(7);
  const ledger = newLedger();
  let stack: StackProcess | undefined;
  const totals = { cycles: 0, acknowledged: 0, found: 0, lost: 0, halfWritten: 0, strays: 0, retried: 0, orphansNotStopped: 0, killedNotTerminated: 0 };
  try {
    stack = await startStackProcess({ dataDir, clock: new Date(OPENING).toISOString() });
    const customer = await stack.token('customer', 'ACME');
    const agent = await stack.token('agent');
    for (let cycle = 1; cycle <= CYCLES; cycle++) {
      const engine = await stack.engine();
      const crashAfter = 20 + Math.floor(random() * 40);
      await openTicketsUntilCrash(stack, customer, ledger, { concurrency: CONCURRENCY, crashAfter });
      const inFlight = ledger.unanswered.size;
      stack = await startStackProcess({ dataDir, clock: new Date(OPENING + cycle * 120_000).toISOString() });
      if (isRunning(engine.pid)) totals.orphansNotStopped++;
      if (stack.output().includes('killing it')) totals.killedNotTerminated++;
      await retryUnanswered(stack.url, customer, ledger);
      const findings = await inspect(stack, agent, ledger);
      totals.cycles = cycle;
      totals.acknowledged = findings.acknowledged;
      totals.found = findings.found;
      totals.lost = findings.missing.length;
      totals.halfWritten = Math.max(totals.halfWritten, findings.halfWritten.length);
      totals.strays = Math.max(totals.strays, findings.strays.length + ledger.refused.length);
      totals.retried += inFlight;
      progress(
        `crash ${cycle}/${CYCLES}: killed after ${crashAfter} more, ${inFlight} unanswered and retried; ${findings.found}/${findings.acknowledged} acknowledged found, ${findings.halfWritten.length} half-written${findings.missing.length ? `; MISSING ${findings.missing.join(', ')}` : ''}${findings.halfWritten.length ? `; ${findings.halfWritten.join('; ')}` : ''}`,
      );
    }
  } finally {
    await stack?.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
  return { crash: totals };
}

function table(result: SuiteResult): Row[] {
  const c = result.crash ?? {};
  const value = (k: string) => c[k] ?? Number.NaN;
  return [
    { label: `kill -9 cycles (${CONCURRENCY} clients creating tickets, DynamoDB Local left running)`, value: value('cycles'), unit: '×' },
    { label: 'tickets acknowledged with 201', value: value('acknowledged'), unit: '×' },
    { label: 'of those, found after the restarts', value: value('found'), unit: '×' },
    // The table knows lower bounds only: "none lost" is "found − acknowledged ≥ 0".
    { label: 'found − acknowledged (0: none lost)', value: value('found') - value('acknowledged'), unit: '×', goal: 0 },
    { label: 'requests unanswered at the kill, retried with their key', value: value('retried'), unit: '×' },
    { label: 'half-written tickets seen (0 − count)', value: none(value('halfWritten')), unit: '×', goal: 0 },
    { label: 'stray tickets or refused requests (0 − count)', value: none(value('strays')), unit: '×', goal: 0 },
    { label: 'orphaned engines not stopped, or killed instead of SIGTERM (0 − count)', value: none(value('orphansNotStopped') + value('killedNotTerminated')), unit: '×', goal: 0 },
  ];
}

export const crashSuite: Suite = {
  name: 'crash',
  title: `the local stack killed with -9 under load ${CYCLES} times on one DATA_DIR: acknowledged tickets lost, half-written tickets seen`,
  run,
  table,
};
