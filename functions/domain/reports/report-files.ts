import { stringify } from 'csv-stringify/sync';
import { AXIS_LABEL_GAP, dayLabelEvery, percentAxis, percentLabel } from '../availability/chart-axis';
import { PRIORITIES } from '../sla/sla-policy';
import { counted, dateText, HYPERCARE_CRITERION_NAMES, HYPERCARE_STATUS_NAMES, hoursText, minutesText, moneyText, monthText, PRIORITY_NAMES, serviceName, timeText } from '../wording';
import type { MonthlyReport } from './monthly-report';
import type { ReportFile } from './report-formats';
import type { ResolutionFigure } from './resolution-figures';

export { ALL_CUSTOMER_FILES, CONTENT_TYPES, type ReportFile, STORED_FILES } from './report-formats';

/** RFC 4180 with a header row, CRLF, dots for decimals; a cell that could start a formula is escaped with '. */
function csv(header: readonly string[], rows: readonly (readonly (string | number | boolean | null)[])[]): string {
  return stringify([header, ...rows.map((row) => row.map((cell) => (cell === null ? '' : cell)))], { record_delimiter: 'windows', escape_formulas: true, cast: { boolean: (b) => String(b) } });
}

const FIGURE_COLUMNS = ['opened', 'met', 'breached', 'running', 'percentMet', 'medianFirstResponseMinutes', 'p90FirstResponseMinutes'] as const;
const RESOLUTION_COLUMNS = ['opened', 'resolved', 'medianResolutionMinutes', 'p90ResolutionMinutes', 'withinTarget', 'percentWithinTarget'] as const;

/** A file of the report besides the page: the JSON itself, or a spreadsheet made from it. */
export function renderFile(report: MonthlyReport, file: Exclude<ReportFile, 'report.html'>): string {
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
        ['customerId', 'priority', ...FIGURE_COLUMNS, 'priorityName'],
        [
          ['all', 'all', ...FIGURE_COLUMNS.map((c) => report.sla.total[c]), 'All'],
          ...report.sla.byPriority.map((r) => ['all', r.priority, ...FIGURE_COLUMNS.map((c) => r[c]), PRIORITY_NAMES[r.priority]]),
          ...report.sla.byCustomer.map((r) => [r.customerId, 'all', ...FIGURE_COLUMNS.map((c) => r[c]), 'All']),
          ...report.sla.byCustomerAndPriority.map((r) => [r.customerId, r.priority, ...FIGURE_COLUMNS.map((c) => r[c]), PRIORITY_NAMES[r.priority]]),
        ],
      );
    case 'resolution.csv': {
      const r = report.resolution;
      const row = (customerId: string, priority: string, f: ResolutionFigure, target: number | null, name: string) => [customerId, priority, ...RESOLUTION_COLUMNS.map((c) => f[c]), target, name];
      return csv(
        ['customerId', 'priority', ...RESOLUTION_COLUMNS, 'targetMinutes', 'priorityName'],
        r
          ? [
              row('all', 'all', r.total, null, 'All'),
              ...r.byPriority.map((p) => row('all', p.priority, p, p.targetMinutes, PRIORITY_NAMES[p.priority])),
              ...r.byCustomer.map((c) => row(c.customerId, 'all', c, null, 'All')),
              ...r.byCustomerAndPriority.map((c) => row(c.customerId, c.priority, c, r.byPriority.find((p) => p.priority === c.priority)?.targetMinutes ?? null, PRIORITY_NAMES[c.priority])),
            ]
          : [],
      );
    }
    case 'consultancy.csv':
      return csv(
        ['customerId', 'service', 'billableHours', 'rate', 'currency', 'amount', 'serviceName'],
        report.consultancy.totals.map((t) => [t.customerId, t.service, t.billableHours, t.rate, t.currency, t.amount, serviceName(t.service)]),
      );
  }
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const percent = (value: number | null, digits = 3) => (value === null ? '–' : `${value.toFixed(digits)} %`);
/** A figure as shown, with the exact value beside it for machines. */
const cell = (value: number | string | null, shown = value === null ? '–' : String(value)) => `<td data-value="${escapeHtml(value === null ? '' : String(value))}">${escapeHtml(shown)}</td>`;
/** Words only: a name, a reason. */
const text = (shown: string) => `<td>${escapeHtml(shown)}</td>`;
/** An instant as people read it, in Copenhagen time, and to the minute in ISO 8601 for machines. */
const when = (iso: string | null, none = '–') => (iso === null ? text(none) : `<td><time datetime="${escapeHtml(iso.replace(/:\d\d\.\d{3}(?=[+-Z])/, ''))}">${escapeHtml(timeText(iso))}</time></td>`);
/** Business minutes in words, with the whole minutes for machines: "2 hours 15 minutes". */
const minutes = (value: number | null) => cell(value === null ? null : Math.floor(value), value === null ? '–' : minutesText(Math.floor(value)));
const yesNo = (value: boolean | null) => cell(value === null ? null : String(value), value === null ? '–' : value ? 'Yes' : 'No');
/** An SLA row's label: a priority or a customer by its name. */
const rowName = (key: string) => (key in PRIORITY_NAMES ? PRIORITY_NAMES[key as keyof typeof PRIORITY_NAMES] : key);

