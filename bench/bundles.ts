import { spawn } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { CAPABILITIES, capabilityEntry } from '../functions/handlers/http/routes';
import { LAMBDA_ALIASES } from '../lib/bundling';
import { progress } from './suite';

export interface BundleFigures {
  readonly bytes: number;
  /** Median of fresh processes' `await import(bundle)`, a proxy for Lambda's module init. */
  readonly initMs: number;
  /** initMs as a multiple of the floor's, measured in the same run (absolute times vary between machines). */
  readonly initRatio: number;
}

/** The floor every init is a multiple of: a function that only builds the DynamoDB document client. */
export const FLOOR = 'floor';
const FLOOR_ENTRY = 'bench/floor/document-client.ts';

const IMPORT_RUNS = 5;
const REPO_ROOT = resolve(import.meta.dirname, '..');

/** Timed in the child itself, so node's own start-up is not counted. */
const IMPORT_SCRIPT = `const t=performance.now();await import(process.argv[1]);process.stdout.write(String(performance.now()-t));`;

/**
 * Builds the HTTP API's functions, one per capability, and the floor, as the deployment does (ESM, node22, minified,
 * every dependency bundled, linked source map; mainFields module,main), then
 * times a cold import of each in a fresh node process with source maps on.
 */
export async function measureBundles(): Promise<Record<string, BundleFigures>> {
  const outdir = await mkdtemp(join(tmpdir(), 'sla-desk-bundles-'));
  try {
    const entries: Record<string, string> = {
      [FLOOR]: FLOOR_ENTRY,
      ...Object.fromEntries(CAPABILITIES.map((capability) => [capability, capabilityEntry(capability)])),
    };
    progress(`bundles: building ${CAPABILITIES.length} functions and the floor with esbuild`);
    await build({
      entryPoints: Object.fromEntries(Object.entries(entries).map(([name, entry]) => [name, resolve(REPO_ROOT, entry)])),
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
    const runs: Record<string, number[]> = Object.fromEntries(Object.keys(entries).map((name) => [name, []]));
    // The floor and the functions take turns, so a busy spell of the machine weighs on both alike.
    for (let i = 0; i < IMPORT_RUNS; i++) {
      for (const name of Object.keys(entries)) runs[name]!.push(await importMs(join(outdir, `${name}.mjs`)));
    }
    const median = (values: readonly number[]) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)]!;
    const floorMs = median(runs[FLOOR]!);
    const figures: Record<string, BundleFigures> = {};
    for (const name of Object.keys(entries)) {
      const { size } = await stat(join(outdir, `${name}.mjs`));
      const initMs = median(runs[name]!);
      figures[name] = { bytes: size, initMs: Math.round(initMs * 10) / 10, initRatio: Math.round((initMs / floorMs) * 100) / 100 };
      progress(`bundles: ${name} ${(size / 1024).toFixed(0)} KiB, init ${figures[name]!.initMs} ms (${figures[name]!.initRatio}× the floor)`);
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
