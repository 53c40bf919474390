import { InvalidInputError } from '#domain/errors';
import { CliFailure, CliUsageError } from './cli-error';
import { availability, availabilityHelp } from './availability';
import { deadline, deadlineHelp } from './deadline';
import { onboard, onboardHelp } from './onboard';
import { token, tokenHelp } from './token';

interface Command {
  readonly summary: string;
  readonly help: string;
  readonly run: (args: string[]) => string | Promise<string>;
}

const commands: Record<string, Command> = {
  deadline: { summary: 'when the first response to a ticket is due, and why', help: deadlineHelp, run: deadline },
  token: { summary: 'a bearer token for the local stack', help: tokenHelp, run: token },
  availability: { summary: "a month's availability, recomputed from a samples export", help: availabilityHelp, run: availability },
  onboard: { summary: "a customer's record and its first users, on a deployed stage or the local stack", help: onboardHelp, run: (args) => onboard(args) },
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
  if (name === 'help' && args[0] && commands[args[0]]) return commands[args[0]]!.help;
  if (name === undefined) throw new CliUsageError('a command is required; try --help');
  if (name === '--help' || name === '-h' || name === 'help') return usage;
  const command = commands[name];
  if (!command) throw new CliUsageError(`unknown command "${name}"; try --help`);
  if (args.includes('--help') || args.includes('-h')) return command.help;
  return command.run(args);
}
