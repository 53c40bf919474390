import { slotOf } from '../../functions/domain/availability/availability';

type ProbeHandler = (event: object, context: object) => Promise<unknown>;

/**
 * The local stand-in for the probe's 5-minute schedule: on the stack's clock, it
 * runs the same probe handler Lambda runs once in every 5-minute slot (or, for
 * demonstrations, every `intervalMs` of real time).
 */
export class ProbeLoop {
  private lastSlot = Number.NaN;
  private interval: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();
  private handler: Promise<ProbeHandler> | undefined;

  constructor(
    private readonly now: () => number,
    private readonly log: (line: string) => void = (line) => console.error(line),
  ) {}

  start(intervalMs?: number): void {
    this.interval = setInterval(() => void (intervalMs ? this.runNow() : this.runIfNewSlot()), intervalMs ?? 1_000);
    this.interval.unref();
  }

  /** Probes if the clock has entered a slot not yet probed. */
  runIfNewSlot(): Promise<void> {
    return slotOf(this.now()) === this.lastSlot ? this.running : this.runNow();
  }

  runNow(): Promise<void> {
    this.running = this.running
      .then(async () => {
        this.lastSlot = slotOf(this.now());
        this.handler ??= import('../../functions/handlers/probe/probe').then((m) => m.handler as unknown as ProbeHandler);
        await (await this.handler)({}, {});
      })
      .catch((error: unknown) => this.log(`probe: ${String(error)}`));
    return this.running;
  }

  async stop(): Promise<void> {
    clearInterval(this.interval);
    await this.running;
  }
}
