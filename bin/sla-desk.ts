#!/usr/bin/env -S npx tsx
/** The operator CLI: `npx tsx bin/sla-desk.ts <command> [options]`. */
import { InvalidInputError } from '../functions/domain/errors';
import { CliFailure, CliUsageError } from './commands/cli-error';
import { availability, availabilityHelp } from './commands/availability';
import { deadline, deadlineHelp } from './commands/deadline';
import { onboard, onboardHelp } from './commands/onboard';
import { token, tokenHelp } from './commands/token';

interface Command {
  readonly summary: string;
  readonly help: string;
  readonly run: (args: string[]) => string | Promise<string>;
}

const commands: Record<string, Command> = {
  deadline: { summary: 'when the first response to a ticket is due, and why', help: deadlineHelp, run: deadline },
  token: { summary: 'a bearer token for the local stack', help: tokenHelp, run: token },
  availability: { summary: "a month's availability, recomputed from a samples export", help: availabilityHelp, run: availability },
  onboard: { summary: 'a customer\'s record and its first users, on a deployed stage or the local stack', help: onboardHelp, run: (args) => onboard(args) },
};

const usage = `Usage: sla-desk <command> [options]

Commands:
${Object.entries(commands)
  .map(([name, c]) => `  ${name.padEnd(Math.max(...Object.keys(commands).map((n) => n.length)) + 2)}${c.summary}`)
  .join('\n')}

Run "sla-desk <command> --help" for a command's options.`;

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (name === 'help' && args[0] && commands[args[0]]) {
    console.log(commands[args[0]]!.help);
    return 0;
  }
  if (name === undefined) throw new CliUsageError('a command is required; try --help');
  if (name === '--help' || name === '-h' || name === 'help') {
    console.log(usage);
    return 0;
  }
  const command = commands[name];
  if (!command) throw new CliUsageError(`unknown command "${name}"; try --help`);
  if (args.includes('--help') || args.includes('-h')) {
    console.log(command.help);
    return 0;
  }
  console.log(await command.run(args));
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // parseArgs reports unknown or malformed options as TypeErrors with an ERR_PARSE_ARGS_* code.
    const isUsage =
      error instanceof CliUsageError ||
      error instanceof InvalidInputError ||
      (error instanceof Error && String((error as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS'));
    // A failure the command explains (a conflict, a refusal by AWS) is said as it is, without "internal error".
    const explained = isUsage || error instanceof CliFailure;
    console.error(`sla-desk: ${explained ? (error as Error).message.split('\n')[0] : 'internal error: ' + String(error)}`);
    process.exitCode = isUsage ? 2 : 1;
  },
);
