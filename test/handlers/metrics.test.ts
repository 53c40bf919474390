import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SesEmailSender } from '#adapters/notifier/ses-email-sender';
import { observedSender, publishMetrics } from '#handlers/observability';
import { handler as monthlyReport } from '#handlers/timer/monthly-report';
import { probeTarget } from '../support/probe-target';
import { invocation } from '../../bin/local/invocation';
import { aTicket, type Cast, castOf, startTestStack, type TestStack } from '../support/test-stack';
import { captureOutput, emfOf, metricsOn } from './captured-output';

/**
 * The metrics contract, read back from the EMF lines the functions print: the
 * local stack runs the same handlers, with metrics switched on here.
 */
let restoreMetrics: () => void;
let stack: TestStack;
let tokens: Cast;
let web: Awaited<ReturnType<typeof probeTarget>>;
let output: ReturnType<typeof captureOutput>;

const at = (instant: string) => stack.at.set(instant);
/** Wednesday 1 July 2026, the month's first business day, Copenhagen time. */
const july1 = (time: string) => `2026-07-01T${time}+02:00`;

beforeAll(async () => {
  restoreMetrics = metricsOn();
  web = await probeTarget('web');
  stack = await startTestStack({ clockStart: july1('08:00:00'), probeTargets: [web.target] });
  tokens = await castOf(stack);
  output = captureOutput();
  try {
    // Tickets: one opened and replayed with its Idempotency-Key, one Highest that is warned and breaches.
    const headers = { 'idempotency-key': 'metrics-1' };
    const first = await stack.call('POST', '/tickets', { token: tokens.acme, body: aTicket({ priority: 'high' }), headers });
    const replay = await stack.call('POST', '/tickets', { token: tokens.acme, body: aTicket({ priority: 'high' }), headers });
    expect([first.status, replay.status, replay.headers.get('idempotent-replayed')]).toEqual([201, 201, 'true']);
    expect((await stack.call('POST', '/tickets', { token: tokens.acme, body: aTicket({ priority: 'highest' }) })).status).toBe(201);
    // The probe every 5 minutes from 08:00 to 09:00: web answers for the first ten slots, then fails.
    for (let minute = 0; minute <= 60; minute += 5) {
      at(july1(`${String(8 + Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}:30`));
      web.answer(minute >= 50 ? 503 : 200);
      await stack.runProbe();
      // The first response, 30½ business minutes after the opening.
      if (minute === 30) expect((await stack.call('POST', `/tickets/${first.body.id}/comments`, { token: tokens.agent, body: { body: 'Looking at it', visibility: 'public' } })).status).toBe(201);
      await stack.runTimers();
    }
    // Last month's report, as the report function makes it when finance asks.
    expect(await monthlyReport({ month: '2026-06', by: 'finance-1', reason: 'metrics test' }, invocation('report', stack.dependencies))).toEqual({ version: 1 });
  } finally {
    output.stop();
  }
});

afterAll(async () => {
  await stack.stop();
  await web.close();
  restoreMetrics();
});

