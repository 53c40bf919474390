import type { LocalTimerScheduler } from '#adapters/scheduler/local-timer-scheduler';
import { RECURRING } from '#domain/recurrence';
import type { SlaTimer } from '#domain/sla/sla-timers';
import type { Dependencies } from '#handlers/dependencies';
import { invocation } from './invocation';
import { RecurringLoop } from './recurring-loop';

type TimerHandler = (event: SlaTimer, context: object) => Promise<unknown>;

/** When a round runs the relay: once its minute of the stack's clock came due (as Scheduler's `rate(1 minute)`), or now. */
export type RelayRun = 'when-due' | 'now';

/**
 * The local stand-in for EventBridge Scheduler and the relay's schedule: on
 * the stack's clock, each round hands every timer that came due to the same
 * timer handler Lambda runs, at its instant, and deletes it once handled (a
 * failure leaves it for the next round, as Scheduler retries); then the relay
 * runs, once a minute. Rounds never overlap.
 */
export class TimerLoop {
  private running: Promise<void> = Promise.resolve();
  private interval: NodeJS.Timeout | undefined;
  private timer: Promise<TimerHandler> | undefined;
  private readonly relay: RecurringLoop;

  constructor(
    private readonly scheduler: LocalTimerScheduler,
    private readonly deps: Dependencies,
    private readonly log: (line: string) => void = (line) => console.error(line),
  ) {
    this.relay = new RecurringLoop('relay', RECURRING.relay, () => import('#handlers/timer/deliver-alerts').then((m) => m.handler as never), deps, log);
  }

  start(everyMs = 1_000): void {
    this.interval = setInterval(() => void this.runDue(), everyMs);
    this.interval.unref();
  }

  /** Runs one round, after any round already under way. */
  runDue(relay: RelayRun = 'when-due'): Promise<void> {
    this.running = this.running.then(() => this.round(relay)).catch((error: unknown) => this.log(`timer loop: ${String(error)}`));
    return this.running;
  }

  async stop(): Promise<void> {
    clearInterval(this.interval);
    await this.running;
  }

  private async round(relay: RelayRun): Promise<void> {
    this.timer ??= import('#handlers/timer/sla-timer').then((m) => m.handler as unknown as TimerHandler);
    const timer = await this.timer;
    for (const due of await this.scheduler.due(this.deps.now())) {
      try {
        await timer(due, invocation('timer', this.deps));
        await this.scheduler.completed(due);
      } catch (error) {
        this.log(`timer ${due.ticketId} ${due.kind} failed, retrying next round: ${String(error)}`);
      }
    }
    await (relay === 'now' ? this.relay.runNow() : this.relay.runIfDue());
  }
}
