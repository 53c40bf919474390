import { createServer } from 'node:http';
import type { ProbeTarget } from '#domain/availability/probe';

/** A service for the probe to measure, answering whatever status the test sets. */
export async function probeTarget(name: string) {
  let status = 200;
  const server = createServer((_, response) => {
    response.writeHead(status);
    response.end();
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const { port } = server.address() as { port: number };
  const target: ProbeTarget = { name, url: `http://127.0.0.1:${port}/`, expectedStatus: 200, timeoutMs: 2_000 };
  return {
    target,
    answer: (next: number) => {
      status = next;
    },
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}
