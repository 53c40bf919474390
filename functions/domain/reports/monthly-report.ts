import { DateTime } from 'luxon';
import { AVAILABILITY_TARGET_PERCENT, monthAvailability, type Sample } from '../availability/availability';
import { type ScheduledWindow, serviceWindowView } from '../availability/service-windows';
import type { BusinessCalendar, Instant } from '../calendar/business-calendar';
import { approvedQuarters, CONSULTANCY_SERVICES, type ConsultancyRequest } from '../consultancy/consultancy';
import { hoursOf } from '../consultancy/hours';
import { formatAmount } from '../consultancy/money';
import { type BillableEntry, monthTotals, totalLine } from '../consultancy/statement';
import type { CustomerProfile } from '../customers/customer';
import { hypercareState } from '../hypercare/hypercare';
import { type LocalMonth, monthBounds } from '../month';
import type { QueuedRecord } from '../notifications/alert-outbox';
import type { SlaCompliance, TicketOutcome } from './sla-compliance';
import { type ResolutionFigures, resolutionSlice } from './resolution-figures';

/** A digest queued for a customer: its occasion, and whether it went out. */
export type DigestRecord = QueuedRecord;

/** Everything a month's report is computed from, read by the report service. */
export interface ReportInputs {
  readonly month: LocalMonth;
  readonly version: number;
  readonly generatedAt: Instant;
  readonly generatedBy: string;
  readonly reason: string;
  readonly samples: readonly { readonly target: string; readonly samples: readonly Sample[] }[];
  readonly windows: readonly ScheduledWindow[];
  readonly compliance: SlaCompliance;
  readonly resolution: ResolutionFigures;
  readonly ticketsRead: number;
  readonly entries: readonly BillableEntry[];
  readonly requests: ReadonlyMap<string, ConsultancyRequest>;
  readonly customers: readonly CustomerProfile[];
  readonly digests: ReadonlyMap<string, readonly DigestRecord[]>;
}

/**
 * The month's report, as `report.json` stores it: instants in Copenhagen time,
 * amounts as decimal strings, percentages unrounded. The CSV and HTML files are
 * rendered from exactly this.
 */
export function buildReport(calendar: BusinessCalendar, inputs: ReportInputs) {
  const [monthStart, monthEnd] = monthBounds(inputs.month, calendar.timeZone);
  const iso = (t: number) => calendar.iso(t);
  const windows = inputs.windows.filter((w) => w.cancelledAt === undefined && w.start < monthEnd && w.end > monthStart);
  return {
    month: inputs.month as string,
    version: inputs.version,
    generatedAt: iso(inputs.generatedAt),
    generatedBy: inputs.generatedBy,
    reason: inputs.reason,
    /** Null for the provider's whole report; a customer's id in its slice. */
    customerId: null as string | null,
    inputs: {
      tickets: inputs.ticketsRead,
      samples: inputs.samples.reduce((n, t) => n + t.samples.length, 0),
      serviceWindows: windows.length,
      timeEntries: inputs.entries.length,
      customers: inputs.customers.length,
    },
    availability: {
      targetPercent: AVAILABILITY_TARGET_PERCENT,
      targets: inputs.samples.map(({ target, samples }) => targetFigure(calendar, inputs.month, target, samples, windows, monthStart, monthEnd)),
      serviceWindows: windows.map((w) => serviceWindowView(w, calendar)),
    },
    sla: {
      total: inputs.compliance.total,
      byPriority: inputs.compliance.byPriority,
      byCustomer: inputs.compliance.byCustomer,
      byCustomerAndPriority: inputs.compliance.byCustomerAndPriority,
      breaches: inputs.compliance.breaches.map((b) => breachRow(b, iso)),
    },
    /** Absent from versions made before resolution was measured. */
    resolution: inputs.resolution as ResolutionFigures | undefined,
    consultancy: consultancySection(inputs.entries, inputs.requests, iso),
    hypercare: hypercareSection(inputs, monthStart, monthEnd, calendar),
  };
}

export type MonthlyReport = ReturnType<typeof buildReport>;

function targetFigure(calendar: BusinessCalendar, month: LocalMonth, target: string, samples: readonly Sample[], windows: readonly ScheduledWindow[], monthStart: Instant, monthEnd: Instant) {
  const figure = monthAvailability({ calendar, month, target, samples, windows, asOf: monthEnd });
  const daily = [];
  for (let day = DateTime.fromMillis(monthStart, { zone: calendar.timeZone }); day.toMillis() < monthEnd; day = day.plus({ days: 1 })) {
    const part = monthAvailability({ calendar, month, target, samples, windows, since: day.toMillis(), asOf: day.plus({ days: 1 }).toMillis() });
    // Days without operating hours (weekends, closed days) have no figure to show.
    if (part.operatingSlots === 0) continue;
    daily.push({
      date: day.toISODate()!,
      eligibleSlots: part.eligibleSlots,
      upSlots: part.upSlots,
      downSlots: part.downSlots,
      missingSlots: part.missingSlots,
      excludedSlots: part.excludedSlots,
      availabilityPercent: part.availabilityPercent,
    });
  }
  return {
    target,
    eligibleSlots: figure.eligibleSlots,
    upSlots: figure.upSlots,
    downSlots: figure.downSlots,
    missingSlots: figure.missingSlots,
    excludedSlots: figure.excludedSlots,
    availabilityPercent: figure.availabilityPercent,
    targetMet: figure.targetMet,
    incidents: figure.incidents.map((i) => ({ start: calendar.iso(i.start), end: calendar.iso(i.end), minutes: i.minutes })),
    daily,
  };
}

