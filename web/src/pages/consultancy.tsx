import { useEffect, useState } from 'preact/hooks';
import { CONSULTANCY_SERVICES, type ConsultancyService, type ConsultancyStatus } from '#domain/consultancy/consultancy';
import { amountFor, formatAmount, rateOf } from '#domain/consultancy/money';
import { CONSULTANCY_STATUS_NAMES, counted, dateText, moneyText, monthText } from '#domain/wording';
import { api, problemText } from '../api/client';
import { serverNow } from '../clock';
import { copenhagen, copenhagenDate } from '../countdown';
import { Alert, checked, FieldProblem, MonthPicker } from '../form';
import { type Session, useLoad, useRefresh, useUnsaved } from '../session';

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
  const [shownMonth, setShownMonth] = useState(thisMonth);
  useEffect(() => {
    void (async () => {
      if (session.role === 'finance') {
        const { data, error } = await loadMonth(shownMonth);
        setError(error ? problemText(error) : undefined);
        if (data && 'totals' in data) setMonth(data);
        return;
      }
      const { data, error } = await loadRequests();
      setError(error ? problemText(error) : undefined);
      if (data && 'items' in data) setRequests(data.items);
    })();
  }, [tick, changed, shownMonth]);
  const done = () => setChanged((n) => n + 1);
  if (session.role === 'finance')
    return (
      <MonthTotals
        month={month}
        shown={shownMonth}
        onMonth={(m) => {
          setMonth(undefined);
          setShownMonth(m);
        }}
        error={error}
      />
    );
  return (
    <section>
      <h1>Consultancy</h1>
      <Alert text={error} />
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

function MonthTotals({ month, shown, onMonth, error }: { month: Month | undefined; shown: string; onMonth: (month: string) => void; error: string | undefined }) {
  const totals = month?.totals;
  const { value: customers } = useLoad(() => api.GET('/customers', { params: { query: { limit: 100 } } }));
  const nameOf = (id: string) => customers?.items.find((c) => c.customerId === id)?.name ?? id;
  return (
    <section>
      <h1>Billable consultancy, {monthText(shown)}</h1>
      <MonthPicker id="consultancy-month" value={shown} latest={thisMonth()} onChange={onMonth} />
      <Alert text={error} />
      {totals === undefined ? (
        <p>Loading…</p>
      ) : totals.length === 0 ? (
        <p>Nothing billable in {monthText(shown)}.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Customer</th>
              <th scope="col">Service</th>
              <th scope="col" class="number">
                Hours
              </th>
              <th scope="col" class="number">
                Rate
              </th>
              <th scope="col" class="number">
                Amount
              </th>
            </tr>
          </thead>
          <tbody>
            {totals.map((t) => (
              <tr key={`${t.customerId}-${t.service}-${t.rate}`} data-customer={t.customerId}>
                <td>{nameOf(t.customerId)}</td>
                <td>{CONSULTANCY_SERVICES[t.service as ConsultancyService] ?? t.service}</td>
                <td class="number">{t.billableHours}</td>
                <td class="number">{moneyText(t.rate, t.currency)}</td>
                <td class="number">{moneyText(t.amount, t.currency)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** An agent proposes work: every answer chosen by the agent, none assumed. */
function Propose({ onDone }: { onDone: () => void }) {
  const [customerId, setCustomerId] = useState('');
  const [service, setService] = useState<ConsultancyService | ''>('');
  const [description, setDescription] = useState('');
  const [estimate, setEstimate] = useState('');
  const [error, setError] = useState<unknown>();
  const { value: customers } = useLoad(() => api.GET('/customers', { params: { query: { limit: 100 } } }));
  useUnsaved(customerId !== '' || service !== '' || description !== '' || estimate !== '');
  const submit = async (event: Event) => {
    event.preventDefault();
    const hours = Number(estimate.replace(',', '.'));
    const local = checked({
      customerId: customerId ? undefined : 'Choose the customer the work is for',
      service: service ? undefined : 'Choose the service',
      description: description.trim() ? undefined : 'Describe the work',
      estimateHours: estimate.trim() && hours > 0 ? undefined : 'Estimate the hours, for example 4 or 2.5',
    });
    setError(local);
    if (local || !service) return;
    const { error } = await api.POST('/consultancy', { body: { customerId, service, description, estimateHours: hours } });
    setError(error);
    if (!error) {
      setCustomerId('');
      setService('');
      setDescription('');
      setEstimate('');
      onDone();
    }
  };
  return (
    <form onSubmit={submit} noValidate aria-label="Propose consultancy">
      <h2>Propose consultancy</h2>
      <label for="customer">Customer</label>
      <select id="customer" value={customerId} onChange={(e) => setCustomerId(e.currentTarget.value)} aria-describedby="customerId-problem">
        <option value="">Choose a customer…</option>
        {(customers?.items ?? []).map((c) => (
          <option key={c.customerId} value={c.customerId}>
            {c.name} ({c.customerId})
          </option>
        ))}
      </select>
      <FieldProblem error={error} field="customerId" />
      <label for="service">Service</label>
      <select id="service" value={service} onChange={(e) => setService(e.currentTarget.value as ConsultancyService)} aria-describedby="service-problem">
        <option value="">Choose a service…</option>
        {Object.entries(CONSULTANCY_SERVICES).map(([id, name]) => (
          <option key={id} value={id}>
            {name}
          </option>
        ))}
      </select>
      <FieldProblem error={error} field="service" />
      <label for="work">Description of the work</label>
      <textarea id="work" rows={3} value={description} onInput={(e) => setDescription(e.currentTarget.value)} aria-describedby="description-problem" />
      <FieldProblem error={error} field="description" />
      <label for="estimate">Estimate (hours)</label>
      <input id="estimate" inputMode="decimal" value={estimate} onInput={(e) => setEstimate(e.currentTarget.value)} aria-describedby="estimateHours-problem" />
      <FieldProblem error={error} field="estimateHours" />
      <div class="actions">
        <button type="submit">Propose</button>
      </div>
      <Alert text={error ? problemText(error) : undefined} />
    </form>
  );
}

/** Hours at a rate, as the customer commits to it: "8 hours at 1,250.00 DKK, 10,000.00 DKK in all". */
function priced(hours: number, rate: { hourly: string; currency: string }): string {
  const total = formatAmount(amountFor(rateOf(rate.hourly, rate.currency), Math.round(hours * 4)), rate.currency);
  return `${counted(hours, 'hour')} at ${moneyText(rate.hourly, rate.currency)}, ${moneyText(total, rate.currency)} in all`;
}

const statusName = (status: string) => CONSULTANCY_STATUS_NAMES[status as ConsultancyStatus] ?? status;

function RequestCard({ request: r, session, onDone, rate }: { request: Request; session: Session; onDone: () => void; rate: { hourly: string; currency: string } | null | undefined }) {
  const [error, setError] = useState<string>();
  const [hours, setHours] = useState('');
  const [note, setNote] = useState('');
  const [more, setMore] = useState('');
  const [moreReason, setMoreReason] = useState('');
  /** Billable or for good: said in full, and done only once the person agrees. */
  const act = async (question: string | undefined, call: () => Promise<{ error?: unknown }>) => {
    if (question && !confirm(question)) return;
    const { error } = await call();
    setError(error ? problemText(error) : undefined);
    if (!error) onDone();
  };
  const path = { params: { path: { id: r.id } } };
  const provider = session.role === 'agent' || session.role === 'admin';
  const agreed = r.approval?.rate ?? rate ?? undefined;
  const increase = (n: number) => ({ params: { path: { id: r.id, n: String(n) } }, body: {} });
  return (
    <article class="card" aria-label={`Consultancy ${r.id}`} data-request={r.id}>
      <h3>
        {r.serviceName} <span class="badge">{statusName(r.status)}</span>
      </h3>
      <p class="hint">
        {r.id} for {r.customerId} · estimate {counted(r.estimateHours, 'hour')} · proposed {copenhagen(r.proposed.at)} by {r.proposed.byName}
      </p>
      <p>{r.description}</p>
      {r.status === 'proposed' && rate !== undefined ? (
        <p data-rate>
          {rate
            ? `Approving it accepts ${moneyText(rate.hourly, rate.currency)} an hour, the rate now agreed: up to ${priced(r.estimateHours, rate)}.`
            : 'No consultancy rate is agreed yet: ask the provider before approving.'}
        </p>
      ) : null}
      {r.approval ? (
        <p>
          Approved {copenhagen(r.approval.at)} by {r.approval.byName}: {counted(r.approvedHours, 'hour')} at {moneyText(r.approval.rate.hourly, r.approval.rate.currency)} an hour · logged{' '}
          {counted(r.loggedHours, 'hour')} · {counted(r.remainingHours, 'hour')} left
          {r.billable ? ` · billable ${moneyText(r.billable.amount, r.billable.currency)}` : ''}
        </p>
      ) : null}
      {r.entries.length ? (
        <ul>
          {r.entries.map((e) => (
            <li key={e.id}>
              {dateText(e.date)}: {counted(e.hours, 'hour')}, {e.note}
            </li>
          ))}
        </ul>
      ) : null}
      {session.role === 'customer' && r.status === 'proposed' ? (
        <div class="actions">
          {/* No rate agreed, nothing to approve yet: the API would refuse it. */}
          {agreed ? (
            <button
              type="button"
              onClick={() => act(`Approve ${priced(r.estimateHours, agreed)}? Work starts, and is billed, only after this.`, () => api.POST('/consultancy/{id}/approve', { ...path, body: {} }))}
            >
              Approve {r.id}
            </button>
          ) : null}
          <button type="button" class="secondary" onClick={() => act(`Reject ${r.id}? The provider will not do this work.`, () => api.POST('/consultancy/{id}/reject', { ...path, body: {} }))}>
            Reject {r.id}
          </button>
          <button type="button" class="secondary" onClick={() => act(`Withdraw ${r.id}? It cannot be approved afterwards.`, () => api.POST('/consultancy/{id}/cancel', { ...path, body: {} }))}>
            Withdraw {r.id}
          </button>
        </div>
      ) : null}
      {r.increases.map((i) => (
        <div key={i.n} class="actions">
          <span>
            {counted(i.hours, 'more hour')} asked for: {i.reason} · {statusName(i.status)}
          </span>
          {session.role === 'customer' && i.status === 'proposed' ? (
            <>
              <button
                type="button"
                onClick={() =>
                  act(agreed ? `Approve ${counted(i.hours, 'more hour')}: ${priced(i.hours, agreed)}?` : `Approve ${counted(i.hours, 'more hour')}?`, () =>
                    api.POST('/consultancy/{id}/increase/{n}/approve', increase(i.n)),
                  )
                }
              >
                Approve {counted(i.hours, 'more hour')}
              </button>
              <button
                type="button"
                class="secondary"
                onClick={() =>
                  act(`Reject ${counted(i.hours, 'more hour')} on ${r.id}? Work stops at the hours approved so far.`, () => api.POST('/consultancy/{id}/increase/{n}/reject', increase(i.n)))
                }
              >
                Reject {counted(i.hours, 'more hour')}
              </button>
            </>
          ) : null}
        </div>
      ))}
      {provider && r.status === 'approved' ? (
        <form
          aria-label={`Log time on ${r.id}`}
          onSubmit={(event) => {
            event.preventDefault();
            const worked = Number(hours.replace(',', '.'));
            if (!(worked > 0)) return setError('Give the hours worked, for example 1.5');
            const cost = r.approval ? `: ${priced(worked, r.approval.rate)}, billed to ${r.customerId}` : '';
            void act(`Log ${counted(worked, 'hour')} on ${r.id} for today${cost}? Logged time cannot be taken back.`, async () => {
              const answer = await api.POST('/consultancy/{id}/time', { ...path, body: { hours: worked, date: today(), note } });
              if (!answer.error) {
                setHours('');
                setNote('');
              }
              return answer;
            });
          }}
        >
          <label for={`hours-${r.id}`}>Hours worked today on {r.id}</label>
          <input id={`hours-${r.id}`} inputMode="decimal" value={hours} onInput={(e) => setHours(e.currentTarget.value)} />
          <label for={`note-${r.id}`}>Note</label>
          <input id={`note-${r.id}`} value={note} onInput={(e) => setNote(e.currentTarget.value)} />
          <div class="actions">
            <button type="submit">Log time on {r.id}</button>
          </div>
        </form>
      ) : null}
      {provider && r.status === 'approved' ? (
        <form
          aria-label={`Ask for more hours on ${r.id}`}
          onSubmit={(event) => {
            event.preventDefault();
            const extra = Number(more.replace(',', '.'));
            if (!(extra > 0) || !moreReason.trim()) return setError('Give the extra hours and why they are needed');
            void act(undefined, async () => {
              const answer = await api.POST('/consultancy/{id}/increase', { ...path, body: { hours: extra, reason: moreReason } });
              if (!answer.error) {
                setMore('');
                setMoreReason('');
              }
              return answer;
            });
          }}
        >
          <label for={`more-${r.id}`}>More hours</label>
          <input id={`more-${r.id}`} inputMode="decimal" value={more} onInput={(e) => setMore(e.currentTarget.value)} />
          <label for={`why-${r.id}`}>Why</label>
          <input id={`why-${r.id}`} value={moreReason} onInput={(e) => setMoreReason(e.currentTarget.value)} />
          <div class="actions">
            <button type="submit">Ask for more hours on {r.id}</button>
          </div>
        </form>
      ) : null}
      {provider && (r.status === 'approved' || r.status === 'proposed') ? (
        <div class="actions">
          {r.status === 'approved' ? (
            <button
              type="button"
              class="secondary"
              onClick={() =>
                act(
                  `Complete ${r.id}? No more time can be logged on it; ${counted(r.loggedHours, 'hour')} ${r.loggedHours === 1 ? 'is' : 'are'} billed${r.billable ? `, ${moneyText(r.billable.amount, r.billable.currency)} in all` : ''}.`,
                  () => api.POST('/consultancy/{id}/complete', path),
                )
              }
            >
              Complete {r.id}
            </button>
          ) : null}
          <button type="button" class="danger" onClick={() => act(`Cancel ${r.id}? This cannot be undone.`, () => api.POST('/consultancy/{id}/cancel', { ...path, body: {} }))}>
            Cancel {r.id}
          </button>
        </div>
      ) : null}
      <Alert text={error} />
    </article>
  );
}
