import type * as z from 'zod/mini';
import { approvedQuarters, billableAmount, CONSULTANCY_SERVICES, type ConsultancyRequest, loggedQuarters } from '../../domain/consultancy/consultancy';
import { hoursOf } from '../../domain/consultancy/hours';
import { formatAmount, type Rate } from '../../domain/consultancy/money';
import { type BillableEntry, type BillableTotal, totalLine } from '../../domain/consultancy/statement';
import type { ConsultancyMonthResponse, ConsultancyResponse } from './responses';

/** How instants read: the contract calendar's local time with its offset. */
type Clock = { iso(t: number): string };

/** A rate as finance reads it: major units as a decimal string, and its currency. */
export const rateView = (rate: Rate) => ({ hourly: formatAmount(rate.hourly, rate.currency), currency: rate.currency });

const actView = (act: { at: number; by: string; reason?: string }, calendar: Clock) => ({ at: calendar.iso(act.at), by: act.by, ...(act.reason ? { reason: act.reason } : {}) });

export function consultancyView(request: ConsultancyRequest, calendar: Clock): z.infer<typeof ConsultancyResponse> {
  const approved = approvedQuarters(request);
  const logged = loggedQuarters(request);
  return {
    id: request.id,
    customerId: request.customerId,
    service: request.service,
    serviceName: CONSULTANCY_SERVICES[request.service],
    description: request.description,
    estimateHours: hoursOf(request.estimateQuarters),
    ticketId: request.ticketId ?? null,
    status: request.status,
    proposed: actView(request.proposed, calendar),
    approval: request.approval ? { at: calendar.iso(request.approval.at), by: request.approval.by, hours: hoursOf(request.approval.quarters), rate: rateView(request.approval.rate) } : null,
    decision: request.decision ? actView(request.decision, calendar) : null,
    increases: request.increases.map((i) => ({
      n: i.n,
      hours: hoursOf(i.quarters),
      reason: i.reason,
      status: i.status,
      requested: actView(i.requested, calendar),
      decided: i.decided ? actView(i.decided, calendar) : null,
    })),
    entries: request.entries.map((e) => ({ id: e.id, hours: hoursOf(e.quarters), date: e.date, note: e.note, logged: actView(e.logged, calendar) })),
    approvedHours: hoursOf(approved),
    loggedHours: hoursOf(logged),
    remainingHours: hoursOf(Math.max(0, approved - logged)),
    billable: request.approval ? { amount: formatAmount(billableAmount(request), request.approval.rate.currency), currency: request.approval.rate.currency } : null,
    version: request.version,
  };
}

export function monthView(month: string, statement: { entries: BillableEntry[]; totals: BillableTotal[] }, calendar: Clock): z.infer<typeof ConsultancyMonthResponse> {
  return {
    month,
    entries: statement.entries.map((e) => ({
      requestId: e.requestId,
      id: e.id,
      customerId: e.customerId,
      service: e.service,
      date: e.date,
      hours: hoursOf(e.quarters),
      note: e.note,
      logged: actView(e.logged, calendar),
      rate: rateView(e.rate),
    })),
    totals: statement.totals.map(totalLine),
  };
}
