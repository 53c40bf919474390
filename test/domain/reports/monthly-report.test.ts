import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { danishCalendar } from '#domain/calendar/danish-calendar';
import type { CustomerProfile } from '#domain/customers/customer';
import type { HypercareRecord } from '#domain/hypercare/hypercare';
import { parseMonth } from '#domain/month';
import { buildReport, type MonthlyReport, sliceFor } from '#domain/reports/monthly-report';
import { renderFile, reportPage } from '#domain/reports/report-files';
import { ComplianceTally, nearestRank } from '#domain/reports/sla-compliance';
import { ResolutionTally } from '#domain/reports/resolution-figures';
import { november } from '../../support/report-fixture';

const figure = (opened: number, met: number, breached: number, running: number, percentMet: number | null, median: number | null, p90: number | null) => ({
  opened,
  met,
  breached,
  running,
  percentMet,
  medianFirstResponseMinutes: median,
  p90FirstResponseMinutes: p90,
});

/** The names the page reads, by subject: the fixture's approver has a record. */
const nameOf = (subject: string) => (subject === 'pm@acme' ? 'Pia Madsen' : 'Customer');

/** People as ids: what a page or a message shows no reader instead of a name. */
const PERSON_IDS = [
  ['a local account id', /\blocal-[a-z]/],
  ['a Cognito subject', /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/i],
  ['an email address or id that looks like one', /[\w.+-]+@[\w-]+/],
] as const;

