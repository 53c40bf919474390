import { lastDue, type Recurrence } from '#domain/recurrence';
import type { Dependencies } from '#handlers/dependencies';
import { invocation } from './invocation';

type Handler = (event: object, context: object) => Promise<unknown>;

/**
 * The local stand-in for a recurring EventBridge schedule: on the stack's
 * clock, it runs the same handler Lambda runs once each time the recurrence
 * comes due (checked every second, the relay's by the timer loop's rounds, and
 * after every clock jump). For
 * demonstrations it can instead run every `intervalMs` of real time.
 */
export class RecurringLoop {
  private lastRun = Number.NaN;
  private interval: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();
  private handler: Promise<Handler> | undefined;

  constructor(
    private readonly name: string,
    private readonly recurrence: Recurrence,
    private readonly load: () => Promise<Handler>,
    private readonly deps: Dependencies,
    private readonly log: (line: string) => void = (line) => console.error(line),
  ) {}

  start(intervalMs?: number): void {
    this.interval = setInterval(() => void (intervalMs ? this.runNow() : this.runIfDue()), intervalMs ?? 1_000);
    this.interval.unref();
  }

  /** Runs if the recurrence has come due since the last run (or never ran). */
  runIfDue(): Promise<void> {
    return lastDue(this.recurrence, this.deps.now()) === this.lastRun ? this.running : this.runNow();
  }

  runNow(): Promise<void> {
    this.running = this.running
      .then(async () => {
        this.lastRun = lastDue(this.recurrence, this.deps.now());
        this.handler ??= this.load();
        await (await this.handler)({}, invocation(this.name, this.deps));
      })
      .catch((error: unknown) => this.log(`${this.name}: ${String(error)}`));
    return this.running;
  }

  async stop(): Promise<void> {
    clearInterval(this.interval);
    await this.running;
  }
}