function breachRow(b: TicketOutcome, iso: (t: number) => string) {
  return {
    ticketId: b.ticketId,
    customerId: b.customerId,
    priority: b.priority,
    openedAt: iso(b.openedAt),
    dueAt: iso(b.dueAt),
    respondedAt: b.respondedAt === undefined ? null : iso(b.respondedAt),
    lateMinutes: b.lateMinutes ?? 0,
  };
}

/** Billable work: only time logged on approved requests exists, and each line shows the approvals behind it. */
function consultancySection(entries: readonly BillableEntry[], requests: ReadonlyMap<string, ConsultancyRequest>, iso: (t: number) => string) {
  const approvals = [...new Set(entries.map((e) => e.requestId))]
    .map((id) => requests.get(id))
    .filter((r): r is ConsultancyRequest => r?.approval !== undefined)
    .sort((a, b) => a.customerId.localeCompare(b.customerId) || a.id.localeCompare(b.id))
    .map((r) => ({
      requestId: r.id,
      customerId: r.customerId,
      service: r.service,
      serviceName: CONSULTANCY_SERVICES[r.service],
      approvedAt: iso(r.approval!.at),
      approvedBy: r.approval!.by,
      approvedHours: hoursOf(approvedQuarters(r)),
      rate: formatAmount(r.approval!.rate.hourly, r.approval!.rate.currency),
      currency: r.approval!.rate.currency,
    }));
  return {
    totals: monthTotals(entries).map(totalLine),
    approvals,
  };
}

/** Each customer whose hypercare ran during the month: its status at the month's end, its criteria, and the digests it was sent. */
function hypercareSection(inputs: ReportInputs, monthStart: Instant, monthEnd: Instant, calendar: BusinessCalendar) {
  const iso = (t: number) => calendar.iso(t);
  return inputs.customers
    .filter((c) => c.hypercare !== undefined && c.hypercare.goLiveAt < monthEnd)
    .map((c) => ({ profile: c, state: hypercareState(c.hypercare!, monthEnd - 1, calendar.timeZone) }))
    .filter(({ state }) => state.concludedAt === undefined || state.concludedAt >= monthStart)
    .sort((a, b) => a.profile.customerId.localeCompare(b.profile.customerId))
    .map(({ profile, state }) => ({
      customerId: profile.customerId,
      name: profile.name,
      statusAtMonthEnd: state.status,
      goLiveAt: iso(state.goLiveAt),
      plannedEndAt: iso(state.plannedEndAt),
      concludedAt: state.concludedAt === undefined ? null : iso(state.concludedAt),
      overdue: state.overdue,
      criteria: Object.fromEntries(Object.entries(state.criteria).map(([name, c]) => [name, { met: c.met, at: c.at === undefined ? null : iso(c.at), by: c.by ?? null }])) as Record<
        keyof typeof state.criteria,
        { met: boolean; at: string | null; by: string | null }
      >,
      digests: (inputs.digests.get(profile.customerId) ?? [])
        .filter((d) => d.queuedAt >= monthStart && d.queuedAt < monthEnd)
        .map((d) => ({ id: d.id, queuedAt: iso(d.queuedAt), sentAt: d.sentAt === undefined ? null : iso(d.sentAt) })),
    }));
}

/**
 * A customer's own report: the same figures, its rows only. Availability is
 * the service's, shared by every customer; its SLA per priority is its own
 * row of the customer-and-priority figures. `inputs` still counts what the
 * whole report read, so the figures stay checkable.
 */
export function sliceFor(report: MonthlyReport, customerId: string): MonthlyReport {
  const own = <T extends { customerId: string }>(rows: readonly T[]) => rows.filter((r) => r.customerId === customerId);
  const pairs = own(report.sla.byCustomerAndPriority);
  const mine = own(report.sla.byCustomer)[0];
  return {
    ...report,
    customerId,
    sla: {
      total: mine ? stripCustomer(mine) : emptyFigure(),
      byPriority: report.sla.byPriority.map(({ priority }) => {
        const row = pairs.find((p) => p.priority === priority);
        return { priority, ...(row ? stripPair(row) : emptyFigure()) };
      }),
      byCustomer: own(report.sla.byCustomer),
      byCustomerAndPriority: pairs,
      breaches: own(report.sla.breaches),
    },
    resolution: report.resolution && resolutionSlice(report.resolution, customerId),
    consultancy: { totals: own(report.consultancy.totals), approvals: own(report.consultancy.approvals) },
    hypercare: own(report.hypercare),
  };
}

const stripCustomer = <T extends { customerId: string }>({ customerId: _c, ...figure }: T) => figure;
const stripPair = <T extends { customerId: string; priority: string }>({ customerId: _c, priority: _p, ...figure }: T) => figure;
const emptyFigure = () => ({ opened: 0, met: 0, breached: 0, running: 0, percentMet: null, medianFirstResponseMinutes: null, p90FirstResponseMinutes: null });