/** Daily availability of each target against the target line: a y-axis from its floor to 100%, the days below, each day's value on hover and focus. */
function availabilityChart(report: MonthlyReport): string {
  const days = [...new Set(report.availability.targets.flatMap((t) => t.daily.map((d) => d.date)))].sort();
  const target = report.availability.targetPercent;
  const [width, height, left, right, top, bottom] = [720, 260, 56, 104, 12, 40];
  const plot = { width: width - left - right, height: height - top - bottom };
  const axis = percentAxis(
    report.availability.targets.flatMap((t) => t.daily.map((d) => d.availabilityPercent)),
    plot.height,
    AXIS_LABEL_GAP,
  );
  const x = (i: number) => left + (days.length <= 1 ? plot.width / 2 : (i * plot.width) / (days.length - 1));
  const y = (v: number) => top + ((100 - v) * plot.height) / (100 - axis.floor);
  const colours = ['#1f6feb', '#8250df', '#bf3989', '#1a7f37', '#9a6700'];
  const every = dayLabelEvery(days.length, plot.width, 28);
  const ticks = axis.ticks.map(
    (v) =>
      `<line x1="${left}" x2="${left + plot.width}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#d0d7de"/><text class="tick-label" x="${left - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end" font-size="11">${percentLabel(v)}</text>`,
  );
  const dayLabels = days.map((d, i) =>
    i % every === 0 ? `<text class="day-label" x="${x(i).toFixed(1)}" y="${height - bottom + 16}" font-size="11" text-anchor="middle">${Number(d.slice(8))}</text>` : '',
  );
  const series = report.availability.targets.map((t, n) => {
    const colour = colours[n % colours.length];
    const shown = t.daily.filter((d) => d.availabilityPercent !== null);
    const points = shown.map((d) => [x(days.indexOf(d.date)), y(d.availabilityPercent!)] as const);
    const marks = shown.map((d, i) => {
      const [px, py] = points[i]!;
      const said = `${t.target}, ${dateText(d.date)}: ${percentLabel(d.availabilityPercent!, 3)}`;
      return `<g class="point" role="img" tabindex="0" aria-label="${escapeHtml(said)}"><title>${escapeHtml(said)}</title><circle cx="${px.toFixed(1)}" cy="${py.toFixed(1)}" r="4" fill="${colour}"/><text class="value" x="${px.toFixed(1)}" y="${(py - 8).toFixed(1)}" font-size="11" text-anchor="middle">${percentLabel(d.availabilityPercent!)}</text></g>`;
    });
    return `<polyline class="series" data-target="${escapeHtml(t.target)}" fill="none" stroke="${colour}" stroke-width="2" points="${points.map(([px, py]) => `${px.toFixed(1)},${py.toFixed(1)}`).join(' ')}"/>
${marks.join('')}`;
  });
  return `<svg id="availability-chart" role="group" aria-label="Daily availability per target in ${escapeHtml(monthText(report.month))} against the ${target}% target" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">
${ticks.join('')}
<line class="target" x1="${left}" x2="${left + plot.width}" y1="${y(target).toFixed(1)}" y2="${y(target).toFixed(1)}" stroke="#cf222e" stroke-dasharray="6 4"/>
<text class="target-label" x="${left + plot.width + 6}" y="${(y(target) + 4).toFixed(1)}" font-size="11" fill="#a40e26">${percentLabel(target)} target</text>
${dayLabels.join('')}
<text x="${left + plot.width / 2}" y="${height - 6}" font-size="11" text-anchor="middle">Business days of ${escapeHtml(monthText(report.month))}</text>
${series.join('\n')}
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
<text x="${x + bar}" y="${height - 6}" font-size="11" text-anchor="middle">${PRIORITY_NAMES[r.priority]}</text>`;
  });
  const legend = `<rect class="legend" x="${width - 150}" y="6" width="10" height="10" fill="#1a7f37"/><text x="${width - 136}" y="15" font-size="11">Met</text><rect class="legend" x="${width - 96}" y="6" width="10" height="10" fill="#cf222e"/><text x="${width - 82}" y="15" font-size="11">Breached</text>`;
  return `<svg id="sla-chart" role="img" aria-label="First responses met (green) and breached (red) per priority" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">
${legend}
${bars.join('\n')}
</svg>`;
}

