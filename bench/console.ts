import { readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';
import { progress, type Row, type Suite, type SuiteResult } from './suite';

const BUDGET_KIB = 150;

/** The console as it ships: built, and what the first page load fetches, gzipped. */
async function run(): Promise<SuiteResult> {
  const outDir = join(tmpdir(), `sla-desk-console-${process.pid}`);
  progress('console: building web/');
  const start = performance.now();
  await build({ configFile: join(import.meta.dirname, '../web/vite.config.ts'), logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  const buildMs = performance.now() - start;
  try {
    const assets = join(outDir, 'assets');
    const files = (await readdir(assets)).filter((f) => f.endsWith('.js') || f.endsWith('.css'));
    const sizes = await Promise.all(files.map(async (f) => ({ f, raw: (await readFile(join(assets, f))).length, gz: gzipSync(await readFile(join(assets, f)), { level: 9 }).length })));
    const js = sizes.filter((s) => s.f.endsWith('.js'));
    return {
      console: {
        initialJsKiB: js.reduce((n, s) => n + s.gz, 0) / 1024,
        initialJsRawKiB: js.reduce((n, s) => n + s.raw, 0) / 1024,
        cssKiB: sizes.filter((s) => s.f.endsWith('.css')).reduce((n, s) => n + s.gz, 0) / 1024,
        buildMs,
      },
    };
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}

export const consoleSuite: Suite = {
  name: 'console',
  title: `The console's first load, gzipped, against its ${BUDGET_KIB} KiB budget`,
  run,
  table(result): Row[] {
    const c = result.console!;
    return [
      { label: `initial JavaScript, gzipped (${c.initialJsRawKiB!.toFixed(0)} KiB minified)`, value: c.initialJsKiB!, unit: 'KiB' },
      { label: `headroom to ${BUDGET_KIB} KiB`, value: BUDGET_KIB - c.initialJsKiB!, unit: 'KiB', goal: 0 },
      { label: 'CSS, gzipped', value: c.cssKiB!, unit: 'KiB' },
      { label: 'vite build', value: c.buildMs!, unit: 'ms' },
    ];
  },
};
