import { DateTime } from 'luxon';
import { useEffect, useState } from 'preact/hooks';
import { monthAvailability, type Sample } from '#domain/availability/availability';
import { AXIS_LABEL_GAP, dayLabelEvery, percentAxis, percentLabel } from '#domain/availability/chart-axis';
import { danishCalendar } from '#domain/calendar/danish-calendar';
import { dateText, minutesText, monthText } from '#domain/wording';
import { api, problemText } from '../api/client';
import { serverNow, syncClock } from '../clock';
import { copenhagen, copenhagenDate } from '../countdown';
import { useRefresh } from '../session';

type Figure = NonNullable<Awaited<ReturnType<typeof loadFigure>>['data']>;
type Windows = NonNullable<Awaited<ReturnType<typeof loadWindows>>['data']>['items'];

const loadFigure = (month: string) => api.GET('/availability', { params: { query: { month, target: 'api' } } });
const loadWindows = (month: string) => api.GET('/service-windows', { params: { query: { month } } });
const calendar = danishCalendar();

/** Each business day of the month so far, from the month's samples, by the same rule the API counts with. */
function daily(month: string, samples: Sample[], windows: Windows, asOf: number) {
  const days: { date: string; percent: number | null }[] = [];
  const serviceWindows = windows.map((w) => ({ start: Date.parse(w.start), end: Date.parse(w.end), reason: w.reason, ...(w.targets ? { targets: w.targets } : {}) }));
  for (let day = DateTime.fromISO(`${month}-01`, { zone: calendar.timeZone }); day.toFormat('yyyy-MM') === month && day.toMillis() < asOf; day = day.plus({ days: 1 })) {
    const part = monthAvailability({ calendar, month, target: 'api', samples, windows: serviceWindows, since: day.toMillis(), asOf: Math.min(asOf, day.plus({ days: 1 }).toMillis()) });
    if (part.operatingSlots > 0) days.push({ date: day.toISODate()!, percent: part.availabilityPercent });
  }
  return days;
}

/** The service's availability this month against the 99.5 % target, day by day, with its service windows. */
export function Availability() {
  const tick = useRefresh();
  const [figure, setFigure] = useState<Figure>();
  const [windows, setWindows] = useState<Windows>([]);
  const [days, setDays] = useState<{ date: string; percent: number | null }[]>([]);
  const [error, setError] = useState<string>();
  useEffect(() => {
    void (async () => {
      await syncClock();
      const month = copenhagenDate(serverNow()).slice(0, 7);
      const [f, w, s] = await Promise.all([loadFigure(month), loadWindows(month), api.GET('/availability/samples', { params: { query: { month, target: 'api' } }, parseAs: 'text' })]);
      if (f.error || w.error || s.error) return setError(problemText(f.error ?? w.error ?? s.error));
      const samples = (s.data as string)
        .split('\n')
        .filter(Boolean)
        .map((line) => {
          const sample = JSON.parse(line) as Omit<Sample, 'at'> & { at: string };
          return { ...sample, at: Date.parse(sample.at) } as Sample;
        });
      setFigure(f.data);
      setWindows(w.data.items);
      setDays(daily(month, samples, w.data.items, serverNow()));
    })();
  }, [tick]);
  if (error)
    return (
      <p role="alert" class="error">
        {error}
      </p>
    );
  if (!figure) return <p>Loading…</p>;
  return (
    <section>
      <h1>Availability, {monthText(figure.month)}</h1>
      <p>
        {figure.availabilityPercent === null ? (figure.note ?? 'Nothing measured yet.') : `${figure.availabilityPercent.toFixed(3)} % so far`} against the target of {figure.targetPercent} %
        {figure.targetMet === null ? '' : figure.targetMet ? ' (met so far)' : ' (missed so far)'} · {minutesText(Math.max(0, Math.floor(figure.downtimeBudgetLeftMinutes)))} of downtime left in the
        month's budget
      </p>
      <DailyChart days={days} month={figure.month} targetPercent={figure.targetPercent} />
      <h2>Service windows</h2>
      {windows.length === 0 ? <p>None this month.</p> : null}
      <ul>
        {windows.map((w) => (
          <li key={w.id}>
            {copenhagen(w.start)} – {copenhagen(w.end)}: {w.reason}
            {w.retroactive ? ' (retroactive)' : ''}
          </li>
        ))}
      </ul>
    </section>
  );
}

