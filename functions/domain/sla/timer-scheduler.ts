import type { SlaTimer } from './sla-timers';

/** The port for SLA timers: EventBridge Scheduler on AWS, a local loop on one machine. */
export interface TimerScheduler {
  /** Creates each timer; a timer of the same name (ticket, kind and deadline) already armed stays armed. */
  schedule(timers: readonly SlaTimer[]): Promise<void>;
  /** Deletes these timers; a timer that is already gone counts as deleted. */
  cancel(timers: readonly SlaTimer[]): Promise<void>;
}
