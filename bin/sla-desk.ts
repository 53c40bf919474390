#!/usr/bin/env -S npx tsx
/** The operator CLI: `npx tsx bin/sla-desk.ts <command> [options]`. */
import { runCli } from './commands/cli';

const { code, stdout, stderr } = await runCli(process.argv.slice(2));
process.stdout.write(stdout);
process.stderr.write(stderr);
process.exitCode = code;
