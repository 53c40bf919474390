import { spawn } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { ROUTES } from '../functions/handlers/http/routes';
import { LAMBDA_ALIASES } from '../lib/bundling';
import { progress } from './suite';

export interface BundleFigures {
  readonly bytes: number;
  /** Median of fresh processes' `await import(bundle)`, a proxy for Lambda's module init. */
  readonly initMs: number;
}

const IMPORT_RUNS = 3;
const REPO_ROOT = resolve(import.meta.dirname, '..');

/** Timed in the child itself, so node's own start-up is not counted. */
const IMPORT_SCRIPT = `const t=performance.now();await import(process.argv[1]);process.stdout.write(String(performance.now()-t));`;

/**
 * Builds one function per route as the deployment does (ESM, node22, minified,
 * every dependency bundled, linked source map; mainFields module,main), then
 * times a cold import of each in a fresh node process with source maps on.
 */
export async function measureBundles(): Promise<Record<string, BundleFigures>> {
  const outdir = await mkdtemp(join(tmpdir(), 'sla-desk-bundles-'));
  try {
    progress(`bundles: building ${ROUTES.length} functions with esbuild`);
    await build({
      entryPoints: Object.fromEntries(ROUTES.map((r) => [r.id, resolve(REPO_ROOT, r.entry)])),
      outdir,
      outExtension: { '.js': '.mjs' },
      absWorkingDir: REPO_ROOT,
      platform: 'node',
      target: 'node22',
      format: 'esm',
      bundle: true,
      minify: true,
      // Linked and loaded at import (--enable-source-maps), as the functions run.
      sourcemap: 'linked',
      sourcesContent: false,
      mainFields: ['module', 'main'],
      alias: { ...LAMBDA_ALIASES },
      external: [],
      // CommonJS code inside an ESM bundle may still call require() at run time.
      banner: { js: "import{createRequire as __createRequire}from'node:module';const require=__createRequire(import.meta.url);" },
      logLevel: 'silent',
    });
    const figures: Record<string, BundleFigures> = {};
    for (const route of ROUTES) {
      const file = join(outdir, `${route.id}.mjs`);
      const { size } = await stat(file);
      const runs: number[] = [];
      for (let i = 0; i < IMPORT_RUNS; i++) runs.push(await importMs(file));
      runs.sort((a, b) => a - b);
      figures[route.id] = { bytes: size, initMs: Math.round(runs[Math.floor(runs.length / 2)]! * 10) / 10 };
      progress(`bundles: ${route.id} ${(size / 1024).toFixed(0)} KiB, init ${figures[route.id]!.initMs} ms`);
    }
    return figures;
  } finally {
    await rm(outdir, { recursive: true, force: true });
  }
}

/** One cold import in a clean environment: only what config parsing needs, nothing the local stack set. */
function importMs(file: string): Promise<number> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--enable-source-maps', '--input-type=module', '-e', IMPORT_SCRIPT, pathToFileURL(file).href], {
      // TABLE_NAME must be at least three characters for the config schema.
      env: { PATH: process.env.PATH ?? '', TABLE_NAME: 'sla-desk', AWS_REGION: 'eu-north-1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.once('error', fail);
    child.once('exit', (code) => {
      const ms = Number(out);
      if (code !== 0 || !Number.isFinite(ms)) fail(new Error(`importing ${file} failed (exit ${code}):\n${err}`));
      else done(ms);
    });
  });
}
