import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ENGINE_PID_FILE, type EngineRecord, freePort, readEngineRecord } from '../../bin/local/dynamodb-local';
import { issueToken, signingKey } from '../../bin/local/local-tokens';
import type { CallerRole } from '#domain/actor';

/** `npm start` as a process of its own: what a crash test kills. */
export interface StackProcess {
  readonly url: string;
  readonly pid: number;
  readonly dataDir: string;
  /** What it printed so far (start-up in full, then up to about a megabyte). */
  output(): string;
  /** The DynamoDB Local engine it started, as its pid file under DATA_DIR records it. */
  engine(): Promise<EngineRecord>;
  token(role: CallerRole, customerId?: string): Promise<string>;
  /** Kills the application with -9; its DynamoDB Local engine stays up, as DynamoDB would. */
  crash(): Promise<void>;
  /** Stops it as Ctrl-C does, engine included (after a crash, the engine it left). */
  stop(): Promise<void>;
}

const ROOT = join(import.meta.dirname, '..', '..');

/**
 * Starts `node --import tsx bin/local-stack.ts` on `dataDir`, with its clock
 * starting at `clock`, and resolves once it says it is running.
 */
export async function startStackProcess(options: { dataDir: string; clock: string; port?: number; startTimeoutMs?: number }): Promise<StackProcess> {
  const port = options.port ?? (await freePort());
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'bin/local-stack.ts'], {
    cwd: ROOT,
    env: { ...process.env, DATA_DIR: options.dataDir, PORT: String(port), SLA_DESK_CLOCK: options.clock, SLA_DESK_CONSOLE: 'off', POWERTOOLS_LOG_LEVEL: 'WARN' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const running = new Promise<string>((resolve, reject) => {
    let started = false;
    const onData = (chunk: Buffer) => {
      // After start-up only a bounded tail is kept: a load run logs a line per request.
      if (started && output.length > 1_000_000) return;
      output += chunk.toString();
      const url = started ? undefined : /sla-desk is running at (\S+)/.exec(output)?.[1];
      if (url) {
        started = true;
        resolve(url);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then(() => reject(new Error(`the stack exited before it ran (code ${child.exitCode}):\n${output}`)));
    setTimeout(() => reject(new Error(`the stack did not start within ${options.startTimeoutMs ?? 90_000} ms:\n${output}`)), options.startTimeoutMs ?? 90_000).unref();
  });
  let url: string;
  try {
    url = await running;
  } catch (error) {
    child.kill('SIGTERM');
    await exited;
    throw error;
  }
  const key = signingKey(options.dataDir, { create: false });
  let orphan: number | undefined;
  const engine = async () => {
    const record = await readEngineRecord(join(options.dataDir, 'dynamodb', ENGINE_PID_FILE));
    if (!record?.pid || !record.port || !record.owner) throw new Error(`no engine recorded under ${options.dataDir}`);
    return record as EngineRecord;
  };
  return {
    url,
    pid: child.pid!,
    dataDir: options.dataDir,
    output: () => output,
    engine,
    token: async (role, customerId) => issueToken(await key, { role, ...(customerId ? { customerId } : {}) }),
    async crash() {
      if (child.exitCode !== null) return;
      orphan = (await engine()).pid;
      child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
      // Killed, and never restarted on its data: its engine is still ours to stop (with SIGTERM, as ever).
      if (orphan !== undefined && isRunning(orphan)) {
        process.kill(orphan, 'SIGTERM');
        for (let waited = 0; isRunning(orphan) && waited < 60_000; waited += 100) await new Promise((r) => setTimeout(r, 100));
      }
    },
  };
}

/** Whether a process still runs (and is not merely waiting to be reaped). */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !stat.split(') ')[1]?.startsWith('Z');
  } catch {
    return false;
  }
}
