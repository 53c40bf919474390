/** A usage or input mistake: the CLI prints it on one line and exits with code 2. */
export class CliUsageError extends Error {}

/** The command could not do what was asked (it conflicts with what exists, or AWS refused): one line, exit code 1. */
export class CliFailure extends Error {}

/** The id `--customer` names, or why it names none: ids are upper case, so `acme` is told to say `ACME`. */
export function customerOption(value: string | undefined, pattern: RegExp, missing: string): string {
  if (value === undefined || value === '') throw new CliUsageError(missing);
  if (pattern.test(value)) return value;
  const upper = value.toUpperCase();
  throw new CliUsageError(
    pattern.test(upper) ? `customer ids are upper case: --customer ${upper}, not ${value}` : `--customer ${value} is no customer id: 2–16 capitals and digits, starting with a letter, e.g. ACME`,
  );
}
