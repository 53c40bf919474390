import { stringify } from 'csv-stringify/sync';
import { PRIORITIES } from '../sla/sla-policy';
import type { MonthlyReport } from './monthly-report';
import type { ReportFile } from './report-formats';

export { ALL_CUSTOMER_FILES, CONTENT_TYPES, REPORT_FILES, type ReportFile } from './report-formats';

/** RFC 4180 with a header row, CRLF, dots for decimals; a cell that could start a formula is escaped with '. */
function csv(header: readonly string[], rows: readonly (readonly (string | number | boolean | null)[])[]): string {
  return stringify([header, ...rows.map((row) => row.map((cell) => (cell === null ? '' : cell)))], { record_delimiter: 'windows', escape_formulas: true, cast: { boolean: (b) => String(b) } });
}

const FIGURE_COLUMNS = ['opened', 'met', 'breached', 'running', 'percentMet', 'medianFirstResponseMinutes', 'p90FirstResponseMinutes'] as const;

export function renderFile(report: MonthlyReport, file: ReportFile): string {
  switch (file) {
    case 'report.json':
      return `${JSON.stringify(report, null, 2)}\n`;
    case 'availability.csv':
      return csv(
        ['target', 'period', 'eligibleSlots', 'upSlots', 'downSlots', 'missingSlots', 'excludedSlots', 'availabilityPercent', 'targetPercent', 'targetMet'],
        report.availability.targets.flatMap((t) => [
          [t.target, report.month, t.eligibleSlots, t.upSlots, t.downSlots, t.missingSlots, t.excludedSlots, t.availabilityPercent, report.availability.targetPercent, t.targetMet],
          ...t.daily.map((d) => [t.target, d.date, d.eligibleSlots, d.upSlots, d.downSlots, d.missingSlots, d.excludedSlots, d.availabilityPercent, report.availability.targetPercent, null]),
        ]),
      );
    case 'sla.csv':
      return csv(
        ['customerId', 'priority', ...FIGURE_COLUMNS],
        [
          ['all', 'all', ...FIGURE_COLUMNS.map((c) => report.sla.total[c])],
          ...report.sla.byPriority.map((r) => ['all', r.priority, ...FIGURE_COLUMNS.map((c) => r[c])]),
          ...report.sla.byCustomer.map((r) => [r.customerId, 'all', ...FIGURE_COLUMNS.map((c) => r[c])]),
          ...report.sla.byCustomerAndPriority.map((r) => [r.customerId, r.priority, ...FIGURE_COLUMNS.map((c) => r[c])]),
        ],
      );
    case 'consultancy.csv':
      return csv(
        ['customerId', 'service', 'billableHours', 'rate', 'currency', 'amount'],
        report.consultancy.totals.map((t) => [t.customerId, t.service, t.billableHours, t.rate, t.currency, t.amount]),
      );
    case 'report.html':
      return reportHtml(report);
  }
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const percent = (value: number | null, digits = 3) => (value === null ? '–' : `${value.toFixed(digits)} %`);
/** A figure as shown, with the exact value beside it for machines. */
const cell = (value: number | string | null, shown = value === null ? '–' : String(value)) => `<td data-value="${escapeHtml(value === null ? '' : String(value))}">${escapeHtml(shown)}</td>`;

/** Daily availability of each target, against the target line. */
function availabilityChart(report: MonthlyReport): string {
  const days = [...new Set(report.availability.targets.flatMap((t) => t.daily.map((d) => d.date)))].sort();
  const values = report.availability.targets.flatMap((t) => t.daily.map((d) => d.availabilityPercent)).filter((v): v is number => v !== null);
  const floor = Math.min(99, Math.floor(Math.min(...values, report.availability.targetPercent) - 0.5));
  const [width, height, left, bottom] = [720, 240, 48, 24];
  const x = (i: number) => left + (days.length <= 1 ? 0 : (i * (width - left - 8)) / (days.length - 1));
  const y = (v: number) => 8 + ((100 - v) * (height - bottom - 8)) / (100 - floor);
  const colours = ['#1f6feb', '#8250df', '#bf3989', '#1a7f37', '#9a6700'];
  const lines = report.availability.targets.map((t, n) => {
    const points = t.daily.filter((d) => d.availabilityPercent !== null).map((d) => `${x(days.indexOf(d.date)).toFixed(1)},${y(d.availabilityPercent!).toFixed(1)}`);
    return `<polyline class="series" data-target="${escapeHtml(t.target)}" fill="none" stroke="${colours[n % colours.length]}" stroke-width="2" points="${points.join(' ')}"/>`;
  });
  const target = y(report.availability.targetPercent);
  return `<svg id="availability-chart" role="img" aria-label="Daily availability per target against the ${report.availability.targetPercent}% target" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">
<line x1="${left}" x2="${width - 8}" y1="${target.toFixed(1)}" y2="${target.toFixed(1)}" stroke="#cf222e" stroke-dasharray="6 4"/>
<text x="${left - 4}" y="${(target + 4).toFixed(1)}" text-anchor="end" font-size="10">${report.availability.targetPercent}</text>
<text x="${left - 4}" y="12" text-anchor="end" font-size="10">100</text><text x="${left - 4}" y="${height - bottom}" text-anchor="end" font-size="10">${floor}</text>
${lines.join('\n')}
${days.map((d, i) => (i % 5 === 0 ? `<text x="${x(i).toFixed(1)}" y="${height - 6}" font-size="10" text-anchor="middle">${d.slice(8)}</text>` : '')).join('')}
</svg>`;
}

/** First responses met and breached per priority. */
function slaChart(report: MonthlyReport): string {
  const rows = PRIORITIES.map((p) => report.sla.byPriority.find((r) => r.priority === p)!);
  const most = Math.max(1, ...rows.map((r) => Math.max(r.met, r.breached)));
  const [width, height, bottom] = [720, 200, 24];
  const band = width / rows.length;
  const bar = (band - 24) / 2;
  const h = (n: number) => (n * (height - bottom - 32)) / most;
  const bars = rows.map((r, i) => {
    const x = i * band + 12;
    return `<rect class="met" data-priority="${r.priority}" data-value="${r.met}" x="${x}" y="${height - bottom - h(r.met)}" width="${bar}" height="${h(r.met)}" fill="#1a7f37"/>
<rect class="breached" data-priority="${r.priority}" data-value="${r.breached}" x="${x + bar}" y="${height - bottom - h(r.breached)}" width="${bar}" height="${h(r.breached)}" fill="#cf222e"/>
<text x="${x + bar / 2}" y="${height - bottom - h(r.met) - 3}" font-size="10" text-anchor="middle">${r.met}</text>
<text x="${x + bar * 1.5}" y="${height - bottom - h(r.breached) - 3}" font-size="10" text-anchor="middle">${r.breached}</text>
<text x="${x + bar}" y="${height - 6}" font-size="11" text-anchor="middle">${r.priority}</text>`;
  });
  const legend = `<rect class="legend" x="${width - 150}" y="6" width="10" height="10" fill="#1a7f37"/><text x="${width - 136}" y="15" font-size="11">met</text><rect class="legend" x="${width - 96}" y="6" width="10" height="10" fill="#cf222e"/><text x="${width - 82}" y="15" font-size="11">breached</text>`;
  return `<svg id="sla-chart" role="img" aria-label="First responses met (green) and breached (red) per priority" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">
${legend}
${bars.join('\n')}
</svg>`;
}

function figureRow(label: string, r: MonthlyReport['sla']['total']): string {
  return `<tr><th scope="row">${escapeHtml(label)}</th>${cell(r.opened)}${cell(r.met)}${cell(r.breached)}${cell(r.running)}${cell(r.percentMet, percent(r.percentMet, 2))}${cell(r.medianFirstResponseMinutes)}${cell(r.p90FirstResponseMinutes)}</tr>`;
}

function reportHtml(report: MonthlyReport): string {
  const who = report.customerId === null ? 'all customers' : `customer ${report.customerId}`;
  const table = (caption: string, head: readonly string[], rows: readonly string[]) =>
    `<table><caption>${escapeHtml(caption)}</caption><thead><tr>${head.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
  const sections = [
    `<h2>Availability</h2>`,
    availabilityChart(report),
    table(
      'Availability per target, operating hours only',
      ['Target', 'Eligible', 'Up', 'Down', 'Missing', 'Excluded', 'Availability', 'Target met'],
      report.availability.targets.map(
        (t) =>
          `<tr data-target="${escapeHtml(t.target)}"><th scope="row">${escapeHtml(t.target)}</th>${cell(t.eligibleSlots)}${cell(t.upSlots)}${cell(t.downSlots)}${cell(t.missingSlots)}${cell(t.excludedSlots)}${cell(t.availabilityPercent, percent(t.availabilityPercent))}${cell(t.targetMet === null ? null : String(t.targetMet), t.targetMet === null ? '–' : t.targetMet ? 'yes' : 'no')}</tr>`,
      ),
    ),
    table(
      'Extraordinary service windows',
      ['Window', 'Start', 'End', 'Reason', 'Notice (min)', 'Retroactive'],
      report.availability.serviceWindows.map(
        (w) => `<tr><th scope="row">${escapeHtml(w.id)}</th>${cell(w.start)}${cell(w.end)}${cell(w.reason)}${cell(w.noticeMinutes)}${cell(String(w.retroactive), w.retroactive ? 'yes' : 'no')}</tr>`,
      ),
    ),
    table(
      'Downtime incidents',
      ['Target', 'Start', 'End', 'Minutes'],
      report.availability.targets.flatMap((t) => t.incidents.map((i) => `<tr><th scope="row">${escapeHtml(t.target)}</th>${cell(i.start)}${cell(i.end)}${cell(i.minutes)}</tr>`)),
    ),
    `<h2>First-response SLA</h2>`,
    slaChart(report),
    table(
      'First responses of the tickets opened this month, at its end',
      ['', 'Opened', 'Met', 'Breached', 'Running', 'Met %', 'Median (business min)', '90th percentile'],
      [figureRow('All', report.sla.total), ...report.sla.byPriority.map((r) => figureRow(r.priority, r)), ...report.sla.byCustomer.map((r) => figureRow(r.customerId, r))],
    ),
    table(
      'Breached first responses',
      ['Ticket', 'Customer', 'Priority', 'Opened', 'Due', 'Answered', 'Late (business min)'],
      report.sla.breaches.map(
        (b) => `<tr><th scope="row">${escapeHtml(b.ticketId)}</th>${cell(b.customerId)}${cell(b.priority)}${cell(b.openedAt)}${cell(b.dueAt)}${cell(b.respondedAt)}${cell(b.lateMinutes)}</tr>`,
      ),
    ),
    `<h2>Consultancy</h2>`,
    table(
      'Billable consultancy, approved work only',
      ['Customer', 'Service', 'Hours', 'Rate', 'Currency', 'Amount'],
      report.consultancy.totals.map((t) => `<tr><th scope="row">${escapeHtml(t.customerId)}</th>${cell(t.service)}${cell(t.billableHours)}${cell(t.rate)}${cell(t.currency)}${cell(t.amount)}</tr>`),
    ),
    table(
      'The approvals behind it',
      ['Request', 'Customer', 'Service', 'Approved', 'By', 'Hours approved', 'Rate'],
      report.consultancy.approvals.map(
        (a) =>
          `<tr><th scope="row">${escapeHtml(a.requestId)}</th>${cell(a.customerId)}${cell(a.service)}${cell(a.approvedAt)}${cell(a.approvedBy)}${cell(a.approvedHours)}${cell(`${a.rate} ${a.currency}`)}</tr>`,
      ),
    ),
    `<h2>Hypercare</h2>`,
    table(
      'Hypercare during the month',
      ['Customer', 'Status at month end', 'Planned end', 'Concluded', 'Criteria met', 'Digests sent'],
      report.hypercare.map(
        (h) =>
          `<tr><th scope="row">${escapeHtml(`${h.name} (${h.customerId})`)}</th>${cell(h.statusAtMonthEnd)}${cell(h.plannedEndAt)}${cell(h.concludedAt)}${cell(
            Object.entries(h.criteria)
              .filter(([, c]) => c.met)
              .map(([n]) => n)
              .join(', '),
          )}${cell(h.digests.length)}</tr>`,
      ),
    ),
  ];
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>sla-desk report ${escapeHtml(report.month)} (${escapeHtml(who)})</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:2rem;color:#1f2328}
table{border-collapse:collapse;margin:1rem 0;width:100%}th,td{border:1px solid #d0d7de;padding:4px 8px;text-align:left}
td[data-value]{font-variant-numeric:tabular-nums}caption{text-align:left;font-weight:600;margin:.5rem 0}
svg{max-width:100%;height:auto;border:1px solid #d0d7de}@media print{body{margin:0}h2{break-before:auto}svg{break-inside:avoid}}
</style></head>
<body>
<h1>Monthly report ${escapeHtml(report.month)}: ${escapeHtml(who)}</h1>
<p>Version ${report.version}, generated ${escapeHtml(report.generatedAt)} (${escapeHtml(report.reason)}). Inputs read: ${report.inputs.tickets} tickets, ${report.inputs.samples} samples, ${report.inputs.serviceWindows} service windows, ${report.inputs.timeEntries} time entries.</p>
${sections.join('\n')}
</body></html>
`;
}
