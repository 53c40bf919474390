import { ConflictException, CreateScheduleCommand, DeleteScheduleCommand, ResourceNotFoundException, SchedulerClient, UpdateScheduleCommand } from '@aws-sdk/client-scheduler';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { atExpression, EventBridgeTimerScheduler } from '../../functions/adapters/scheduler/eventbridge-timer-scheduler';
import type { SlaTimer } from '../../functions/domain/sla/sla-timers';

const scheduler = mockClient(SchedulerClient);
const config = {
  groupName: 'sla-desk-dev',
  targetArn: 'arn:aws:lambda:eu-north-1:123456789012:function:sla-timer',
  roleArn: 'arn:aws:iam::123456789012:role/sla-scheduler',
  deadLetterQueueArn: 'arn:aws:sqs:eu-north-1:123456789012:sla-timer-dlq',
};
const timers = new EventBridgeTimerScheduler(new SchedulerClient({ region: 'eu-north-1' }), config);
const breach: SlaTimer = { ticketId: 'ACME-42', customerId: 'ACME', kind: 'breach', dueAt: '2026-06-08T06:30:00.000Z' };

beforeEach(() => scheduler.reset());

describe('EventBridge Scheduler timers', () => {
  it('sends the exact CreateSchedule request', async () => {
    scheduler.on(CreateScheduleCommand).resolves({ ScheduleArn: 'arn' });
    await timers.schedule([breach]);
    const calls = scheduler.commandCalls(CreateScheduleCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.args[0].input).toEqual({
      Name: 'sla-ACME-42-breach',
      GroupName: 'sla-desk-dev',
      Description: 'first-response breach for ACME-42 at 2026-06-08T06:30:00.000Z',
      ScheduleExpression: 'at(2026-06-08T06:30:00)',
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'DELETE',
      ClientToken: expect.stringMatching(/^[0-9a-f]{64}$/),
      Target: {
        Arn: config.targetArn,
        RoleArn: config.roleArn,
        Input: '{"ticketId":"ACME-42","customerId":"ACME","kind":"breach","dueAt":"2026-06-08T06:30:00.000Z"}',
        RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86400 },
        DeadLetterConfig: { Arn: config.deadLetterQueueArn },
      },
    });
  });

  it('replaces a timer that already exists (a priority change) with UpdateSchedule', async () => {
    scheduler.on(CreateScheduleCommand).rejects(new ConflictException({ message: 'exists', Message: 'exists', $metadata: {} }));
    scheduler.on(UpdateScheduleCommand).resolves({ ScheduleArn: 'arn' });
    await timers.schedule([{ ...breach, dueAt: '2026-06-08T09:30:00.000Z' }]);
    const update = scheduler.commandCalls(UpdateScheduleCommand)[0]!.args[0].input;
    expect(update).toMatchObject({ Name: 'sla-ACME-42-breach', GroupName: 'sla-desk-dev', ScheduleExpression: 'at(2026-06-08T09:30:00)', ActionAfterCompletion: 'DELETE' });
  });

  it('passes other failures on, so the caller can retry', async () => {
    scheduler.on(CreateScheduleCommand).rejects(new Error('throttled'));
    await expect(timers.schedule([breach])).rejects.toThrow('throttled');
  });

  it('deletes both timers of a ticket; one already gone counts as deleted', async () => {
    scheduler
      .on(DeleteScheduleCommand, { Name: 'sla-ACME-42-warning', GroupName: 'sla-desk-dev' })
      .rejects(new ResourceNotFoundException({ message: 'gone', Message: 'gone', $metadata: {} }))
      .on(DeleteScheduleCommand, { Name: 'sla-ACME-42-breach', GroupName: 'sla-desk-dev' })
      .resolves({});
    await timers.cancel('ACME-42');
    expect(scheduler.commandCalls(DeleteScheduleCommand).map((c) => c.args[0].input)).toEqual([
      { Name: 'sla-ACME-42-warning', GroupName: 'sla-desk-dev' },
      { Name: 'sla-ACME-42-breach', GroupName: 'sla-desk-dev' },
    ]);
  });

  it.each([
    ['2026-06-08T06:30:00.000Z', 'at(2026-06-08T06:30:00)'],
    ['2026-06-08T06:30:00.001Z', 'at(2026-06-08T06:31:00)'],
    ['2026-06-08T06:29:59.999Z', 'at(2026-06-08T06:30:00)'],
    ['2026-12-31T23:59:30.000Z', 'at(2027-01-01T00:00:00)'],
  ])('rounds %s up to the minute: %s (never early)', (dueAt, expression) => {
    expect(atExpression(dueAt)).toBe(expression);
  });
});
