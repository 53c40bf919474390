import { createHash } from 'node:crypto';
import {
  ConflictException,
  CreateScheduleCommand,
  type CreateScheduleCommandInput,
  DeleteScheduleCommand,
  ResourceNotFoundException,
  type SchedulerClient,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';
import { type SlaTimer, TIMER_KINDS, type TimerKind, timerName } from '../../domain/sla/sla-timers';
import type { TimerScheduler } from '../../domain/sla/timer-scheduler';

export interface EventBridgeTimerSchedulerConfig {
  /** One schedule group per stage. */
  readonly groupName: string;
  /** The timer function. */
  readonly targetArn: string;
  /** The role Scheduler assumes; it may only invoke the timer function. */
  readonly roleArn: string;
  readonly deadLetterQueueArn: string;
}

const MINUTE = 60_000;

/** Scheduler fires to the minute: round up, so a timer never fires before its deadline. */
export function atExpression(dueAt: string): string {
  const minute = Math.ceil(Date.parse(dueAt) / MINUTE) * MINUTE;
  return `at(${new Date(minute).toISOString().slice(0, 19)})`;
}

/** One-time EventBridge Scheduler schedules that invoke the timer function with the timer as input. */
export class EventBridgeTimerScheduler implements TimerScheduler {
  constructor(
    private readonly client: SchedulerClient,
    private readonly config: EventBridgeTimerSchedulerConfig,
  ) {}

  request(timer: SlaTimer): CreateScheduleCommandInput {
    const name = timerName(timer.ticketId, timer.kind);
    return {
      Name: name,
      GroupName: this.config.groupName,
      Description: `first-response ${timer.kind} for ${timer.ticketId} at ${timer.dueAt}`,
      ScheduleExpression: atExpression(timer.dueAt),
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'DELETE',
      // The same timer retried gives the same token, so Scheduler does not create it twice.
      ClientToken: createHash('sha256').update(`${name}@${timer.dueAt}`).digest('hex').slice(0, 64),
      Target: {
        Arn: this.config.targetArn,
        RoleArn: this.config.roleArn,
        Input: JSON.stringify({ ticketId: timer.ticketId, customerId: timer.customerId, kind: timer.kind, dueAt: timer.dueAt }),
        RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86_400 },
        DeadLetterConfig: { Arn: this.config.deadLetterQueueArn },
      },
    };
  }

  async schedule(timers: readonly SlaTimer[]): Promise<void> {
    await Promise.all(
      timers.map(async (timer) => {
        const request = this.request(timer);
        try {
          await this.client.send(new CreateScheduleCommand(request));
        } catch (error) {
          // A timer of that name exists (a priority change): replace it.
          if (!(error instanceof ConflictException)) throw error;
          await this.client.send(new UpdateScheduleCommand(request));
        }
      }),
    );
  }

  async cancel(ticketId: string, kinds: readonly TimerKind[] = TIMER_KINDS): Promise<void> {
    await Promise.all(
      kinds.map(async (kind) => {
        try {
          await this.client.send(new DeleteScheduleCommand({ Name: timerName(ticketId, kind), GroupName: this.config.groupName }));
        } catch (error) {
          if (!(error instanceof ResourceNotFoundException)) throw error;
        }
      }),
    );
  }
}
