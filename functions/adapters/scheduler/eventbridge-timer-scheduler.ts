import {
  ConflictException,
  CreateScheduleCommand,
  type CreateScheduleCommandInput,
  DeleteScheduleCommand,
  ResourceNotFoundException,
  type SchedulerClient,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';
import { type SlaTimer, timerName } from '../../domain/sla/sla-timers';
import type { TimerScheduler } from '../../domain/sla/timer-scheduler';
import { correlated } from '../correlation';

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
    const { correlationId } = correlated(timer);
    return {
      Name: timerName(timer),
      GroupName: this.config.groupName,
      Description: `first-response ${timer.kind} for ${timer.ticketId} at ${timer.dueAt}`,
      ScheduleExpression: atExpression(timer.dueAt),
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'DELETE',
      // No ClientToken: the SDK makes one per call and reuses it across its own retries. A fixed
      // token would let Scheduler answer a later, different arming with an earlier cached success.
      Target: {
        Arn: this.config.targetArn,
        RoleArn: this.config.roleArn,
        Input: JSON.stringify({
          ticketId: timer.ticketId,
          customerId: timer.customerId,
          kind: timer.kind,
          dueAt: timer.dueAt,
          ...(timer.rearmed ? { rearmed: timer.rearmed } : {}),
          ...(correlationId ? { correlationId } : {}),
        }),
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
          // This very timer is armed already (a retried request): make sure it matches.
          if (!(error instanceof ConflictException)) throw error;
          await this.client.send(new UpdateScheduleCommand(request));
        }
      }),
    );
  }

  async cancel(timers: readonly SlaTimer[]): Promise<void> {
    await Promise.all(
      timers.map(async (timer) => {
        try {
          await this.client.send(new DeleteScheduleCommand({ Name: timerName(timer), GroupName: this.config.groupName }));
        } catch (error) {
          if (!(error instanceof ResourceNotFoundException)) throw error;
        }
      }),
    );
  }
}
