import { useEffect, useState } from 'preact/hooks';
import { CONSULTANCY_SERVICES, type ConsultancyService } from '#domain/consultancy/consultancy';
import { api, fieldProblem, problemText } from '../api/client';
import { serverNow } from '../clock';
import { copenhagen, copenhagenDate } from '../countdown';
import { type Session, useRefresh } from '../session';

type Request = Extract<NonNullable<Awaited<ReturnType<typeof loadRequests>>['data']>, { items: unknown }>['items'][number];
type Month = Extract<NonNullable<Awaited<ReturnType<typeof loadMonth>>['data']>, { totals: unknown }>;

const loadRequests = () => api.GET('/consultancy', { params: { query: { limit: 100 } } });
const loadMonth = (month: string) => api.GET('/consultancy', { params: { query: { month } } });
const today = () => copenhagenDate(serverNow());
const thisMonth = () => today().slice(0, 7);

/** Consultancy: the customer approves before any work; agents propose, log time and ask for more; finance sees the month. */
export function Consultancy({ session }: { session: Session }) {
  const tick = useRefresh();
  const [requests, setRequests] = useState<Request[]>();
  const [month, setMonth] = useState<Month>();
  const [error, setError] = useState<string>();
  const [changed, setChanged] = useState(0);
  const [rate, setRate] = useState<{ hourly: string; currency: string } | null>();
  useEffect(() => {
    if (session.role !== 'customer' || !session.customerId) return;
    void (async () => {
      const { data } = await api.GET('/customers/{id}', { params: { path: { id: session.customerId! } } });
      setRate(data?.consultancyRate ?? null);
    })();
  }, [tick]);
  useEffect(() => {
    void (async () => {
      if (session.role === 'finance') {
        const { data, error } = await loadMonth(thisMonth());
        if (error) setError(problemText(error));
        else if ('totals' in data) setMonth(data);
        return;
      }
      const { data, error } = await loadRequests();
      if (error) setError(problemText(error));
      else if ('items' in data) setRequests(data.items);
    })();
  }, [tick, changed]);
  const done = () => setChanged((n) => n + 1);
  if (session.role === 'finance') return <MonthTotals month={month} error={error} />;
  return (
    <section>
      <h1>Consultancy</h1>
      {error ? (
        <p role="alert" class="error">
          {error}
        </p>
      ) : null}
      {session.role === 'agent' || session.role === 'admin' ? <Propose onDone={done} /> : null}
      {requests === undefined ? (
        <p>Loading…</p>
      ) : requests.length === 0 ? (
        <p>No consultancy yet.</p>
      ) : (
        requests.map((r) => <RequestCard key={r.id} request={r} session={session} onDone={done} rate={rate} />)
      )}
    </section>
  );
}

