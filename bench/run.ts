/**
 * npm run bench [-- --only <name>[,<name>…]] [--json]
 *
 * Without --json: a readable table per suite. With --json: exactly one JSON
 * line on stdout merging every suite's result; progress goes to stderr.
 */
import { parseArgs } from 'node:util';
import type { Row, Suite, SuiteResult } from './suite';
import { SUITES } from './suites';

function selectSuites(only: readonly string[]): Suite[] {
  const names = only
    .flatMap((o) => o.split(','))
    .map((n) => n.trim())
    .filter(Boolean);
  if (!names.length) return [...SUITES];
  const unknown = names.filter((n) => !SUITES.some((s) => s.name === n));
  if (unknown.length) {
    throw new UsageError(`unknown suite ${unknown.join(', ')}; known: ${SUITES.map((s) => s.name).join(', ')}`);
  }
  return SUITES.filter((s) => names.includes(s.name));
}

class UsageError extends Error {}

function formatValue(value: number, unit: string): string {
  if (!Number.isFinite(value)) return String(value);
  const digits = unit === '×' || Math.abs(value) >= 100 ? 0 : 2;
  return value.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

/** Aligned plain-text columns: label, value, unit, goal, met. */
function render(suite: Suite, rows: readonly Row[]): string {
  const cells = rows.map((r) => [
    r.label,
    formatValue(r.value, r.unit),
    r.unit,
    r.goal === undefined ? '' : `goal ≥ ${formatValue(r.goal, r.unit)}`,
    r.goal === undefined ? '' : r.value >= r.goal ? 'met' : 'NOT MET',
  ]);
  const widths = [0, 1, 2, 3, 4].map((c) => Math.max(...cells.map((row) => row[c]!.length)));
  const lines = cells.map((row) =>
    row
      .map((cell, c) => (c === 1 ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!)))
      .join('  ')
      .trimEnd(),
  );
  return [`${suite.name}: ${suite.title}`, ...lines.map((l) => `  ${l}`)].join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { only: { type: 'string', multiple: true, default: [] }, json: { type: 'boolean', default: false } },
  });
  const suites = selectSuites(values.only ?? []);
  const json = values.json === true;

  // In --json mode stdout carries the JSON line alone, whatever a suite or library logs.
  const log = console.log;
  if (json) console.log = console.error;

  const merged: SuiteResult = {};
  for (const suite of suites) {
    const result = await suite.run();
    Object.assign(merged, result);
    if (!json) process.stdout.write(`\n${render(suite, suite.table(result))}\n\n`);
  }

  console.log = log;
  if (json) process.stdout.write(`${JSON.stringify(merged)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = error instanceof UsageError ? 2 : 1;
});