/** A resolution row; the target and the verdict only in the provider's report. */
function resolutionRow(label: string, r: ResolutionFigure, provider: boolean, targetMinutes?: number | null): string {
  const target = targetMinutes === undefined ? '' : minutes(targetMinutes);
  const verdict = provider ? cell(r.percentWithinTarget, percent(r.percentWithinTarget, 2)) : '';
  return `<tr><th scope="row">${escapeHtml(rowName(label))}</th>${target}${cell(r.opened)}${cell(r.resolved)}${minutes(r.medianResolutionMinutes)}${minutes(r.p90ResolutionMinutes)}${verdict}</tr>`;
}

/** Resolution per priority against its target, and per customer; a version made before it was measured says so. */
function resolutionSection(report: MonthlyReport): string[] {
  const r = report.resolution;
  if (!r) return ['<h2>Resolution</h2>', '<p>This version was made before resolution was measured.</p>'];
  const provider = report.customerId === null;
  const head = ['Opened', 'Resolved', 'Median resolution (business time)', '90th percentile (business time)', ...(provider ? ['Within target %'] : [])];
  return [
    '<h2>Resolution</h2>',
    table(
      `Resolution of the tickets opened this month, at its end, in business time with waits on the customer left out${provider ? ', against the internal targets' : ''}`,
      ['', ...(provider ? ['Target'] : []), ...head],
      r.byPriority.map((p) => resolutionRow(p.priority, p, provider, provider ? p.targetMinutes : undefined)),
    ),
    table('Resolution per customer', ['', ...head], [resolutionRow('All', r.total, provider), ...r.byCustomer.map((c) => resolutionRow(c.customerId, c, provider))]),
  ];
}

const table = (caption: string, head: readonly string[], rows: readonly string[]) =>
  `<table><caption>${escapeHtml(caption)}</caption><thead><tr>${head.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table>`;

function figureRow(label: string, r: MonthlyReport['sla']['total']): string {
  return `<tr><th scope="row">${escapeHtml(rowName(label))}</th>${cell(r.opened)}${cell(r.met)}${cell(r.breached)}${cell(r.running)}${cell(r.percentMet, percent(r.percentMet, 2))}${minutes(r.medianFirstResponseMinutes)}${minutes(r.p90FirstResponseMinutes)}</tr>`;
}

/**
 * The report as a page, for its reader: a person by the name `nameOf` reads
 * from their record now (the version keeps only their id), so a new name, or
 * an erased person, shows in every version alike.
 */
