/** A usage or input mistake: the CLI prints it on one line and exits with code 2. */
export class CliUsageError extends Error {}
