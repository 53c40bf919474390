/** A usage or input mistake: the CLI prints it on one line and exits with code 2. */
export class CliUsageError extends Error {}

/** The command could not do what was asked (it conflicts with what exists, or AWS refused): one line, exit code 1. */
export class CliFailure extends Error {}
