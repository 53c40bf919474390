import { InvalidInputError } from '#domain/errors';
import { CliFailure, CliUsageError } from './cli-error';

interface Command {
  readonly summary: string;
  /** The command's module, loaded only when it is the one run: `token` need not load onboard's AWS clients. */
  readonly load: () => Promise<{ readonly help: string; readonly run: (args: string[]) => string | Promise<string> }>;
}

const commands: Record<string, Command> = {
  deadline: { summary: 'when the first response to a ticket is due, and why', load: async () => import('./deadline').then((m) => ({ help: m.deadlineHelp, run: m.deadline })) },
  token: { summary: 'a bearer token for the local stack', load: async () => import('./token').then((m) => ({ help: m.tokenHelp, run: m.token })) },
  availability: {
    summary: "a month's availability, recomputed from a samples export",
    load: async () => import('./availability').then((m) => ({ help: m.availabilityHelp, run: m.availability })),
  },
  person: {
    summary: "a data subject's request: export or erase a person's data",
    load: async () => import('./person').then((m) => ({ help: m.personHelp, run: m.person })),
  },
  onboard: {
    summary: "a customer's record and its first users, on a deployed stage or the local stack",
    load: async () => import('./onboard').then((m) => ({ help: m.onboardHelp, run: (args: string[]) => m.onboard(args) })),
  },
};

const usage = `Usage: sla-desk <command> [options]

Commands:
${Object.entries(commands)
  .map(([name, c]) => `  ${name.padEnd(Math.max(...Object.keys(commands).map((n) => n.length)) + 2)}${c.summary}`)
  .join('\n')}

Run "sla-desk <command> --help" for a command's options.`;

/** What a run of the CLI printed, and its exit code: 0 done, 1 failed, 2 misused. */
export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** One run of the operator CLI on its arguments: what a person at a terminal would see. */
export async function runCli(argv: readonly string[]): Promise<CliRun> {
  try {
    return { code: 0, stdout: `${await output([...argv])}\n`, stderr: '' };
  } catch (error) {
    // parseArgs reports unknown or malformed options as TypeErrors with an ERR_PARSE_ARGS_* code.
    const isUsage = error instanceof CliUsageError || error instanceof InvalidInputError || (error instanceof Error && String((error as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS'));
    // A failure the command explains (a conflict, a refusal by AWS) is said as it is, without "internal error".
    const explained = isUsage || error instanceof CliFailure;
    return { code: isUsage ? 2 : 1, stdout: '', stderr: `sla-desk: ${explained ? (error as Error).message.split('\n')[0] : `internal error: ${String(error)}`}\n` };
  }
}

async function output(argv: string[]): Promise<string> {
  const [name, ...args] = argv;
  if (name === 'help' && args[0] && commands[args[0]]) return (await commands[args[0]]!.load()).help;
  if (name === undefined) throw new CliUsageError('a command is required; try --help');
  if (name === '--help' || name === '-h' || name === 'help') return usage;
  const command = commands[name];
  if (!command) throw new CliUsageError(`unknown command "${name}"; try --help`);
  const { help, run } = await command.load();
  if (args.includes('--help') || args.includes('-h')) return help;
  return run(args);
}
