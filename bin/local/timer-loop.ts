import type { LocalTimerScheduler } from '../../functions/adapters/scheduler/local-timer-scheduler';
import type { SlaTimer } from '../../functions/domain/sla/sla-timers';
import type { Dependencies } from '../../functions/handlers/dependencies';
import { invocation } from './invocation';

type TimerHandler = (event: SlaTimer, context: object) => Promise<unknown>;
type RelayHandler = (event: object, context: object) => Promise<unknown>;

/**
 * The local stand-in for EventBridge Scheduler and the relay schedule: on the
 * stack's clock, it hands due timers to the same timer handler Lambda runs,
 * deletes them once handled (a failure leaves them for the next round, as
 * Scheduler retries), then lets the relay deliver what is still queued.
 */
export class TimerLoop {
  private running: Promise<void> = Promise.resolve();
  private interval: NodeJS.Timeout | undefined;
  private handlers: Promise<{ timer: TimerHandler; relay: RelayHandler }> | undefined;

  constructor(
    private readonly scheduler: LocalTimerScheduler,
    private readonly deps: Dependencies,
    private readonly log: (line: string) => void = (line) => console.error(line),
  ) {}

  start(everyMs = 1_000): void {
    this.interval = setInterval(() => void this.runDue(), everyMs);
    this.interval.unref();
  }

  /** Runs one round, after any round already under way; rounds never overlap. */
  runDue(): Promise<void> {
    this.running = this.running.then(() => this.round()).catch((error: unknown) => this.log(`timer loop: ${String(error)}`));
    return this.running;
  }

  async stop(): Promise<void> {
    clearInterval(this.interval);
    await this.running;
  }

  private async round(): Promise<void> {
    const { timer, relay } = await this.load();
    for (const due of await this.scheduler.due(this.deps.now())) {
      try {
        await timer(due, invocation('timer', this.deps));
        await this.scheduler.completed(due);
      } catch (error) {
        this.log(`timer ${due.ticketId} ${due.kind} failed, retrying next round: ${String(error)}`);
      }
    }
    await relay({}, invocation('relay', this.deps));
  }

  private load() {
    this.handlers ??= Promise.all([import('../../functions/handlers/timer/sla-timer'), import('../../functions/handlers/timer/deliver-alerts')]).then(
      ([timer, relay]) => ({ timer: timer.handler as unknown as TimerHandler, relay: relay.handler as unknown as RelayHandler }),
    );
    return this.handlers;
  }
}
