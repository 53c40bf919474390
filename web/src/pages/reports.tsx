import { useEffect, useState } from 'preact/hooks';
import { REPORT_FILES } from '#domain/reports/report-formats';
import { api, problemText } from '../api/client';
import { serverNow } from '../clock';
import { copenhagen, copenhagenDate } from '../countdown';
import { type Session, useRefresh } from '../session';

/** The month's reports with their versions; every file downloads with the signed-in person's own token. */
export function Reports({ session }: { session: Session }) {
  const tick = useRefresh();
  // The Copenhagen year: on New Year's Eve after 23:00 UTC it is already the next one there.
  const year = Number(copenhagenDate(serverNow()).slice(0, 4));
  const [months, setMonths] = useState<NonNullable<Awaited<ReturnType<typeof loadYear>>['data']>['months']>();
  const [open, setOpen] = useState<string>();
  const [versions, setVersions] = useState<NonNullable<Awaited<ReturnType<typeof loadMonth>>['data']>>();
  const [error, setError] = useState<string>();
  const loadYear = () => api.GET('/reports', { params: { query: { year } } });
  const loadMonth = (month: string) => api.GET('/reports/{month}', { params: { path: { month } } });
  useEffect(() => {
    void (async () => {
      const { data, error } = await loadYear();
      if (error) setError(problemText(error));
      else setMonths(data.months);
    })();
  }, [tick]);
  useEffect(() => {
    if (!open) return;
    void (async () => {
      const { data, error } = await loadMonth(open);
      if (error) setError(problemText(error));
      else setVersions(data);
    })();
  }, [open, tick]);
  const download = async (month: string, file: string, version: number) => {
    const { data, error, response } = await api.GET('/reports/{month}/{file}', { params: { path: { month, file }, query: { version } }, parseAs: 'blob' });
    if (error || !data) return setError(problemText(error) || `${file}: ${response.status}`);
    const link = document.createElement('a');
    link.href = URL.createObjectURL(data as Blob);
    link.download = `${month}-v${version}-${file}`;
    link.click();
    URL.revokeObjectURL(link.href);
  };
  return (
    <section>
      <h1>Monthly reports {year}</h1>
      {error ? (
        <p role="alert" class="error">
          {error}
        </p>
      ) : null}
      {months === undefined ? <p>Loading…</p> : months.length === 0 ? <p>No report yet this year.</p> : null}
      <ul>
        {(months ?? []).map((m) => (
          <li key={m.month}>
            <button type="button" aria-expanded={open === m.month} onClick={() => setOpen(m.month)}>
              {m.month}
            </button>{' '}
            latest version {m.version}, {copenhagen(m.createdAt)}
          </li>
        ))}
      </ul>
      {open && versions ? (
        <table>
          <caption>Versions of {open}</caption>
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
                  {copenhagen(v.createdAt)} by {v.by}
                </td>
                <td>{v.reason}</td>
                <td>
                  {REPORT_FILES.filter((f) => versions.files.includes(f)).map((f) => (
                    <button type="button" key={f} onClick={() => void download(v.month, f, v.version)}>
                      {f} (v{v.version})
                    </button>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {session.role === 'customer' ? <p>Your reports show your own tickets, consultancy and hypercare; availability is the service's.</p> : null}
    </section>
  );
}
