import { ConflictException, CreateScheduleCommand, DeleteScheduleCommand, ResourceNotFoundException, SchedulerClient, UpdateScheduleCommand } from '@aws-sdk/client-scheduler';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { ensureTable } from '../../bin/local/dynamodb-local';
import { createDocumentClient } from '#adapters/dynamodb/client';
import { DynamoCustomerStore } from '#adapters/dynamodb/dynamo-customer-store';
import { DynamoPersonStore } from '#adapters/dynamodb/dynamo-person-store';
import { DynamoTicketStore } from '#adapters/dynamodb/dynamo-ticket-store';
import { DynamoIdempotencyStore } from '#adapters/dynamodb/dynamo-idempotency-store';
import { withCorrelationId } from '#adapters/correlation';
import { atExpression, EventBridgeTimerScheduler } from '#adapters/scheduler/eventbridge-timer-scheduler';
import { danishCalendar } from '#domain/calendar/danish-calendar';
import { parseInstant } from '#domain/instant';
import { SlaTimerService } from '#domain/sla/sla-timer-service';
import type { SlaTimer } from '#domain/sla/sla-timers';
import type { Actor } from '#domain/actor';
import { TicketService } from '#domain/tickets/ticket-service';

const scheduler = mockClient(SchedulerClient);
const config = {
  groupName: 'sla-desk-dev',
  targetArn: 'arn:aws:lambda:eu-north-1:123456789012:function:sla-timer',
  roleArn: 'arn:aws:iam::123456789012:role/sla-scheduler',
  deadLetterQueueArn: 'arn:aws:sqs:eu-north-1:123456789012:sla-timer-dlq',
};
const timers = new EventBridgeTimerScheduler(new SchedulerClient({ region: 'eu-north-1' }), config);
const breach: SlaTimer = { ticketId: 'ACME-42', customerId: 'ACME', kind: 'breach', dueAt: '2026-06-08T06:30:00.000Z' };
const notFound = () => new ResourceNotFoundException({ message: 'gone', Message: 'gone', $metadata: {} });

/** What each call sent, in order, as `Command name`. */
const sequence = () =>
  scheduler.calls().map((call) => {
    const command = call.args[0] as { constructor: { name: string }; input: { Name?: string } };
    return `${command.constructor.name.replace(/ScheduleCommand$/, '')} ${command.input.Name}`;
  });

beforeEach(() => scheduler.reset());