describe("a month's report, against hand-computed figures", () => {
  const report = november();

  it('availability: 21 days × 96 slots, 24 excluded by the window, 6 down on the 10th', () => {
    const [api] = report.availability.targets;
    expect(api).toMatchObject({ target: 'api', eligibleSlots: 1992, upSlots: 1986, downSlots: 6, missingSlots: 0, excludedSlots: 24, targetMet: true });
    expect(api!.availabilityPercent).toBeCloseTo((100 * 1986) / 1992, 10);
    expect(api!.incidents).toEqual([{ start: '2026-11-10T10:00:00.000+01:00', end: '2026-11-10T10:30:00.000+01:00', minutes: 30 }]);
    expect(api!.daily).toHaveLength(21);
    expect(api!.daily.find((d) => d.date === '2026-11-10')).toEqual({
      date: '2026-11-10',
      eligibleSlots: 96,
      upSlots: 90,
      downSlots: 6,
      missingSlots: 0,
      excludedSlots: 0,
      availabilityPercent: 93.75,
    });
    expect(api!.daily.find((d) => d.date === '2026-11-17')).toMatchObject({ eligibleSlots: 72, upSlots: 72, excludedSlots: 24, availabilityPercent: 100 });
    // The cancelled window never happened.
    expect(report.availability.serviceWindows.map((w) => [w.id, w.noticeMinutes, w.retroactive])).toEqual([['SW-0000000A', 7200, false]]);
  });

  it('SLA: first responses as of the month end, per priority and per customer, with nearest-rank percentiles', () => {
    expect(report.sla.total).toEqual(figure(5, 2, 2, 1, 50, 240, 300));
    expect(report.sla.byPriority).toEqual([
      { priority: 'highest', ...figure(1, 0, 1, 0, 0, null, null) },
      { priority: 'high', ...figure(2, 1, 1, 0, 50, 90, 300) },
      { priority: 'medium', ...figure(1, 1, 0, 0, 100, 240, 240) },
      { priority: 'low', ...figure(0, 0, 0, 0, null, null, null) },
      { priority: 'lowest', ...figure(1, 0, 0, 1, null, null, null) },
    ]);
    expect(report.sla.byCustomer).toEqual([
      { customerId: 'ACME', ...figure(3, 1, 2, 0, 100 / 3, 90, 300) },
      { customerId: 'GLOBEX', ...figure(2, 1, 0, 1, 100, 240, 240) },
    ]);
    // ACME-3: unanswered from Thu 5 Nov 08:00 to the month's end, 18 business days of 480 minutes, less its 60.
    expect(report.sla.breaches).toEqual([
      {
        ticketId: 'ACME-2',
        customerId: 'ACME',
        priority: 'high',
        openedAt: '2026-11-02T14:00:00.000+01:00',
        dueAt: '2026-11-03T10:00:00.000+01:00',
        respondedAt: '2026-11-03T11:00:00.000+01:00',
        lateMinutes: 60,
      },
      { ticketId: 'ACME-3', customerId: 'ACME', priority: 'highest', openedAt: '2026-11-05T08:00:00.000+01:00', dueAt: '2026-11-05T09:00:00.000+01:00', respondedAt: null, lateMinutes: 18 * 480 - 60 },
    ]);
    expect(report.inputs).toEqual({ tickets: 5, samples: 1992, serviceWindows: 1, timeEntries: 2, customers: 2 });
  });

  it('consultancy: 1.75 h at 1250.50 DKK, with the approval behind it', () => {
    expect(report.consultancy.totals).toEqual([{ customerId: 'ACME', service: 'crm-flows', billableHours: 1.75, rate: '1250.50', currency: 'DKK', amount: '2188.38' }]);
    expect(report.consultancy.approvals).toEqual([
      {
        requestId: 'CR-0000000A',
        customerId: 'ACME',
        service: 'crm-flows',
        serviceName: 'Advanced configuration of CRM flows',
        approvedAt: '2026-11-02T10:00:00.000+01:00',
        approvedBy: 'pm@acme',
        approvedHours: 3,
        rate: '1250.50',
        currency: 'DKK',
      },
    ]);
  });

  it("hypercare: ACME's ran past its planned end, with the provider's sign-off and November's two digests", () => {
    expect(report.hypercare).toEqual([
      {
        customerId: 'ACME',
        name: 'Acme A/S',
        statusAtMonthEnd: 'active',
        goLiveAt: '2026-10-26T08:00:00.000+01:00',
        plannedEndAt: '2026-11-23T08:00:00.000+01:00',
        concludedAt: null,
        overdue: true,
        criteria: {
          operationalTwoWeeks: { met: true, at: '2026-11-09T08:00:00.000+01:00', by: null },
          customerSignoff: { met: false, at: null, by: null },
          providerSignoff: { met: true, at: '2026-11-10T09:00:00.000+01:00', by: 'agent' },
          transition: { met: false, at: null, by: null },
        },
        digests: [
          { id: 'ACME:hypercare-digest:2026-11-02', queuedAt: '2026-11-02T08:00:00.000+01:00', sentAt: '2026-11-02T08:01:00.000+01:00' },
          { id: 'ACME:hypercare-digest:2026-11-09', queuedAt: '2026-11-09T08:00:00.000+01:00', sentAt: null },
        ],
      },
    ]);
  });

  it('resolution: as of the month end, per priority against its target and per customer, waits on the customer left out', () => {
    const r = (opened: number, resolved: number, median: number | null, p90: number | null, within: number | null, percent: number | null) => ({
      opened,
      resolved,
      medianResolutionMinutes: median,
      p90ResolutionMinutes: p90,
      withinTarget: within,
      percentWithinTarget: percent,
    });
    // Resolved: GLOBEX-1 420, ACME-1 600, ACME-2 1620 (over High's 1440); GLOBEX-2 only in December.
    expect(report.resolution!.total).toEqual(r(5, 3, 600, 1620, 2, 200 / 3));
    expect(report.resolution!.byPriority).toEqual([
      { priority: 'highest', targetMinutes: 480, ...r(1, 0, null, null, 0, null) },
      { priority: 'high', targetMinutes: 1440, ...r(2, 2, 600, 1620, 1, 50) },
      { priority: 'medium', targetMinutes: 2400, ...r(1, 1, 420, 420, 1, 100) },
      { priority: 'low', targetMinutes: 4800, ...r(0, 0, null, null, 0, null) },
      { priority: 'lowest', targetMinutes: 9600, ...r(1, 0, null, null, 0, null) },
    ]);
    expect(report.resolution!.byCustomer).toEqual([
      { customerId: 'ACME', ...r(3, 2, 600, 1620, 1, 50) },
      { customerId: 'GLOBEX', ...r(2, 1, 420, 420, 1, 100) },
    ]);
    // A customer reads its own times, never the provider's targets or the verdicts against them.
    const acme = sliceFor(report, 'ACME').resolution!;
    expect(acme.total).toEqual(r(3, 2, 600, 1620, null, null));
    expect(acme.byPriority.find((p) => p.priority === 'high')).toEqual({ priority: 'high', targetMinutes: null, ...r(2, 2, 600, 1620, null, null) });
    expect(JSON.stringify(acme)).not.toContain('GLOBEX');
  });

  it('a version stored before resolution was measured still reads: its slice, its page and an empty resolution.csv', () => {
    const { resolution: _r, ...older } = report;
    const stored = JSON.parse(JSON.stringify(older)) as MonthlyReport;
    expect(sliceFor(stored, 'ACME').resolution).toBeUndefined();
    expect(reportPage(stored, nameOf)).toContain('This version was made before resolution was measured.');
    expect(renderFile(stored, 'resolution.csv')).toBe(
      'customerId,priority,opened,resolved,medianResolutionMinutes,p90ResolutionMinutes,withinTarget,percentWithinTarget,targetMinutes,priorityName\r\n',
    );
  });

  it("a customer's slice has its own rows only, and the service's availability", () => {
    const globex = sliceFor(report, 'GLOBEX');
    expect(globex.customerId).toBe('GLOBEX');
    expect(globex.sla.total).toEqual(figure(2, 1, 0, 1, 100, 240, 240));
    expect(globex.sla.byPriority.map((r) => [r.priority, r.opened])).toEqual([
      ['highest', 0],
      ['high', 0],
      ['medium', 1],
      ['low', 0],
      ['lowest', 1],
    ]);
    expect([globex.sla.breaches, globex.consultancy.totals, globex.hypercare]).toEqual([[], [], []]);
    expect(globex.availability).toEqual(report.availability);
    expect(JSON.stringify(globex)).not.toContain('ACME');
  });

  it('nearest rank: the smallest value with at least p of the values at or below it', () => {
    const counts = (values: number[]) => values.reduce((m, v) => m.set(v, (m.get(v) ?? 0) + 1), new Map<number, number>());
    expect([[], [7], [1, 2, 3, 4], [4, 3, 2, 1], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], [5, 5, 5, 1]].map((v) => [nearestRank(counts(v), 0.5), nearestRank(counts(v), 0.9)])).toEqual([
      [null, null],
      [7, 7],
      [2, 4],
      [2, 4],
      [5, 9],
      [5, 5],
    ]);
  });

  it('percentiles agree with sorting every value, for any response times', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 5000 }), { maxLength: 200 }), fc.double({ min: 0.01, max: 1, noNaN: true }), (values, p) => {
        const sorted = [...values].sort((a, b) => a - b);
        const oracle = sorted.length === 0 ? null : sorted[Math.ceil(p * sorted.length) - 1]!;
        expect(
          nearestRank(
            values.reduce((m, v) => m.set(v, (m.get(v) ?? 0) + 1), new Map<number, number>()),
            p,
          ),
        ).toBe(oracle);
      }),
    );
  });
});

