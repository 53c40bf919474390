import type { Sample } from '../../domain/availability/availability';
import type { ProbeTarget, Prober } from '../../domain/availability/probe';

/** Checks a target over HTTP: ok only with the expected status within the timeout. */
export class HttpProber implements Prober {
  constructor(private readonly clock: () => number = performance.now.bind(performance)) {}

  async check(target: ProbeTarget, at: number): Promise<Sample> {
    const started = this.clock();
    const latency = () => Math.round(this.clock() - started);
    try {
      const response = await fetch(target.url, { method: 'GET', signal: AbortSignal.timeout(target.timeoutMs), headers: { 'user-agent': 'sla-desk-probe' } });
      await response.body?.cancel();
      const ok = response.status === target.expectedStatus;
      return { target: target.name, at, ok, latencyMs: latency(), status: response.status, ...(ok ? {} : { error: `expected status ${target.expectedStatus}` }) };
    } catch (error) {
      const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
      return { target: target.name, at, ok: false, latencyMs: latency(), error: timedOut ? `no answer within ${target.timeoutMs} ms` : String((error as Error).cause ?? error) };
    }
  }
}