describe('EventBridge Scheduler timers', () => {
  it('sends the exact CreateSchedule request: the name carries the deadline, the SDK makes the token', async () => {
    scheduler.on(CreateScheduleCommand).resolves({ ScheduleArn: 'arn' });
    await timers.schedule([breach]);
    const calls = scheduler.commandCalls(CreateScheduleCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.args[0].input).toStrictEqual({
      Name: 'sla-ACME-42-breach-20260608T063000000Z',
      GroupName: 'sla-desk-dev',
      Description: 'first-response breach for ACME-42 at 2026-06-08T06:30:00.000Z',
      ScheduleExpression: 'at(2026-06-08T06:30:00)',
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'DELETE',
      Target: {
        Arn: config.targetArn,
        RoleArn: config.roleArn,
        Input: '{"ticketId":"ACME-42","customerId":"ACME","kind":"breach","dueAt":"2026-06-08T06:30:00.000Z"}',
        RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86400 },
        DeadLetterConfig: { Arn: config.deadLetterQueueArn },
      },
    });
  });

  it("carries the correlation id of the request that armed it in the input, for the timer function's logs", async () => {
    scheduler.on(CreateScheduleCommand).resolves({ ScheduleArn: 'arn' });
    await withCorrelationId('req-7f3a', () => timers.schedule([breach]));
    await withCorrelationId('req-other', () => timers.schedule([{ ...breach, rearmed: 2, correlationId: 'req-first' }]));
    const inputs = scheduler.commandCalls(CreateScheduleCommand).map((call) => call.args[0].input.Target!.Input);
    expect(inputs).toStrictEqual([
      '{"ticketId":"ACME-42","customerId":"ACME","kind":"breach","dueAt":"2026-06-08T06:30:00.000Z","correlationId":"req-7f3a"}',
      '{"ticketId":"ACME-42","customerId":"ACME","kind":"breach","dueAt":"2026-06-08T06:30:00.000Z","rearmed":2,"correlationId":"req-first"}',
    ]);
  });

  it('a re-armed timer has a name and input of its own', async () => {
    scheduler.on(CreateScheduleCommand).resolves({ ScheduleArn: 'arn' });
    await timers.schedule([{ ...breach, rearmed: 1 }]);
    const input = scheduler.commandCalls(CreateScheduleCommand)[0]!.args[0].input;
    expect(input.Name).toBe('sla-ACME-42-breach-20260608T063000000Z-r1');
    expect(JSON.parse(input.Target!.Input!)).toEqual({ ...breach, rearmed: 1 });
  });

  it('the same timer armed again (a retried request) is brought in line with UpdateSchedule', async () => {
    scheduler.on(CreateScheduleCommand).rejects(new ConflictException({ message: 'exists', Message: 'exists', $metadata: {} }));
    scheduler.on(UpdateScheduleCommand).resolves({ ScheduleArn: 'arn' });
    await timers.schedule([breach]);
    const update = scheduler.commandCalls(UpdateScheduleCommand)[0]!.args[0].input;
    expect(update).toMatchObject({ Name: 'sla-ACME-42-breach-20260608T063000000Z', ScheduleExpression: 'at(2026-06-08T06:30:00)', ActionAfterCompletion: 'DELETE' });
    expect(update).not.toHaveProperty('ClientToken');
  });

  it('passes other failures on, so the caller can retry', async () => {
    scheduler.on(CreateScheduleCommand).rejects(new Error('throttled'));
    await expect(timers.schedule([breach])).rejects.toThrow('throttled');
  });

  it('deletes the named timers; one already gone counts as deleted', async () => {
    const warning: SlaTimer = { ...breach, kind: 'warning', dueAt: '2026-06-08T06:15:00.000Z' };
    scheduler
      .on(DeleteScheduleCommand, { Name: 'sla-ACME-42-warning-20260608T061500000Z' })
      .rejects(notFound())
      .on(DeleteScheduleCommand, { Name: 'sla-ACME-42-breach-20260608T063000000Z' })
      .resolves({});
    await timers.cancel([warning, breach]);
    expect(scheduler.commandCalls(DeleteScheduleCommand).map((c) => c.args[0].input)).toStrictEqual([
      { Name: 'sla-ACME-42-warning-20260608T061500000Z', GroupName: 'sla-desk-dev' },
      { Name: 'sla-ACME-42-breach-20260608T063000000Z', GroupName: 'sla-desk-dev' },
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

describe('request sequences of the ticket use cases on Scheduler (tickets on DynamoDB Local)', () => {
  const db = createDocumentClient({ endpoint: inject('dynamoEndpoint') });
  const table = `sched${Date.now().toString(36)}`;
  const calendar = danishCalendar();
  let now = parseInstant('2026-11-24T08:00:00+01:00');
  const store = new DynamoTicketStore(db, table);
  const sla = new SlaTimerService({ store, customers: new DynamoCustomerStore(db, table), scheduler: timers, calendar, now: () => now, onCall: ['oncall@provider.example'] });
  const tickets = new TicketService({
    inHypercare: () => false,
    store,
    idempotency: new DynamoIdempotencyStore(db, table),
    customers: new DynamoCustomerStore(db, table),
    people: new DynamoPersonStore(db, table),
    calendar,
    now: () => now,
    timers: sla,
  });
  const customer: Actor = { subject: 'u', role: 'customer', customerId: 'ACME' };
  const agent: Actor = { subject: 'a', role: 'agent' };
  const newTicket = { title: 't', description: 'd', category: 'other' as const };

  beforeAll(() => ensureTable(inject('dynamoEndpoint'), table));
  afterAll(() => db.destroy());
  beforeEach(() => {
    scheduler.on(CreateScheduleCommand).resolves({ ScheduleArn: 'arn' }).on(DeleteScheduleCommand).resolves({});
    now = parseInstant('2026-11-24T08:00:00+01:00');
  });

  it('high → medium → high: each deadline gets its own schedules, created before the old ones are deleted, no token reused', async () => {
    // Opened Tuesday 08:00. High: warning 11:00, breach 12:00. Medium: warning 14:00, breach 16:00.
    const { view } = await tickets.create(customer, { ...newTicket, priority: 'high' });
    now += 60_000;
    await tickets.update(agent, view.id, { priority: 'medium' });
    now += 60_000;
    await tickets.update(agent, view.id, { priority: 'high' });
    const id = view.id;
    const high = [`sla-${id}-warning-20261124T100000000Z`, `sla-${id}-breach-20261124T110000000Z`];
    const medium = [`sla-${id}-warning-20261124T130000000Z`, `sla-${id}-breach-20261124T150000000Z`];
    expect(sequence()).toStrictEqual([
      ...high.map((n) => `Create ${n}`),
      ...medium.map((n) => `Create ${n}`),
      ...high.map((n) => `Delete ${n}`),
      // Back at high: created afresh (the first ones are gone), then medium's are deleted.
      ...high.map((n) => `Create ${n}`),
      ...medium.map((n) => `Delete ${n}`),
    ]);
    for (const call of scheduler.commandCalls(CreateScheduleCommand)) expect(call.args[0].input).not.toHaveProperty('ClientToken');
    expect(scheduler.commandCalls(UpdateScheduleCommand)).toHaveLength(0);
  });

  it('a timer that fires early re-arms its deadline under a new name, never the one deleting itself', async () => {
    // Highest, opened Tuesday 08:00: breach at 09:00 (08:00Z).
    const { view } = await tickets.create(customer, { ...newTicket, priority: 'highest' });
    scheduler.resetHistory();
    const own: SlaTimer = { ticketId: view.id, customerId: 'ACME', kind: 'breach', dueAt: '2026-11-24T08:00:00.000Z' };
    // The function's clock lags Scheduler's: the firing arrives half a second before the deadline.
    now = parseInstant('2026-11-24T08:59:59.500+01:00');
    expect(await sla.fire(own)).toStrictEqual({ action: 'reschedule', timer: { ...own, rearmed: 1 } });
    expect(await sla.fire({ ...own, rearmed: 1 })).toStrictEqual({ action: 'reschedule', timer: { ...own, rearmed: 2 } });
    // A stale timer of another deadline arms the current deadline under its plain name.
    await sla.fire({ ...own, dueAt: '2026-11-24T07:30:00.000Z' });
    expect(sequence()).toStrictEqual([
      `Create sla-${view.id}-breach-20261124T080000000Z-r1`,
      `Create sla-${view.id}-breach-20261124T080000000Z-r2`,
      `Create sla-${view.id}-breach-20261124T080000000Z`,
    ]);
    expect(JSON.parse(scheduler.commandCalls(CreateScheduleCommand)[0]!.args[0].input.Target!.Input!)).toStrictEqual({ ...own, rearmed: 1 });
  });
});
