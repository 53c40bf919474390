import { useEffect, useState } from 'preact/hooks';
import { REPORT_FILES } from '#domain/reports/report-formats';
import { monthText } from '#domain/wording';
import { api, problemText } from '../api/client';
import { serverNow } from '../clock';
import { copenhagen, copenhagenDate } from '../countdown';
import { Alert, MonthPicker } from '../form';
import { type Session, useRefresh, useUnsaved } from '../session';

const lastMonthOf = (today: string) => {
  const [year, month] = today.split('-').map(Number) as [number, number];
  return month === 1 ? `${year - 1}-12` : `${year}-${String(month - 1).padStart(2, '0')}`;
};

/** The year's reports with their versions; every file downloads with the signed-in person's own token. Finance and admins make new versions. */
export function Reports({ session }: { session: Session }) {
  const tick = useRefresh();
  // The Copenhagen year: on New Year's Eve after 23:00 UTC it is already the next one there.
  const today = copenhagenDate(serverNow());
  const thisYear = Number(today.slice(0, 4));
  const [year, setYear] = useState(thisYear);
  const [months, setMonths] = useState<NonNullable<Awaited<ReturnType<typeof loadYear>>['data']>['months']>();
  const [open, setOpen] = useState<string>();
  const [versions, setVersions] = useState<NonNullable<Awaited<ReturnType<typeof loadMonth>>['data']>>();
  const [error, setError] = useState<string>();
  const [changed, setChanged] = useState(0);
  const loadYear = () => api.GET('/reports', { params: { query: { year } } });
  const loadMonth = (month: string) => api.GET('/reports/{month}', { params: { path: { month } } });
  useEffect(() => {
    void (async () => {
      const { data, error } = await loadYear();
      setError(error ? problemText(error) : undefined);
      if (data) setMonths(data.months);
    })();
  }, [tick, year, changed]);
  useEffect(() => {
    if (!open) return;
    void (async () => {
      const { data, error } = await loadMonth(open);
      setError(error ? problemText(error) : undefined);
      if (data) setVersions(data);
    })();
  }, [open, tick, changed]);
  const download = async (month: string, file: string, version: number) => {
    const { data, error, response } = await api.GET('/reports/{month}/{file}', { params: { path: { month, file }, query: { version } }, parseAs: 'blob' });
    if (error || !data) return setError(problemText(error) || `${file}: ${response.status}`);
    const link = document.createElement('a');
    link.href = URL.createObjectURL(data as Blob);
    link.download = `${month}-v${version}-${file}`;
    link.click();
    URL.revokeObjectURL(link.href);
  };
  const makes = session.role === 'finance' || session.role === 'admin';
  return (
    <section>
      <h1>Monthly reports {year}</h1>
      <div class="actions">
        <button
          type="button"
          class="secondary"
          onClick={() => {
            setMonths(undefined);
            setYear(year - 1);
          }}
        >
          Reports of {year - 1}
        </button>
        {year < thisYear ? (
          <button
            type="button"
            class="secondary"
            onClick={() => {
              setMonths(undefined);
              setYear(year + 1);
            }}
          >
            Reports of {year + 1}
          </button>
        ) : null}
      </div>
      <Alert text={error} />
      {months === undefined ? <p>Loading…</p> : months.length === 0 ? <p>No report for {year} yet.</p> : null}
      <ul aria-label={`Reports of ${year}`}>
        {(months ?? []).map((m) => (
          <li key={m.month}>
            <button type="button" class="secondary" aria-expanded={open === m.month} onClick={() => setOpen(m.month)}>
              {monthText(m.month)}
            </button>{' '}
            version {m.version}, made {copenhagen(m.createdAt)}
          </li>
        ))}
      </ul>
      {open && versions ? (
        <table>
          <caption>Versions of the {monthText(open)} report</caption>
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col">Made</th>
              <th scope="col">Why</th>
              <th scope="col">Files</th>
            </tr>
          </thead>
          <tbody>
            {versions.versions.map((v) => (
              <tr key={v.version} data-version={v.version}>
                <td>{v.version}</td>
                <td>
                  {copenhagen(v.createdAt)} by {v.byName}
                </td>
                <td>{v.reason}</td>
                <td>
                  {REPORT_FILES.filter((f) => versions.files.includes(f)).map((f) => (
                    <button type="button" class="secondary" key={f} onClick={() => void download(v.month, f, v.version)}>
                      {f} (v{v.version})
                    </button>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {makes ? (
        <MakeReport
          latest={lastMonthOf(today)}
          made={(month) => {
            setYear(Number(month.slice(0, 4)));
            setOpen(month);
            setChanged((n) => n + 1);
          }}
          existing={(month) => (months ?? []).some((m) => m.month === month)}
        />
      ) : null}
      {session.role === 'customer' ? <p>Your reports show your own tickets, consultancy and hypercare; availability is the service's.</p> : null}
    </section>
  );
}

/** A month's report, made once the month has ended; again as a new version, with the reason it needed one. Versions are never overwritten. */
function MakeReport({ latest, existing, made }: { latest: string; existing: (month: string) => boolean; made: (month: string) => void }) {
  const [month, setMonth] = useState(latest);
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string>();
  const [accepted, setAccepted] = useState<string>();
  const again = existing(month);
  useUnsaved(reason !== '');
  const submit = async (event: Event) => {
    event.preventDefault();
    if (again && !reason.trim()) return setProblem('Say why a new version is needed: it is kept with the version');
    const { error } = await api.POST('/reports/{month}', { params: { path: { month } }, body: reason.trim() ? { reason: reason.trim() } : {} });
    setProblem(error ? problemText(error) : undefined);
    if (error) return;
    setAccepted(`The ${monthText(month)} report is being made; it appears here in a moment.`);
    setReason('');
    made(month);
  };
  return (
    <form onSubmit={submit} noValidate aria-label="Make a report">
      <h2>{again ? 'Make a new version' : 'Make a report'}</h2>
      <MonthPicker
        id="report-month"
        value={month}
        latest={latest}
        onChange={(m) => {
          setMonth(m);
          setAccepted(undefined);
        }}
      />
      <label for="report-reason">{again ? 'Why a new version is needed' : 'Note (optional)'}</label>
      <input id="report-reason" value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
      <div class="actions">
        <button type="submit">{again ? `Make a new version of ${monthText(month)}` : `Make the ${monthText(month)} report`}</button>
        {accepted ? (
          <span role="status" class="saved">
            {accepted}
          </span>
        ) : null}
      </div>
      <Alert text={problem} />
    </form>
  );
}
