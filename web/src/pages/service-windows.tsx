import { useEffect, useState } from 'preact/hooks';
import { api, fieldProblem, problemText } from '../api/client';
import { serverNow } from '../clock';
import { copenhagen, copenhagenDate } from '../countdown';
import { useRefresh } from '../session';

/** Extraordinary service windows: announce (every customer is told), list with the notice each gave, cancel before they start. */
export function ServiceWindows() {
  const tick = useRefresh();
  const month = copenhagenDate(serverNow()).slice(0, 7);
  const [windows, setWindows] = useState<NonNullable<Awaited<ReturnType<typeof load>>['data']>['items']>();
  const [error, setError] = useState<unknown>();
  const [changed, setChanged] = useState(0);
  const [start, setStart] = useState('');
  const [end, setEnd] = useState('');
  const [reason, setReason] = useState('');
  const load = () => api.GET('/service-windows', { params: { query: { month } } });
  useEffect(() => {
    void (async () => {
      const { data, error } = await load();
      if (error) setError(error);
      else setWindows(data.items);
    })();
  }, [tick, changed]);
  const announce = async (event: Event) => {
    event.preventDefault();
    const { error } = await api.POST('/service-windows', { body: { start, end, reason } });
    setError(error);
    if (!error) setChanged((n) => n + 1);
  };
  const cancel = async (id: string) => {
    const { error } = await api.DELETE('/service-windows/{id}', { params: { path: { id } } });
    setError(error);
    if (!error) setChanged((n) => n + 1);
  };
  return (
    <section>
      <h1>Service windows, {month}</h1>
      {windows === undefined ? <p>Loading…</p> : windows.length === 0 ? <p>None this month.</p> : null}
      <ul>
        {(windows ?? []).map((w) => (
          <li key={w.id} data-window={w.id}>
            {copenhagen(w.start)} – {copenhagen(w.end)}: {w.reason} · notice {Math.round(w.noticeMinutes / 60)} h{w.retroactive ? ' · retroactive' : ''}{' '}
            {Date.parse(w.start) > serverNow() ? (
              <button type="button" onClick={() => void cancel(w.id)}>
                Cancel {w.id}
              </button>
            ) : null}
          </li>
        ))}
      </ul>
      <form onSubmit={announce} noValidate>
        <h2>Announce a window</h2>
        <label for="start">Start (ISO 8601 with offset, e.g. 2026-12-10T18:00:00+01:00)</label>
        <input id="start" value={start} onInput={(e) => setStart(e.currentTarget.value)} />
        {fieldProblem(error, 'start') ? <p class="error">{fieldProblem(error, 'start')}</p> : null}
        <label for="end">End</label>
        <input id="end" value={end} onInput={(e) => setEnd(e.currentTarget.value)} />
        {fieldProblem(error, 'end') ? <p class="error">{fieldProblem(error, 'end')}</p> : null}
        <label for="reason">Reason</label>
        <input id="reason" value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
        <div>
          <button type="submit">Announce</button>
        </div>
      </form>
      {error ? (
        <p role="alert" class="error">
          {problemText(error)}
        </p>
      ) : null}
    </section>
  );
}