describe("the report's hypercare section", () => {
  const t = (iso: string) => Date.parse(iso);
  const act = (iso: string) => ({ at: t(iso), by: 'someone' });
  /** Signed off by both parties and operational for two weeks; it concludes at the formal transition. */
  const concludedAt = (goLive: string, transition: string): HypercareRecord => ({
    goLiveAt: t(goLive),
    weeks: 4,
    extensions: [],
    customerSignoff: act(goLive),
    providerSignoff: act(goLive),
    transition: act(transition),
  });
  const customer = (customerId: string, hypercare: HypercareRecord): CustomerProfile => ({ customerId, name: customerId, contacts: [], hypercare, updatedAt: 0, version: 1 });

  const reportOf = (month: string, customers: CustomerProfile[]) =>
    buildReport(danishCalendar(), {
      month: parseMonth(month),
      version: 1,
      generatedAt: t('2026-12-01T06:00:00+01:00'),
      generatedBy: 'system',
      reason: 'scheduled',
      samples: [],
      windows: [],
      compliance: new ComplianceTally().result(),
      resolution: new ResolutionTally().result(),
      ticketsRead: 0,
      entries: [],
      requests: new Map(),
      customers,
      digests: new Map(),
    });

  it('a hypercare concluded in September is absent from November; one concluded mid-November is present', () => {
    const september = customer('SEPT', concludedAt('2026-08-03T08:00:00+02:00', '2026-09-10T10:00:00+02:00'));
    const midNovember = customer('MIDNOV', concludedAt('2026-10-19T08:00:00+02:00', '2026-11-16T10:00:00+01:00'));
    const november = reportOf('2026-11', [september, midNovember]);
    expect(november.hypercare.map((h) => [h.customerId, h.statusAtMonthEnd, h.concludedAt])).toEqual([['MIDNOV', 'concluded', '2026-11-16T10:00:00.000+01:00']]);
    // September's own report still lists the one that concluded then.
    expect(reportOf('2026-09', [september, midNovember]).hypercare.map((h) => h.customerId)).toEqual(['SEPT']);
  });
});

