import { storedTicket } from '../../support/stored-ticket';
import { describe, expect, it } from 'vitest';
import { danishCalendar } from '#domain/calendar/danish-calendar';
import { parseInstant } from '#domain/instant';
import { ComplianceTally, outcomeAsOf } from '#domain/reports/sla-compliance';

const calendar = danishCalendar();
const at = parseInstant;
const MONTH_END = at('2026-12-01T00:00:00+01:00');

describe("the monthly report's first-response minutes", () => {
  it('a response 90.6 business minutes after the clock started reports 90: whole minutes, floored', () => {
    // Monday 2 November 2026, 09:00 CET; answered at 10:30:36, 36 seconds into the 91st minute.
    const ticket = storedTicket(at('2026-11-02T09:00:00+01:00'), {
      firstResponseDueAt: at('2026-11-02T13:00:00+01:00'),
      firstRespondedAt: at('2026-11-02T10:30:36+01:00'),
      updatedAt: at('2026-11-02T10:30:36+01:00'),
      version: 2,
    });
    const outcome = outcomeAsOf(ticket, MONTH_END, calendar);
    expect(outcome.firstResponseMinutes).toBeCloseTo(90.6, 10);
    const tally = new ComplianceTally();
    tally.add(outcome);
    const { total, byCustomer } = tally.result();
    expect([total.medianFirstResponseMinutes, total.p90FirstResponseMinutes]).toEqual([90, 90]);
    expect(byCustomer[0]).toMatchObject({ customerId: 'ACME', medianFirstResponseMinutes: 90, p90FirstResponseMinutes: 90 });
  });
});