describe('metrics (EMF) as the contract lists them', () => {
  it('every metric is in the stage namespace with the single dimension service', () => {
    const { declared } = emfOf(output.json());
    expect(declared.length).toBeGreaterThan(0);
    for (const d of declared)
      expect({ namespace: d.namespace, dimensions: d.dimensions, service: d.service }, d.name).toEqual({ namespace: 'sla-desk/test', dimensions: [['service']], service: 'sla-desk' });
  });

  it('TicketsOpened counts new tickets, not an idempotent replay', () => {
    expect(emfOf(output.json()).values('TicketsOpened')).toEqual([1, 1]);
  });

  it('FirstResponseBusinessMinutes is the business minutes from opening to the first response', () => {
    const emf = emfOf(output.json());
    // Opened at 08:00:00, answered at 08:30:30.
    expect(emf.values('FirstResponseBusinessMinutes')).toEqual([30.5]);
    expect(emf.declared.find((d) => d.name === 'FirstResponseBusinessMinutes')?.unit).toBe('Count');
  });

  it('SlaWarnings and SlaBreaches count what the timer function recorded (the sweep found nothing left)', () => {
    const emf = emfOf(output.json());
    expect([emf.sum('SlaWarnings'), emf.sum('SlaBreaches'), emf.sum('SweptBreaches')]).toEqual([1, 1, 0]);
  });

  it('AlertDeliveryAttempts counts each channel delivery; none failed; AlertsFailed is gone', () => {
    const emf = emfOf(output.json());
    // The Highest ticket's warning and breach, each by email and SNS (4); the tickets' own emails: each received and,
    // High and Highest, urgent to on-call (4), and the first ticket's public reply (1).
    expect([emf.sum('AlertDeliveryAttempts'), emf.sum('AlertDeliveryFailures'), emf.values('AlertsFailed')]).toEqual([9, 0, []]);
    expect(emf.values('OldestPendingAlertAge').length).toBeGreaterThan(0);
  });

  it('ProbeFailures counts the samples that found a target down; none went missing', () => {
    const emf = emfOf(output.json());
    // web failed at 08:50, 08:55 and 09:00.
    expect([emf.sum('ProbeFailures'), emf.sum('ProbeSamplesMissing'), emf.values('ProbeFailures').length]).toEqual([3, 0, 13]);
  });

  it("AvailabilityMonthToDate is the lowest target's month to date, computed once an hour", () => {
    const emf = emfOf(output.json());
    // At 08:00 nothing had ended yet; at 09:00 web was up in 10 of the 12 slots, the API in all.
    expect(emf.values('AvailabilityMonthToDate')).toEqual([(100 * 10) / 12]);
    expect(emf.declared.find((d) => d.name === 'AvailabilityMonthToDate')?.unit).toBe('Percent');
  });

  it('ReportGenerationTime is measured per generated report, in milliseconds', () => {
    const emf = emfOf(output.json());
    expect(emf.values('ReportGenerationTime')).toHaveLength(1);
    expect(emf.values('ReportGenerationTime')[0]).toBeGreaterThanOrEqual(0);
    expect(emf.declared.find((d) => d.name === 'ReportGenerationTime')?.unit).toBe('Milliseconds');
  });

  it("AlertDeliveryFailures counts a channel that refused, and the failure log shows the recipient's domain only", async () => {
    const ses = mockClient(SESv2Client);
    ses.on(SendEmailCommand).rejects(Object.assign(new Error('Email address is not verified: ops.lead@customer.example'), { name: 'MessageRejected' }));
    const sender = observedSender(new SesEmailSender(new SESv2Client({ region: 'eu-north-1' }), { fromAddress: 'alerts@sla-desk.example' }));
    const failing = captureOutput();
    try {
      await expect(
        sender.send({
          id: 'ACME-9:breach:email',
          channel: 'email',
          kind: 'breach',
          about: { type: 'ticket', id: 'ACME-9' },
          hypercare: false,
          subject: 's',
          body: 'b',
          recipients: ['ops.lead@customer.example'],
          correlationId: 'req-9',
        }),
      ).rejects.toThrow('not verified');
      publishMetrics();
    } finally {
      failing.stop();
      ses.restore();
    }
    const emf = emfOf(failing.json());
    expect([emf.sum('AlertDeliveryAttempts'), emf.sum('AlertDeliveryFailures')]).toEqual([1, 1]);
    const warning = failing.json().find((line) => line.message === 'alert not accepted; it stays queued');
    expect(warning).toMatchObject({ correlation_id: 'req-9', alert: 'ACME-9:breach:email', error: { name: 'MessageRejected', message: 'Email address is not verified: …@customer.example' } });
    expect(failing.lines.join('\n')).not.toContain('ops.lead@');
  });
});
