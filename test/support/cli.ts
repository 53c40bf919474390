import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { type CliRun, runCli as run } from '../../bin/commands/cli';

/**
 * Runs the operator CLI as a person would, in this process: the same code
 * `bin/sla-desk.ts` runs, with the environment given, its exit code and both
 * streams. Runs are one at a time (the environment is the process's).
 */
let queue: Promise<unknown> = Promise.resolve();
export function runCli(args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<CliRun> {
  const next = queue.then(async () => {
    const saved = process.env;
    process.env = { ...env };
    try {
      return await run(args);
    } finally {
      process.env = saved;
    }
  });
  queue = next.catch(() => undefined);
  return next;
}

/** The CLI as its own process (`node --import tsx bin/sla-desk.ts`): for the tests of the binary itself. */
export async function runCliProcess(args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<CliRun> {
  try {
    const { stdout, stderr } = await promisify(execFile)('node', ['--import', 'tsx', 'bin/sla-desk.ts', ...args], { env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}
