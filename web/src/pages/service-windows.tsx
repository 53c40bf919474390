import { useEffect, useState } from 'preact/hooks';
import { counted, minutesText, monthText } from '#domain/wording';
import { api, fieldProblem, problemText } from '../api/client';
import { serverNow } from '../clock';
import { copenhagen, copenhagenDate } from '../countdown';
import { Alert, checked, CopenhagenDateTime, FieldProblem, fromLocalInput, MonthPicker } from '../form';
import { useRefresh, useUnsaved } from '../session';

/** Extraordinary service windows: announce (every customer is told), list with the notice each gave, cancel before they start. */
export function ServiceWindows() {
  const tick = useRefresh();
  const thisMonth = copenhagenDate(serverNow()).slice(0, 7);
  const [month, setMonth] = useState(thisMonth);
  const [windows, setWindows] = useState<NonNullable<Awaited<ReturnType<typeof load>>['data']>['items']>();
  const [error, setError] = useState<unknown>();
  const [changed, setChanged] = useState(0);
  const [start, setStart] = useState('');
  const [end, setEnd] = useState('');
  const [reason, setReason] = useState('');
  const load = () => api.GET('/service-windows', { params: { query: { month } } });
  useUnsaved(start !== '' || end !== '' || reason !== '');
  useEffect(() => {
    void (async () => {
      const { data, error } = await load();
      if (error) setError(error);
      else setWindows(data.items);
    })();
  }, [tick, changed, month]);
  const announce = async (event: Event) => {
    event.preventDefault();
    const local = checked({
      start: fromLocalInput(start) ? undefined : 'Give the start as a date and a time',
      end: fromLocalInput(end) ? undefined : 'Give the end as a date and a time',
      reason: reason.trim() ? undefined : 'Say what the window is for: customers read it',
    });
    setError(local);
    if (local) return;
    const [from, to] = [fromLocalInput(start)!, fromLocalInput(end)!];
    // Every customer is emailed at once: the announcement cannot be taken back, only cancelled with a second email.
    if (!confirm(`Announce a service window from ${copenhagen(from)} to ${copenhagen(to)}? Every customer is emailed now.`)) return;
    const { error } = await api.POST('/service-windows', { body: { start: from, end: to, reason } });
    setError(error);
    if (!error) {
      setStart('');
      setEnd('');
      setReason('');
      setMonth(from.slice(0, 7));
      setChanged((n) => n + 1);
    }
  };
  const cancel = async (id: string, when: string) => {
    if (!confirm(`Cancel the service window of ${when}? Every customer is emailed that it is off.`)) return;
    const { error } = await api.DELETE('/service-windows/{id}', { params: { path: { id } } });
    setError(error);
    if (!error) setChanged((n) => n + 1);
  };
  return (
    <section>
      <h1>Service windows, {monthText(month)}</h1>
      <MonthPicker
        id="windows-month"
        value={month}
        onChange={(m) => {
          setWindows(undefined);
          setMonth(m);
        }}
      />
      {windows === undefined ? <p>Loading…</p> : windows.length === 0 ? <p>None in {monthText(month)}.</p> : null}
      <ul>
        {(windows ?? []).map((w) => (
          <li key={w.id} data-window={w.id}>
            {copenhagen(w.start)} – {copenhagen(w.end)}: {w.reason} · announced {w.noticeMinutes >= 60 ? counted(Math.round(w.noticeMinutes / 60), 'hour') : minutesText(w.noticeMinutes)} ahead
            {w.retroactive ? ' (recorded afterwards)' : ''}{' '}
            {Date.parse(w.start) > serverNow() ? (
              <button type="button" class="secondary" onClick={() => void cancel(w.id, copenhagen(w.start))}>
                Cancel the window of {copenhagen(w.start)}
              </button>
            ) : null}
          </li>
        ))}
      </ul>
      <form onSubmit={announce} noValidate aria-label="Announce a window">
        <h2>Announce a window</h2>
        <CopenhagenDateTime id="start" label="Start" value={start} onChange={setStart} problem={fieldProblem(error, 'start')} />
        <CopenhagenDateTime id="end" label="End" value={end} onChange={setEnd} problem={fieldProblem(error, 'end')} />
        <label for="reason">Reason</label>
        <input id="reason" value={reason} onInput={(e) => setReason(e.currentTarget.value)} aria-describedby="reason-problem" />
        <FieldProblem error={error} field="reason" />
        <div class="actions">
          <button type="submit">Announce</button>
        </div>
      </form>
      <Alert text={error ? problemText(error) : undefined} />
    </section>
  );
}
