import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { CAPABILITIES, type Capability, capabilityEntry, ROUTES, routeKey } from '../functions/handlers/http/routes';
import { LAMBDA_ALIASES } from '../lib/bundling';
import { progress } from './suite';

export interface BundleFigures {
  readonly bytes: number;
  /** Median of fresh processes' `await import(bundle)`: Lambda's module init. */
  readonly initMs: number;
  /** initMs as a multiple of the floor's, measured in the same run (absolute times vary between machines). */
  readonly initRatio: number;
  /**
   * Median of the same processes' import plus a first request, network aside:
   * one that builds everything a request needs (the DynamoDB client, the
   * stores, the calendar) before it is refused for want of a token. Init
   * alone flatters a function that defers work to its first request; this
   * does not. The floor's request does nothing.
   */
  readonly firstAnswerMs: number;
  readonly firstAnswerRatio: number;
}

/** The floor every init is a multiple of: a function that only builds the DynamoDB document client. */
export const FLOOR = 'floor';
const FLOOR_ENTRY = 'bench/floor/document-client.ts';

const COLD_STARTS = 9;
const REPO_ROOT = resolve(import.meta.dirname, '..');

/** Timed in the child itself, so node's own start-up is not counted; prints the time and the answer's status. */
const COLD_START_SCRIPT = `const t=performance.now();const {handler}=await import(process.argv[1]);const i=performance.now()-t;const r=await handler(JSON.parse(process.argv[2]),{awsRequestId:'bench'});process.stdout.write(JSON.stringify([i,performance.now()-t,r.statusCode]));`;

/**
 * Each function's first request: its first route that takes a token and reads
 * nothing at start-up, sent without one, so the answer (401) comes after the
 * function has built its dependencies and worked out the current year of the
 * calendar. Public's is health, whose one read a local stand-in for DynamoDB
 * answers at once (an empty GetItem): 200.
 */
function firstRequest(capability: Capability): { event: object; status: number } {
  const route = ROUTES.find((r) => r.capability === capability && r.authenticated && !r.probeTargets) ?? ROUTES.find((r) => r.capability === capability)!;
  const path = route.path.replace(/\{\w+\}/g, 'X-1');
  return {
    event: {
      version: '2.0',
      routeKey: routeKey(route),
      rawPath: path,
      rawQueryString: '',
      headers: {},
      requestContext: { requestId: 'bench', http: { method: route.method, path } },
      isBase64Encoded: false,
    },
    status: route.authenticated ? 401 : 200,
  };
}

/**
 * Builds the HTTP API's functions, one per capability, and the floor, as the deployment does (ESM, node22, minified,
 * every dependency bundled, linked source map; mainFields module,main), then
 * times a cold import and a first request of each in a fresh node process with source maps on.
 */
export async function measureBundles(): Promise<Record<string, BundleFigures>> {
  const outdir = await mkdtemp(join(tmpdir(), 'sla-desk-bundles-'));
  // Answers every DynamoDB call with an empty item, so health's read costs a local round trip and nothing more.
  const table = createServer((request, response) => {
    request.resume().once('end', () => response.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' }).end('{}'));
  });
  await new Promise<void>((listening) => table.listen(0, '127.0.0.1', listening));
  const endpoint = `http://127.0.0.1:${(table.address() as AddressInfo).port}`;
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
    const runs: Record<string, { init: number; firstAnswer: number }[]> = Object.fromEntries(Object.keys(entries).map((name) => [name, []]));
    const requests: Record<string, { event: object; status: number }> = {
      [FLOOR]: { event: {}, status: 200 },
      ...Object.fromEntries(CAPABILITIES.map((capability) => [capability, firstRequest(capability)])),
    };
    // The floor and the functions take turns, so a busy spell of the machine weighs on both alike.
    for (let i = 0; i < COLD_STARTS; i++) {
      for (const name of Object.keys(entries)) runs[name]!.push(await coldStartMs(join(outdir, `${name}.mjs`), requests[name]!, endpoint));
    }
    const median = (values: readonly number[]) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)]!;
    const of = (name: string, figure: 'init' | 'firstAnswer') => median(runs[name]!.map((run) => run[figure]));
    const tenth = (ms: number) => Math.round(ms * 10) / 10;
    const ratio = (ms: number, floor: number) => Math.round((ms / floor) * 100) / 100;
    const figures: Record<string, BundleFigures> = {};
    for (const name of Object.keys(entries)) {
      const { size } = await stat(join(outdir, `${name}.mjs`));
      const [initMs, firstAnswerMs] = [of(name, 'init'), of(name, 'firstAnswer')];
      figures[name] = {
        bytes: size,
        initMs: tenth(initMs),
        initRatio: ratio(initMs, of(FLOOR, 'init')),
        firstAnswerMs: tenth(firstAnswerMs),
        firstAnswerRatio: ratio(firstAnswerMs, of(FLOOR, 'firstAnswer')),
      };
      const f = figures[name]!;
      progress(`bundles: ${name} ${(size / 1024).toFixed(0)} KiB, init ${f.initMs} ms (${f.initRatio}× the floor), first answer ${f.firstAnswerMs} ms (${f.firstAnswerRatio}×)`);
    }
    return figures;
  } finally {
    table.close();
    await rm(outdir, { recursive: true, force: true });
  }
}

/**
 * One cold start in a clean environment: only what config parsing needs, nothing the local stack set.
 * The table is the local stand-in, so no request waits on a network.
 */
function coldStartMs(file: string, request: { event: object; status: number }, endpoint: string): Promise<{ init: number; firstAnswer: number }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--enable-source-maps', '--input-type=module', '-e', COLD_START_SCRIPT, pathToFileURL(file).href, JSON.stringify(request.event)], {
      // TABLE_NAME must be at least three characters for the config schema.
      env: {
        PATH: process.env.PATH ?? '',
        TABLE_NAME: 'sla-desk',
        AWS_REGION: 'eu-north-1',
        DYNAMODB_ENDPOINT: endpoint,
        // What the deployment gives the functions that arm timers or ask for reports (their clients are built, never called).
        SCHEDULE_GROUP: 'sla-desk-bench',
        TIMER_TARGET_ARN: 'arn:aws:lambda:eu-north-1:123456789012:function:sla-desk-bench-timer',
        SCHEDULER_ROLE_ARN: 'arn:aws:iam::123456789012:role/sla-desk-bench-scheduler',
        TIMER_DLQ_ARN: 'arn:aws:sqs:eu-north-1:123456789012:sla-desk-bench-timers-dlq',
        REPORT_BUCKET: 'sla-desk-bench-reports',
        REPORT_FUNCTION: 'sla-desk-bench-report',
        AWS_ACCESS_KEY_ID: 'AKIDBENCH',
        AWS_SECRET_ACCESS_KEY: 'bench',
        POWERTOOLS_METRICS_DISABLED: 'true',
        POWERTOOLS_LOG_LEVEL: 'SILENT',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.once('error', fail);
    child.once('exit', (code) => {
      const [init, firstAnswer, status] = (() => {
        try {
          return JSON.parse(out) as [number, number, number];
        } catch {
          return [Number.NaN, Number.NaN, undefined];
        }
      })();
      // Another answer means the request did not take the path measured (or the function failed to load).
      if (code !== 0 || !Number.isFinite(firstAnswer) || status !== request.status)
        fail(new Error(`the cold start of ${file} failed (exit ${code}, status ${status}, expected ${request.status}):\n${err}`));
      else done({ init, firstAnswer });
    });
  });
}