function MonthTotals({ month, error }: { month: Month | undefined; error: string | undefined }) {
  const totals = month?.totals;
  return (
    <section>
      <h1>Billable consultancy, {thisMonth()}</h1>
      {error ? (
        <p role="alert" class="error">
          {error}
        </p>
      ) : null}
      {totals === undefined ? (
        <p>Loading…</p>
      ) : totals.length === 0 ? (
        <p>Nothing billable this month yet.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Customer</th>
              <th scope="col">Service</th>
              <th scope="col">Hours</th>
              <th scope="col">Rate</th>
              <th scope="col">Amount</th>
            </tr>
          </thead>
          <tbody>
            {totals.map((t) => (
              <tr key={`${t.customerId}-${t.service}-${t.rate}`} data-customer={t.customerId}>
                <td>{t.customerId}</td>
                <td>{CONSULTANCY_SERVICES[t.service as ConsultancyService] ?? t.service}</td>
                <td>{t.billableHours}</td>
                <td>
                  {t.rate} {t.currency}
                </td>
                <td>
                  {t.amount} {t.currency}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function Propose({ onDone }: { onDone: () => void }) {
  const [customerId, setCustomerId] = useState('ACME');
  const [service, setService] = useState<ConsultancyService>('crm-flows');
  const [description, setDescription] = useState('');
  const [estimate, setEstimate] = useState('4');
  const [error, setError] = useState<unknown>();
  const submit = async (event: Event) => {
    event.preventDefault();
    const { error } = await api.POST('/consultancy', { body: { customerId, service, description, estimateHours: Number(estimate) } });
    setError(error);
    if (!error) {
      setDescription('');
      onDone();
    }
  };
  return (
    <form onSubmit={submit} noValidate>
      <h2>Propose consultancy</h2>
      <label for="customer">Customer</label>
      <input id="customer" value={customerId} onInput={(e) => setCustomerId(e.currentTarget.value)} />
      <label for="service">Service</label>
      <select id="service" value={service} onChange={(e) => setService(e.currentTarget.value as ConsultancyService)}>
        {Object.entries(CONSULTANCY_SERVICES).map(([id, name]) => (
          <option key={id} value={id}>
            {name}
          </option>
        ))}
      </select>
      <label for="work">Description of the work</label>
      <textarea id="work" rows={3} value={description} onInput={(e) => setDescription(e.currentTarget.value)} />
      {fieldProblem(error, 'description') ? <p class="error">{fieldProblem(error, 'description')}</p> : null}
      <label for="estimate">Estimate (hours)</label>
      <input id="estimate" inputMode="decimal" value={estimate} onInput={(e) => setEstimate(e.currentTarget.value)} />
      <div>
        <button type="submit">Propose</button>
      </div>
      {error ? (
        <p role="alert" class="error">
          {problemText(error)}
        </p>
      ) : null}
    </form>
  );
}

function RequestCard({ request: r, session, onDone, rate }: { request: Request; session: Session; onDone: () => void; rate: { hourly: string; currency: string } | null | undefined }) {
  const [error, setError] = useState<string>();
  const [hours, setHours] = useState('1');
  const [note, setNote] = useState('');
  const [more, setMore] = useState('2');
  const [moreReason, setMoreReason] = useState('');
  const act = async (call: () => Promise<{ error?: unknown }>) => {
    const { error } = await call();
    setError(error ? problemText(error) : undefined);
    if (!error) onDone();
  };
  const path = { params: { path: { id: r.id } } };
  const provider = session.role === 'agent' || session.role === 'admin';
  return (
    <article aria-label={`Consultancy ${r.id}`} data-request={r.id} style="border:1px solid #d0d7de;padding:.6rem;margin:.8rem 0">
      <h2>
        {r.serviceName} <span class="badge">{r.status}</span>
      </h2>
      <p>
        {r.id} for {r.customerId} · estimate {r.estimateHours} h · proposed {copenhagen(r.proposed.at)} by {r.proposed.by}
      </p>
      <p>{r.description}</p>
      {r.status === 'proposed' && rate !== undefined ? (
        <p data-rate>
          {rate
            ? `Approving it accepts ${rate.hourly} ${rate.currency} an hour, the rate now agreed: up to ${r.estimateHours} h.`
            : 'No consultancy rate is agreed yet: ask the provider before approving.'}
        </p>
      ) : null}
      {r.approval ? (
        <p>
          Approved {copenhagen(r.approval.at)} by {r.approval.by}: {r.approvedHours} h at {r.approval.rate.hourly} {r.approval.rate.currency}/h · logged {r.loggedHours} h · left {r.remainingHours} h
          {r.billable ? ` · billable ${r.billable.amount} ${r.billable.currency}` : ''}
        </p>
      ) : null}
      {r.entries.length ? (
        <ul>
          {r.entries.map((e) => (
            <li key={e.id}>
              {e.date}: {e.hours} h, {e.note}
            </li>
          ))}
        </ul>
      ) : null}
      {session.role === 'customer' && r.status === 'proposed' ? (
        <p>
          <button type="button" onClick={() => act(() => api.POST('/consultancy/{id}/approve', { ...path, body: {} }))}>
            Approve {r.id}
          </button>
          <button type="button" onClick={() => act(() => api.POST('/consultancy/{id}/reject', { ...path, body: {} }))}>
            Reject {r.id}
          </button>
        </p>
      ) : null}
      {r.increases.map((i) => (
        <p key={i.n}>
          {i.hours} more hours asked for: {i.reason} · {i.status}{' '}
          {session.role === 'customer' && i.status === 'proposed' ? (
            <>
              <button type="button" onClick={() => act(() => api.POST('/consultancy/{id}/increase/{n}/approve', { params: { path: { id: r.id, n: String(i.n) } }, body: {} }))}>
                Approve {i.hours} more hours
              </button>
              <button type="button" onClick={() => act(() => api.POST('/consultancy/{id}/increase/{n}/reject', { params: { path: { id: r.id, n: String(i.n) } }, body: {} }))}>
                Reject {i.hours} more hours
              </button>
            </>
          ) : null}
        </p>
      ))}
      {session.role === 'customer' && r.status === 'proposed' ? (
        <button type="button" onClick={() => act(() => api.POST('/consultancy/{id}/cancel', { ...path, body: {} }))}>
          Withdraw {r.id}
        </button>
      ) : null}
      {provider && (r.status === 'approved' || r.status === 'proposed') ? (
        <p>
          {r.status === 'approved' ? (
            <>
              <button type="button" onClick={() => act(() => api.POST('/consultancy/{id}/increase', { ...path, body: { hours: Number(more), reason: moreReason } }))}>
                Ask for more hours on {r.id}
              </button>
              <label for={`more-${r.id}`} class="inline">
                Hours
              </label>
              <input id={`more-${r.id}`} inputMode="decimal" value={more} onInput={(e) => setMore(e.currentTarget.value)} style="min-width:5rem" />
              <label for={`why-${r.id}`} class="inline">
                Why
              </label>
              <input id={`why-${r.id}`} value={moreReason} onInput={(e) => setMoreReason(e.currentTarget.value)} />
              <button type="button" onClick={() => act(() => api.POST('/consultancy/{id}/complete', path))}>
                Complete {r.id}
              </button>
            </>
          ) : null}
          <button type="button" onClick={() => act(() => api.POST('/consultancy/{id}/cancel', { ...path, body: {} }))}>
            Cancel {r.id}
          </button>
        </p>
      ) : null}
      {provider && r.status === 'approved' ? (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            void act(() => api.POST('/consultancy/{id}/time', { ...path, body: { hours: Number(hours), date: today(), note } }));
          }}
        >
          <label for={`hours-${r.id}`}>Hours worked today on {r.id}</label>
          <input id={`hours-${r.id}`} inputMode="decimal" value={hours} onInput={(e) => setHours(e.currentTarget.value)} />
          <label for={`note-${r.id}`}>Note</label>
          <input id={`note-${r.id}`} value={note} onInput={(e) => setNote(e.currentTarget.value)} />
          <div>
            <button type="submit">Log time on {r.id}</button>
          </div>
        </form>
      ) : null}
      {error ? (
        <p role="alert" class="error">
          {error}
        </p>
      ) : null}
    </article>
  );
}