/**
 * Each business day's availability as a bar, on a y-axis from its floor to
 * 100% (the report page's rule), the target line labelled, the days below;
 * each bar says its value on hover (its title) and when it has focus.
 */
function DailyChart({ days, month, targetPercent }: { days: { date: string; percent: number | null }[]; month: string; targetPercent: number }) {
  const [width, height, left, right, top, bottom] = [700, 200, 52, 96, 10, 34];
  const plot = { width: width - left - right, height: height - top - bottom };
  const axis = percentAxis(
    days.map((d) => d.percent),
    plot.height,
    AXIS_LABEL_GAP,
  );
  const y = (v: number) => top + ((100 - v) * plot.height) / (100 - axis.floor);
  const band = plot.width / Math.max(1, days.length);
  const every = dayLabelEvery(days.length, plot.width, 28);
  return (
    // biome-ignore lint/a11y/useSemanticElements: an SVG cannot be a fieldset; the group names the chart its focusable days belong to
    <svg
      id="daily-availability"
      role="group"
      aria-label={`Daily availability in ${monthText(month)} against the ${targetPercent}% target`}
      viewBox={`0 0 ${width} ${height}`}
      width={width}
      height={height}
    >
      {/* A day's value shows while the pointer is on it or it has focus; its title says it too. */}
      <style>
        {
          '#daily-availability .value{visibility:hidden}#daily-availability .day:hover .value,#daily-availability .day:focus .value{visibility:visible}#daily-availability .day:focus{outline:none}#daily-availability .day:focus rect{stroke:#1f2328;stroke-width:2}'
        }
      </style>
      {axis.ticks.map((v) => (
        <g key={v}>
          <line x1={left} x2={left + plot.width} y1={y(v)} y2={y(v)} stroke="#d0d7de" />
          <text class="tick-label" x={left - 6} y={y(v) + 4} text-anchor="end" font-size="11">
            {percentLabel(v)}
          </text>
        </g>
      ))}
      {days.map((d, i) => {
        const x = left + i * band;
        const said = d.percent === null ? `${dateText(d.date)}: nothing measured` : `${dateText(d.date)}: ${percentLabel(d.percent, 3)}`;
        return (
          // biome-ignore lint/a11y/noInteractiveElementToNoninteractiveRole: a day is a graphic that takes focus so the keyboard can read its value
          <g key={d.date} class="day" role="img" tabindex={0} aria-label={said} data-date={d.date} data-value={d.percent ?? ''}>
            <title>{said}</title>
            {d.percent === null ? null : (
              <rect x={x + 2} y={y(d.percent)} width={Math.max(1, band - 4)} height={top + plot.height - y(d.percent)} fill={d.percent >= targetPercent ? '#1a7f37' : '#cf222e'} />
            )}
            {i % every === 0 ? (
              <text class="day-label" x={x + band / 2} y={top + plot.height + 16} text-anchor="middle" font-size="11">
                {Number(d.date.slice(8))}
              </text>
            ) : null}
            <text class="value" x={x + band / 2} y={top + 12} text-anchor="middle" font-size="11">
              {d.percent === null ? '–' : percentLabel(d.percent)}
            </text>
          </g>
        );
      })}
      <line class="target" x1={left} x2={left + plot.width} y1={y(targetPercent)} y2={y(targetPercent)} stroke="#cf222e" stroke-dasharray="6 4" />
      <text class="target-label" x={left + plot.width + 6} y={y(targetPercent) + 4} font-size="11" fill="#a40e26">
        {percentLabel(targetPercent)} target
      </text>
      <text x={left + plot.width / 2} y={height - 4} text-anchor="middle" font-size="11">
        Business days of {monthText(month)}
      </text>
    </svg>
  );
}
