import type { SlaTimer, TimerKind } from './sla-timers';

/** The port for SLA timers: EventBridge Scheduler on AWS, a local loop on one machine. */
export interface TimerScheduler {
  /** Creates or replaces each timer; the same ticket and kind always name the same timer. */
  schedule(timers: readonly SlaTimer[]): Promise<void>;
  /** Deletes a ticket's timers; a timer that is already gone counts as deleted. */
  cancel(ticketId: string, kinds?: readonly TimerKind[]): Promise<void>;
}
