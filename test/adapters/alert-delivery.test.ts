import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { ensureTable } from '../../bin/local/dynamodb-local';
import { createDocumentClient } from '#adapters/dynamodb/client';
import { DynamoAlertOutbox } from '#adapters/dynamodb/dynamo-alert-outbox';
import { DynamoCustomerStore } from '#adapters/dynamodb/dynamo-customer-store';
import { DynamoTicketStore } from '#adapters/dynamodb/dynamo-ticket-store';
import { ChannelRouter } from '#adapters/notifier/channel-router';
import { SesEmailSender } from '#adapters/notifier/ses-email-sender';
import { SnsAlertPublisher } from '#adapters/notifier/sns-alert-publisher';
import { LocalTimerScheduler } from '#adapters/scheduler/local-timer-scheduler';
import { danishCalendar } from '#domain/calendar/danish-calendar';
import { parseInstant } from '#domain/instant';
import { AlertDelivery } from '#domain/notifications/alert-delivery';
import { SlaTimerService } from '#domain/sla/sla-timer-service';
import type { Actor } from '#domain/actor';
import { openedEvent, openTicket } from '#domain/tickets/ticket';

const ses = mockClient(SESv2Client);
const sns = mockClient(SNSClient);
const db = createDocumentClient({ endpoint: inject('dynamoEndpoint') });
const table = `alerts${Date.now().toString(36)}`;
const calendar = danishCalendar();
const store = new DynamoTicketStore(db, table);
const outbox = new DynamoAlertOutbox(db, table);
let now = parseInstant('2026-06-08T08:30:00+02:00');
const sender = new ChannelRouter({
  email: new SesEmailSender(new SESv2Client({ region: 'eu-north-1' }), { fromAddress: 'sla-desk@provider.example' }),
  sns: new SnsAlertPublisher(new SNSClient({ region: 'eu-north-1' }), { topicArn: 'arn:aws:sns:eu-north-1:123456789012:breaches' }),
});
const delivery = new AlertDelivery({ outbox, sender, now: () => now });
const timers = new SlaTimerService({
  store,
  customers: new DynamoCustomerStore(db, table),
  scheduler: new LocalTimerScheduler(db, table),
  calendar,
  now: () => now,
  onCall: ['oncall@provider.example'],
  delivery,
});
const customer: Actor = { subject: 'u', role: 'customer', customerId: 'ACME' };
let n = 0;

async function breachedTicket() {
  const ticket = openTicket(`ACME-${++n}`, 'ACME', { title: 't', description: 'd', category: 'other', priority: 'highest' }, customer, parseInstant('2026-06-04T15:30:00+02:00'), calendar);
  await store.create(ticket, openedEvent(ticket, customer));
  return { ticketId: ticket.id, customerId: 'ACME', kind: 'breach' as const, dueAt: new Date(ticket.firstResponseDueAt).toISOString() };
}

beforeAll(() => ensureTable(inject('dynamoEndpoint'), table));
afterAll(() => db.destroy());
beforeEach(() => {
  ses.reset();
  sns.reset();
});

describe('alerts survive failing SES and SNS calls, and are never sent twice', () => {
  it('a failing SNS publish keeps the alert queued; the relay sends it once later', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'e1' });
    sns.on(PublishCommand).rejectsOnce(new Error('SNS throttled')).resolves({ MessageId: 's1' });
    const timer = await breachedTicket();

    await timers.fire(timer);
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(1);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(1);
    expect((await outbox.pendingFor(timer.ticketId)).map((a) => a.message.channel)).toEqual(['sns']);
    // A failed alert waits its backoff, so it never crowds out newer ones.
    expect(await delivery.deliverPending()).toMatchObject({ sent: 0, failed: 0 });

    now += 60_000;
    expect(await delivery.deliverPending()).toMatchObject({ sent: 1, failed: 0 });
    expect(await delivery.deliverPending()).toMatchObject({ sent: 0 });
    await timers.fire(timer); // a duplicate firing after all is sent
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(1);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(2); // the failed try and the one that went through
    expect(await outbox.pendingFor(timer.ticketId)).toEqual([]);
  });

  it('a failing SES call keeps the email; concurrent relays still send it once', async () => {
    ses.on(SendEmailCommand).rejectsOnce(new Error('SES unavailable')).resolves({ MessageId: 'e2' });
    sns.on(PublishCommand).resolves({ MessageId: 's2' });
    const timer = await breachedTicket();
    await timers.fire(timer);
    expect((await outbox.pendingFor(timer.ticketId)).map((a) => a.message.channel)).toEqual(['email']);

    now += 60_000;
    await Promise.all(Array.from({ length: 6 }, () => delivery.deliverFor(timer.ticketId)));
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(2); // one failed, one accepted
    expect(sns.commandCalls(PublishCommand)).toHaveLength(1);
    expect(await outbox.pendingFor(timer.ticketId)).toEqual([]);
  });

  it('the breach itself is recorded even when every channel fails, and delivered when they recover', async () => {
    ses.on(SendEmailCommand).rejects(new Error('down'));
    sns.on(PublishCommand).rejects(new Error('down'));
    const timer = await breachedTicket();
    await timers.fire(timer);
    expect((await store.get(timer.ticketId))?.breachedAt).toBe(now);
    expect(await outbox.pendingFor(timer.ticketId)).toHaveLength(2);

    ses.reset();
    sns.reset();
    ses.on(SendEmailCommand).resolves({ MessageId: 'e3' });
    sns.on(PublishCommand).resolves({ MessageId: 's3' });
    now += 60_000;
    await delivery.deliverFor(timer.ticketId);
    expect([ses.commandCalls(SendEmailCommand).length, sns.commandCalls(PublishCommand).length]).toEqual([1, 1]);
  });

  it('the age of the oldest undelivered alert is what the alarm watches: it grows while channels fail, and is 0 once all went out', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'e4' });
    sns.on(PublishCommand).resolves({ MessageId: 's4' });
    await delivery.deliverPending();
    expect(await delivery.oldestPendingAge()).toBe(0);

    ses.reset();
    ses.on(SendEmailCommand).rejects(new Error('SES down'));
    const queuedAt = now;
    await timers.fire(await breachedTicket());
    now = queuedAt + 7 * 60_000;
    await delivery.deliverPending();
    // Retried and failed again: the age counts from when the alert was queued, not from its last attempt.
    expect(await delivery.oldestPendingAge()).toBe(7 * 60_000);

    ses.reset();
    ses.on(SendEmailCommand).resolves({ MessageId: 'e5' });
    now += 60 * 60_000;
    await delivery.deliverPending();
    expect(await delivery.oldestPendingAge()).toBe(0);
  });
});
