import type { TimerScheduler } from '../../domain/sla/timer-scheduler';
import { type Config, required } from '../config';
import type { Factories } from '../dependencies';
import { traced } from '../observability';

/**
 * EventBridge Scheduler, for the functions that arm timers; only they bundle its client,
 * loaded on first use so a cold start that arms nothing does not evaluate it.
 */
export async function awsScheduler(config: Config): Promise<TimerScheduler> {
  const [{ SchedulerClient }, { EventBridgeTimerScheduler }] = await Promise.all([import('@aws-sdk/client-scheduler'), import('../../adapters/scheduler/eventbridge-timer-scheduler')]);
  return new EventBridgeTimerScheduler(traced(new SchedulerClient({})), {
    groupName: required(config.SCHEDULE_GROUP, 'SCHEDULE_GROUP'),
    targetArn: required(config.TIMER_TARGET_ARN, 'TIMER_TARGET_ARN'),
    roleArn: required(config.SCHEDULER_ROLE_ARN, 'SCHEDULER_ROLE_ARN'),
    deadLetterQueueArn: required(config.TIMER_DLQ_ARN, 'TIMER_DLQ_ARN'),
  });
}

/** What a function that arms, replaces or cancels SLA timers passes to `dependencies`. */
export const ARMS_TIMERS: Factories = { scheduler: awsScheduler };