export function reportPage(report: MonthlyReport, nameOf: (subject: string) => string): string {
  const who = report.customerId === null ? 'all customers' : `customer ${report.customerId}`;
  const month = monthText(report.month);
  const sections = [
    `<h2>Availability</h2>`,
    availabilityChart(report),
    table(
      'Availability per target, operating hours only (5-minute slots)',
      ['Target', 'Eligible', 'Up', 'Down', 'Missing', 'Excluded', 'Availability', 'Target met'],
      report.availability.targets.map(
        (t) =>
          `<tr data-target="${escapeHtml(t.target)}"><th scope="row">${escapeHtml(t.target)}</th>${cell(t.eligibleSlots)}${cell(t.upSlots)}${cell(t.downSlots)}${cell(t.missingSlots)}${cell(t.excludedSlots)}${cell(t.availabilityPercent, percent(t.availabilityPercent))}${yesNo(t.targetMet)}</tr>`,
      ),
    ),
    table(
      'Extraordinary service windows (Copenhagen time)',
      ['Window', 'Start', 'End', 'Reason', 'Notice given', 'Entered after it started'],
      report.availability.serviceWindows.map(
        (w) => `<tr><th scope="row">${escapeHtml(w.id)}</th>${when(w.start)}${when(w.end)}${text(w.reason)}${cell(w.noticeMinutes, minutesText(w.noticeMinutes))}${yesNo(w.retroactive)}</tr>`,
      ),
    ),
    table(
      'Downtime incidents (Copenhagen time)',
      ['Target', 'Start', 'End', 'Duration'],
      report.availability.targets.flatMap((t) =>
        t.incidents.map((i) => `<tr><th scope="row">${escapeHtml(t.target)}</th>${when(i.start)}${when(i.end)}${cell(i.minutes, minutesText(i.minutes))}</tr>`),
      ),
    ),
    `<h2>First-response SLA</h2>`,
    slaChart(report),
    table(
      'First responses of the tickets opened this month, at its end',
      ['', 'Opened', 'Met', 'Breached', 'Running', 'Met %', 'Median first response (business time)', '90th percentile (business time)'],
      [figureRow('All', report.sla.total), ...report.sla.byPriority.map((r) => figureRow(r.priority, r)), ...report.sla.byCustomer.map((r) => figureRow(r.customerId, r))],
    ),
    table(
      'Breached first responses (Copenhagen time)',
      ['Ticket', 'Customer', 'Priority', 'Opened', 'Due', 'Answered', 'Late by (business time)'],
      report.sla.breaches.map(
        (b) =>
          `<tr><th scope="row">${escapeHtml(b.ticketId)}</th>${text(b.customerId)}${cell(b.priority, PRIORITY_NAMES[b.priority])}${when(b.openedAt)}${when(b.dueAt)}${when(b.respondedAt, 'Not by the month’s end')}${minutes(b.lateMinutes)}</tr>`,
      ),
    ),
    ...resolutionSection(report),
    `<h2>Consultancy</h2>`,
    table(
      'Billable consultancy, approved work only',
      ['Customer', 'Service', 'Hours', 'Rate an hour', 'Amount'],
      report.consultancy.totals.map(
        (t) =>
          `<tr><th scope="row">${escapeHtml(t.customerId)}</th>${cell(t.service, serviceName(t.service))}${cell(t.billableHours, hoursText(t.billableHours))}${cell(t.rate, moneyText(t.rate, t.currency))}${cell(t.amount, moneyText(t.amount, t.currency))}</tr>`,
      ),
    ),
    table(
      'The approvals behind it',
      ['Request', 'Customer', 'Service', 'Approved', 'By', 'Hours approved', 'Rate'],
      report.consultancy.approvals.map(
        (a) =>
          `<tr><th scope="row">${escapeHtml(a.requestId)}</th>${text(a.customerId)}${cell(a.service, serviceName(a.service))}${when(a.approvedAt)}${text(nameOf(a.approvedBy))}${cell(a.approvedHours, hoursText(a.approvedHours))}${cell(a.rate, `${moneyText(a.rate, a.currency)} an hour`)}</tr>`,
      ),
    ),
    `<h2>Hypercare</h2>`,
    table(
      'Hypercare during the month (Copenhagen time)',
      ['Customer', 'Status at month end', 'Planned end', 'Concluded', 'Conditions met', 'Digests sent'],
      report.hypercare.map(
        (h) =>
          `<tr><th scope="row">${escapeHtml(`${h.name} (${h.customerId})`)}</th>${cell(h.statusAtMonthEnd, `${HYPERCARE_STATUS_NAMES[h.statusAtMonthEnd]}${h.overdue ? ', past its planned end' : ''}`)}${when(h.plannedEndAt)}${when(h.concludedAt)}${text(
            (Object.keys(h.criteria) as (keyof typeof h.criteria)[])
              .filter((name) => h.criteria[name].met)
              .map((name) => HYPERCARE_CRITERION_NAMES[name])
              .join(', ') || 'None yet',
          )}${cell(h.digests.length)}</tr>`,
      ),
    ),
  ];
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>sla-desk report, ${escapeHtml(month)} (${escapeHtml(who)})</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:2rem;color:#1f2328}
table{border-collapse:collapse;margin:1rem 0;width:100%}th,td{border:1px solid #d0d7de;padding:4px 8px;text-align:left}
td[data-value]{font-variant-numeric:tabular-nums}caption{text-align:left;font-weight:600;margin:.5rem 0}
svg{max-width:100%;height:auto;border:1px solid #d0d7de}@media print{body{margin:0}h2{break-before:auto}svg{break-inside:avoid}}
.point .value{visibility:hidden}.point:hover .value,.point:focus .value{visibility:visible}.point:focus{outline:none}.point:focus circle{stroke:#1f2328;stroke-width:2}
</style></head>
<body>
<h1>Monthly report, ${escapeHtml(month)}: ${escapeHtml(who)}</h1>
<p>Version ${report.version}, made ${escapeHtml(timeText(report.generatedAt))} (Copenhagen time). Reason: ${escapeHtml(report.reason)}. Read: ${counted(report.inputs.tickets, 'ticket')}, ${counted(report.inputs.samples, 'sample')}, ${counted(report.inputs.serviceWindows, 'service window')}, ${counted(report.inputs.timeEntries, 'time entry', 'time entries')}.</p>
${sections.join('\n')}
</body></html>
`;
}
