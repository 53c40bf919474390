import type * as z from 'zod/mini';
import { approvedQuarters, billableAmount, CONSULTANCY_SERVICES, type ConsultancyRequest, loggedQuarters } from '../../domain/consultancy/consultancy';
import { hoursOf } from '../../domain/consultancy/hours';
import { formatAmount, type Rate } from '../../domain/consultancy/money';
import { type BillableEntry, type BillableTotal, totalLine } from '../../domain/consultancy/statement';
import { type NameOf, namesOf, type PersonStore } from '../../domain/people/people';
import type { Actor } from '../../domain/actor';
import type { ConsultancyMonthResponse, ConsultancyResponse } from './responses';

/** How instants read: the contract calendar's local time with its offset. */
type Clock = { iso(t: number): string };

/** What a view needs to name people: the calendar, and the person records. */
type Readers = { readonly calendar: Clock; readonly people: Pick<PersonStore, 'people'> };

/** A rate as finance reads it: major units as a decimal string, and its currency. */
export const rateView = (rate: Rate) => ({ hourly: formatAmount(rate.hourly, rate.currency), currency: rate.currency });

const actView = (act: { at: number; by: string; reason?: string }, calendar: Clock, name: NameOf) => ({
  at: calendar.iso(act.at),
  by: act.by,
  byName: name(act.by),
  ...(act.reason ? { reason: act.reason } : {}),
});

/** Everyone a request names: who proposed, approved or decided it, asked for more hours, logged time. */
function actorsOf(request: ConsultancyRequest): string[] {
  const acts = [request.proposed, request.approval, request.decision, ...request.increases.flatMap((i) => [i.requested, i.decided]), ...request.entries.map((e) => e.logged)];
  return acts.flatMap((act) => (act ? [act.by] : []));
}

/** Requests as `reader` is shown them, with the names of the people in them read in one go. */
export async function consultancyViews(requests: readonly ConsultancyRequest[], reader: Pick<Actor, 'role'>, deps: Readers): Promise<z.infer<typeof ConsultancyResponse>[]> {
  const name = await namesOf(deps.people, requests.flatMap(actorsOf), reader);
  return requests.map((request) => view(request, deps.calendar, name));
}

export const consultancyView = async (request: ConsultancyRequest, reader: Pick<Actor, 'role'>, deps: Readers) => (await consultancyViews([request], reader, deps))[0]!;

function view(request: ConsultancyRequest, calendar: Clock, name: NameOf): z.infer<typeof ConsultancyResponse> {
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
    proposed: actView(request.proposed, calendar, name),
    approval: request.approval ? { ...actView(request.approval, calendar, name), hours: hoursOf(request.approval.quarters), rate: rateView(request.approval.rate) } : null,
    decision: request.decision ? actView(request.decision, calendar, name) : null,
    increases: request.increases.map((i) => ({
      n: i.n,
      hours: hoursOf(i.quarters),
      reason: i.reason,
      status: i.status,
      requested: actView(i.requested, calendar, name),
      decided: i.decided ? actView(i.decided, calendar, name) : null,
    })),
    entries: request.entries.map((e) => ({ id: e.id, hours: hoursOf(e.quarters), date: e.date, note: e.note, logged: actView(e.logged, calendar, name) })),
    approvedHours: hoursOf(approved),
    loggedHours: hoursOf(logged),
    remainingHours: hoursOf(Math.max(0, approved - logged)),
    billable: request.approval ? { amount: formatAmount(billableAmount(request), request.approval.rate.currency), currency: request.approval.rate.currency } : null,
    version: request.version,
  };
}

export async function monthView(
  month: string,
  statement: { entries: BillableEntry[]; totals: BillableTotal[] },
  reader: Pick<Actor, 'role'>,
  deps: Readers,
): Promise<z.infer<typeof ConsultancyMonthResponse>> {
  const { calendar } = deps;
  const name = await namesOf(
    deps.people,
    statement.entries.map((e) => e.logged.by),
    reader,
  );
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
      logged: actView(e.logged, calendar, name),
      rate: rateView(e.rate),
    })),
    totals: statement.totals.map(totalLine),
  };
}
