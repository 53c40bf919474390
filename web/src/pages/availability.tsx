import { DateTime } from 'luxon';
import { useEffect, useState } from 'preact/hooks';
import { monthAvailability, type Sample } from '#domain/availability/availability';
import { danishCalendar } from '#domain/calendar/danish-calendar';
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
  const [width, height] = [700, 160];
  const floor = Math.min(99, ...days.map((d) => d.percent ?? 100)) - 0.5;
  const y = (v: number) => 8 + ((100 - v) * (height - 24)) / (100 - floor);
  const band = width / Math.max(1, days.length);
  return (
    <section>
      <h1>Availability, {figure.month}</h1>
      <p>
        {figure.availabilityPercent === null ? (figure.note ?? 'Nothing measured yet.') : `${figure.availabilityPercent.toFixed(3)} % so far`} against the target of {figure.targetPercent} %
        {figure.targetMet === null ? '' : figure.targetMet ? ' (met so far)' : ' (missed so far)'} · {Math.max(0, Math.floor(figure.downtimeBudgetLeftMinutes))} minutes of downtime left in the month's
        budget
      </p>
      <svg
        id="daily-availability"
        role="img"
        aria-label={`Daily availability in ${figure.month} against the ${figure.targetPercent}% target`}
        viewBox={`0 0 ${width} ${height}`}
        width={width}
        height={height}
      >
        <line x1="0" x2={width} y1={y(figure.targetPercent)} y2={y(figure.targetPercent)} stroke="#cf222e" stroke-dasharray="6 4" />
        {days.map((d, i) =>
          d.percent === null ? null : (
            <rect
              key={d.date}
              class="day"
              data-date={d.date}
              data-value={d.percent}
              x={i * band + 2}
              y={y(d.percent)}
              width={band - 4}
              height={height - 16 - y(d.percent)}
              fill={d.percent >= figure.targetPercent ? '#1a7f37' : '#cf222e'}
            />
          ),
        )}
      </svg>
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