describe('the report files', () => {
  const report = november();
  const rows = (file: 'availability.csv' | 'sla.csv' | 'resolution.csv' | 'consultancy.csv', r = report) =>
    parse(renderFile(r, file), { columns: true, record_delimiter: '\r\n' }) as Record<string, string>[];
  const num = (text: string) => (text === '' ? null : Number(text));

  it('CSV parses back to the JSON: every figure, with dots for decimals', () => {
    const availability = rows('availability.csv');
    const api = report.availability.targets[0]!;
    expect(availability).toHaveLength(1 + api.daily.length);
    expect(availability[0]).toEqual({
      target: 'api',
      period: '2026-11',
      eligibleSlots: '1992',
      upSlots: '1986',
      downSlots: '6',
      missingSlots: '0',
      excludedSlots: '24',
      availabilityPercent: String(api.availabilityPercent),
      targetPercent: '99.5',
      targetMet: 'true',
    });
    expect(availability.slice(1).map((r) => [r.period, num(r.availabilityPercent!)])).toEqual(api.daily.map((d) => [d.date, d.availabilityPercent]));

    const sla = rows('sla.csv');
    const back = (r: Record<string, string>) => ({
      opened: num(r.opened!),
      met: num(r.met!),
      breached: num(r.breached!),
      running: num(r.running!),
      percentMet: num(r.percentMet!),
      medianFirstResponseMinutes: num(r.medianFirstResponseMinutes!),
      p90FirstResponseMinutes: num(r.p90FirstResponseMinutes!),
    });
    expect(back(sla[0]!)).toEqual(report.sla.total);
    expect(sla.filter((r) => r.customerId === 'all' && r.priority !== 'all').map((r) => ({ priority: r.priority, ...back(r) }))).toEqual(report.sla.byPriority);
    expect(sla.filter((r) => r.customerId !== 'all' && r.priority === 'all').map((r) => ({ customerId: r.customerId, ...back(r) }))).toEqual(report.sla.byCustomer);
    expect(sla.filter((r) => r.customerId !== 'all' && r.priority !== 'all').map((r) => ({ customerId: r.customerId, priority: r.priority, ...back(r) }))).toEqual(report.sla.byCustomerAndPriority);

    const resolution = rows('resolution.csv');
    const figureOf = (row: Record<string, string>) => ({
      opened: num(row.opened!),
      resolved: num(row.resolved!),
      medianResolutionMinutes: num(row.medianResolutionMinutes!),
      p90ResolutionMinutes: num(row.p90ResolutionMinutes!),
      withinTarget: num(row.withinTarget!),
      percentWithinTarget: num(row.percentWithinTarget!),
    });
    expect(figureOf(resolution[0]!)).toEqual(report.resolution!.total);
    expect(resolution.filter((r) => r.customerId === 'all' && r.priority !== 'all').map((r) => ({ priority: r.priority, targetMinutes: num(r.targetMinutes!), ...figureOf(r) }))).toEqual(
      report.resolution!.byPriority,
    );
    expect(resolution.filter((r) => r.customerId !== 'all' && r.priority === 'all').map((r) => ({ customerId: r.customerId, ...figureOf(r) }))).toEqual(report.resolution!.byCustomer);
    expect(resolution.filter((r) => r.customerId !== 'all' && r.priority !== 'all').map((r) => ({ customerId: r.customerId, priority: r.priority, ...figureOf(r) }))).toEqual(
      report.resolution!.byCustomerAndPriority,
    );

    expect(rows('consultancy.csv').map(({ serviceName: _name, ...r }) => ({ ...r, billableHours: Number(r.billableHours) }))).toEqual(report.consultancy.totals);
    expect(renderFile(report, 'consultancy.csv')).toBe(
      'customerId,service,billableHours,rate,currency,amount,serviceName\r\nACME,crm-flows,1.75,1250.50,DKK,2188.38,Advanced configuration of CRM flows\r\n',
    );
    expect(sla.map((r) => [r.customerId, r.priority, r.priorityName]).slice(0, 3)).toEqual([
      ['all', 'all', 'All'],
      ['all', 'highest', 'Highest'],
      ['all', 'high', 'High'],
    ]);
  });

  it('no cell can start a formula in a spreadsheet', () => {
    const hostile = {
      ...report,
      consultancy: { ...report.consultancy, totals: [{ ...report.consultancy.totals[0]!, customerId: '=HYPERLINK("http://evil")', service: '@SUM(A1)', currency: '+1', rate: '-2' }] },
    } as unknown as MonthlyReport;
    const text = renderFile(hostile, 'consultancy.csv');
    expect(text.split('\r\n')[1]).toMatch(/^"'=HYPERLINK\(""http:\/\/evil""\)",'@SUM\(A1\),1\.75,'-2,'\+1,2188\.38,/);
  });

  it('the page is self-contained, escapes what it shows, and carries both charts and the JSON figures', () => {
    const html = reportPage({ ...report, reason: '<script>alert(1)</script>' }, nameOf);
    expect(html).not.toMatch(/<script|<link|src=|href=/);
    expect(html).toContain('&#60;script&#62;alert(1)&#60;/script&#62;');
    expect(html).toContain('<svg id="availability-chart"');
    expect(html).toContain('<svg id="sla-chart"');
    expect(html).toContain(`data-value="${report.availability.targets[0]!.availabilityPercent}"`);
    expect(html.match(/<polyline class="series"/g)).toHaveLength(1);
    expect(html.match(/<rect class="(met|breached)"/g)).toHaveLength(10);
  });

  it("the page shows times in Copenhagen time, durations in words and names, never ISO times, keys, people's ids or minor units", () => {
    const html = reportPage(report, nameOf);
    const shown = html
      .replace(/<style>[\s\S]*?<\/style>/, '')
      .replace(/<[^>]+>/g, ' ')
      .replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)));
    expect(shown).not.toMatch(/\d{4}-\d\d-\d\dT/);
    expect(html).not.toMatch(/\d\d:\d\d:\d\d\.\d{3}/);
    expect(shown).not.toMatch(/\b[a-z]+[A-Z][A-Za-z]*\b|\b[a-z]+_[a-z_]+\b/);
    expect(shown).not.toMatch(/\b(?:highest|high|medium|low|lowest|active|concluded)\b/);
    expect(shown).not.toMatch(/\b\d{5,}\b/);
    expect(shown).not.toMatch(/\d+\.\d{4,}(?! %)/);
    // ACME-3 was late from Thu 5 Nov 09:00 to the month's end: 18 business days of 480 minutes less its first hour.
    expect(shown).toContain('143 hours');
    // ACME-2's resolution, 1,620 business minutes, as the 90th percentile of High and of all.
    expect(shown).toContain('27 hours');
    expect(html).toContain('<caption>Resolution of the tickets opened this month');
    expect(shown).toContain('Thu 5 Nov 2026, 08:00');
    expect(shown).toContain("Two weeks in operation, The provider's sign-off");
    expect(shown).toContain('Advanced configuration of CRM flows');
    for (const [what, pattern] of PERSON_IDS) expect(shown, what).not.toMatch(pattern);
    expect(shown).toContain('Pia Madsen');
    // Amounts grouped, with their currency, as the console shows them; the exact value stays for machines.
    expect(shown).toContain('1,250.50 DKK an hour');
    expect(shown).toContain('2,188.38 DKK');
    expect(shown).not.toMatch(/\b\d{4,}\.\d\d\b/);
    expect(html).toContain('data-value="2188.38"');
  });

  it('the page names the approver as their record does when it is read: a version keeps only the id', () => {
    const [approval] = report.consultancy.approvals;
    const by = (html: string) => html.match(new RegExp(`<th scope="row">${approval!.requestId}</th>(?:<td[^>]*>.*?</td>){3}<td>(.*?)</td>`))?.[1];
    expect(by(reportPage(report, nameOf))).toBe('Pia Madsen');
    expect(by(reportPage(report, () => 'Former user'))).toBe('Former user');
    expect(renderFile(report, 'report.json')).not.toContain('Pia Madsen');
  });
});
