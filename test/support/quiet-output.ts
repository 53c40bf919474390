/*
 * The functions' JSON logs and metrics go straight to stdout, as on Lambda,
 * where the runner cannot tell which test wrote them. Sent through the console
 * instead, they are kept with their test and shown only if it fails
 * (`silent: 'passed-only'`): a passing run shows the runner's summary alone.
 */
const write = process.stdout.write.bind(process.stdout);
process.stdout.write = ((chunk: unknown, ...rest: unknown[]) => {
  const text = typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString('utf8') : undefined;
  if (text === undefined) return write(chunk as never, ...(rest as never[]));
  for (const line of text.split('\n')) if (line.trim()) console.log(line);
  (rest.find((r) => typeof r === 'function') as (() => void) | undefined)?.();
  return true;
}) as typeof process.stdout.write;

import './sdk-node-notice';
