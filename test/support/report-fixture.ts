import type { Sample } from '#domain/availability/availability';
import type { ScheduledWindow } from '#domain/availability/service-windows';
import { danishCalendar } from '#domain/calendar/danish-calendar';
import type { ConsultancyRequest } from '#domain/consultancy/consultancy';
import { rateOf } from '#domain/consultancy/money';
import type { BillableEntry } from '#domain/consultancy/statement';
import type { CustomerProfile } from '#domain/customers/customer';
import { parseMonth } from '#domain/month';
import { buildReport, type DigestRecord, type MonthlyReport } from '#domain/reports/monthly-report';
import { ComplianceTally, outcomeAsOf } from '#domain/reports/sla-compliance';
import { resolutionAsOf, ResolutionTally } from '#domain/reports/resolution-figures';
import type { Priority } from '#domain/sla/sla-policy';
import type { Ticket } from '#domain/tickets/ticket';

/** A November 2026 worked by hand: the figures the report tests expect are computed in their comments. */
const calendar = danishCalendar();
const t = (iso: string) => Date.parse(iso);
const MONTH_END = t('2026-12-01T00:00:00+01:00');

function ticket(
  id: string,
  priority: Priority,
  openedAt: string,
  dueAt: string,
  facts: Partial<Pick<Ticket, 'firstRespondedAt' | 'breachedAt' | 'closedAt' | 'resolvedAt' | 'waitedMs'>> = {},
): Ticket {
  return {
    id,
    customerId: id.split('-')[0]!,
    title: 'x',
    description: 'x',
    category: 'other',
    priority,
    status: 'open',
    openedAt: t(openedAt),
    openedBy: 'u',
    firstResponseDueAt: t(dueAt),
    updatedAt: t(openedAt),
    version: 1,
    ...facts,
  };
}

/**
 * November 2026: 21 business days, no Danish closed day; the month ends at 1 December 00:00 CET.
 * Resolution (targets: Highest 480, High 1440, Medium 2400 business minutes): ACME-1 in Mon 09–16 (420) + Tue 08–11 (180) = 600,
 * within; ACME-2 in Mon 14–16 (120) + Tue–Fri (4 × 480) + Mon 9th 08–15 (420) = 2460, less its wait on the customer from Tue 12:00
 * to Thu 10:00 (240 + 480 + 120 = 840): 1620, over; GLOBEX-1 closed unresolved at 15:00: 420, within; GLOBEX-2 resolved in December.
 */
const TICKETS = [
  ticket('ACME-1', 'high', '2026-11-02T09:00:00+01:00', '2026-11-02T13:00:00+01:00', { firstRespondedAt: t('2026-11-02T10:30:00+01:00'), resolvedAt: t('2026-11-03T11:00:00+01:00') }), // met, 90 min
  ticket('ACME-2', 'high', '2026-11-02T14:00:00+01:00', '2026-11-03T10:00:00+01:00', {
    firstRespondedAt: t('2026-11-03T11:00:00+01:00'),
    breachedAt: t('2026-11-03T10:00:00+01:00'),
    waitedMs: 840 * 60_000,
    resolvedAt: t('2026-11-09T15:00:00+01:00'),
  }), // 300 min, 60 late
  ticket('ACME-3', 'highest', '2026-11-05T08:00:00+01:00', '2026-11-05T09:00:00+01:00', { breachedAt: t('2026-11-05T09:00:00+01:00') }), // never answered
  ticket('GLOBEX-1', 'medium', '2026-11-04T08:00:00+01:00', '2026-11-04T16:00:00+01:00', { firstRespondedAt: t('2026-11-04T12:00:00+01:00'), closedAt: t('2026-11-04T15:00:00+01:00') }), // met, 240 min
  // Answered on 1 December: running when November ended.
  ticket('GLOBEX-2', 'lowest', '2026-11-30T15:00:00+01:00', '2026-12-02T15:00:00+01:00', { firstRespondedAt: t('2026-12-01T09:00:00+01:00'), resolvedAt: t('2026-12-01T10:00:00+01:00') }),
];

/** Every operating slot of November up, but half an hour down on the 10th and nothing measured in a window on the 17th. */
function samples(): Sample[] {
  const all: Sample[] = [];
  for (const at of calendar.operatingSlots(2026, 11)) {
    if (at >= t('2026-11-17T12:00:00+01:00') && at < t('2026-11-17T14:00:00+01:00')) continue;
    const down = at >= t('2026-11-10T10:00:00+01:00') && at < t('2026-11-10T10:30:00+01:00');
    all.push({ target: 'api', at: at + 7_000, ok: !down, latencyMs: 40 });
  }
  return all;
}

const WINDOW: ScheduledWindow = {
  id: 'SW-0000000A',
  start: t('2026-11-17T12:00:00+01:00'),
  end: t('2026-11-17T14:00:00+01:00'),
  reason: 'Database upgrade',
  createdAt: t('2026-11-12T12:00:00+01:00'),
  createdBy: 'agent',
  noticeMinutes: 5 * 24 * 60,
  retroactive: false,
};

const DKK = rateOf('1250.50', 'DKK');
const REQUEST: ConsultancyRequest = {
  id: 'CR-0000000A',
  customerId: 'ACME',
  service: 'crm-flows',
  description: 'x',
  estimateQuarters: 8,
  status: 'approved',
  proposed: { at: t('2026-11-02T09:00:00+01:00'), by: 'agent' },
  approval: { at: t('2026-11-02T10:00:00+01:00'), by: 'pm@acme', quarters: 8, rate: DKK },
  increases: [
    { n: 1, quarters: 4, reason: 'more', requested: { at: t('2026-11-03T09:00:00+01:00'), by: 'agent' }, status: 'approved', decided: { at: t('2026-11-03T10:00:00+01:00'), by: 'pm@acme' } },
  ],
  entries: [],
  version: 4,
};
const ENTRIES: BillableEntry[] = [
  { id: 'T1', requestId: REQUEST.id, customerId: 'ACME', service: 'crm-flows', rate: DKK, quarters: 5, date: '2026-11-02', note: 'x', logged: { at: t('2026-11-02T15:00:00+01:00'), by: 'agent' } },
  { id: 'T2', requestId: REQUEST.id, customerId: 'ACME', service: 'crm-flows', rate: DKK, quarters: 2, date: '2026-11-03', note: 'x', logged: { at: t('2026-11-03T15:00:00+01:00'), by: 'agent' } },
];

const CUSTOMERS: CustomerProfile[] = [
  {
    customerId: 'ACME',
    name: 'Acme A/S',
    contacts: [],
    hypercare: { goLiveAt: t('2026-10-26T08:00:00+01:00'), weeks: 4, extensions: [], providerSignoff: { at: t('2026-11-10T09:00:00+01:00'), by: 'agent' } },
    updatedAt: 0,
    version: 1,
  },
  { customerId: 'GLOBEX', name: 'Globex', contacts: [], updatedAt: 0, version: 1 },
];
const DIGESTS = new Map<string, DigestRecord[]>([
  [
    'ACME',
    [
      { id: 'ACME:hypercare-digest:2026-10-26', queuedAt: t('2026-10-26T08:00:00+01:00'), sentAt: t('2026-10-26T08:01:00+01:00') },
      { id: 'ACME:hypercare-digest:2026-11-02', queuedAt: t('2026-11-02T08:00:00+01:00'), sentAt: t('2026-11-02T08:01:00+01:00') },
      { id: 'ACME:hypercare-digest:2026-11-09', queuedAt: t('2026-11-09T08:00:00+01:00') },
    ],
  ],
]);

export function november(): MonthlyReport {
  const tally = new ComplianceTally();
  const resolution = new ResolutionTally();
  for (const ticket of TICKETS) {
    tally.add(outcomeAsOf(ticket, MONTH_END, calendar));
    resolution.add(resolutionAsOf(ticket, MONTH_END, calendar));
  }
  return buildReport(calendar, {
    month: parseMonth('2026-11'),
    version: 1,
    generatedAt: t('2026-12-01T06:00:00+01:00'),
    generatedBy: 'system',
    reason: 'scheduled',
    samples: [{ target: 'api', samples: samples() }],
    windows: [WINDOW, { ...WINDOW, id: 'SW-0000000B', cancelledAt: t('2026-11-13T09:00:00+01:00') }],
    compliance: tally.result(),
    resolution: resolution.result(),
    ticketsRead: TICKETS.length,
    entries: ENTRIES,
    requests: new Map([[REQUEST.id, REQUEST]]),
    customers: CUSTOMERS,
    digests: DIGESTS,
  });
}
