import { useEffect, useState } from 'preact/hooks';
import { api, problemText } from '../api/client';
import { copenhagen } from '../countdown';
import { type Session, useRefresh } from '../session';

const CRITERIA: Record<string, string> = {
  operationalTwoWeeks: 'Two weeks operational since go-live',
  customerSignoff: "The customer's sign-off that the system is stable",
  providerSignoff: "The provider's sign-off",
  transition: 'The formal transition to standard support',
};

/** A customer's hypercare: status, the exit criteria with who met them and when, and the sign-off. */
export function Hypercare({ session, customerId }: { session: Session; customerId: string }) {
  const tick = useRefresh();
  const [hypercare, setHypercare] = useState<NonNullable<Awaited<ReturnType<typeof load>>['data']>>();
  const [error, setError] = useState<string>();
  const [changed, setChanged] = useState(0);
  const load = () => api.GET('/customers/{id}/hypercare', { params: { path: { id: customerId } } });
  useEffect(() => {
    void (async () => {
      const { data, error } = await load();
      if (error) setError(problemText(error));
      else setHypercare(data);
    })();
  }, [tick, changed, customerId]);
  const signOff = async () => {
    const { error } = await api.POST('/customers/{id}/hypercare/signoff', { params: { path: { id: customerId } } });
    if (error) setError(problemText(error));
    else setChanged((n) => n + 1);
  };
  if (error)
    return (
      <p role="alert" class="error">
        {error}
      </p>
    );
  if (!hypercare) return <p>Loading…</p>;
  const mine = session.role === 'customer' ? hypercare.criteria.customerSignoff : hypercare.criteria.providerSignoff;
  return (
    <section>
      <h1>Hypercare: {customerId}</h1>
      <p>
        Status: <strong>{hypercare.status}</strong>
        {hypercare.overdue ? ' (past its planned end)' : ''} · go-live {copenhagen(hypercare.goLiveAt)} · planned end {copenhagen(hypercare.plannedEndAt)}
        {hypercare.concludedAt ? ` · concluded ${copenhagen(hypercare.concludedAt)}` : ''}
      </p>
      <h2>Exit criteria</h2>
      <ul>
        {Object.entries(hypercare.criteria).map(([name, c]) => (
          <li key={name} data-criterion={name}>
            {c.met ? '✓' : '○'} {CRITERIA[name] ?? name}
            {c.met && c.at ? ` — ${copenhagen(c.at)}${c.by ? `, ${c.by}` : ''}` : ''}
          </li>
        ))}
      </ul>
      {session.role === 'admin' && hypercare.status !== 'concluded' ? <AdminActions customerId={customerId} onDone={() => setChanged((n) => n + 1)} /> : null}
      {hypercare.status === 'active' && !mine.met && (session.role === 'customer' || session.role === 'agent' || session.role === 'admin') ? (
        <button type="button" onClick={signOff}>
          Sign off: the system is stable
        </button>
      ) : null}
    </section>
  );
}

/** What only admins record: an extension both parties agreed, and the formal transition to standard support. */
function AdminActions({ customerId, onDone }: { customerId: string; onDone: () => void }) {
  const [weeks, setWeeks] = useState('2');
  const [reason, setReason] = useState('');
  const [note, setNote] = useState('');
  const [error, setError] = useState<string>();
  const done = (result: { error?: unknown }) => {
    setError(result.error ? problemText(result.error) : undefined);
    if (!result.error) onDone();
  };
  const path = { params: { path: { id: customerId } } };
  return (
    <div>
      <h2>Record</h2>
      <label for="extension-weeks">Extension (weeks)</label>
      <input id="extension-weeks" inputMode="numeric" value={weeks} onInput={(e) => setWeeks(e.currentTarget.value)} />
      <label for="extension-reason">Reason both parties agreed on</label>
      <input id="extension-reason" value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
      <div>
        <button type="button" onClick={async () => done(await api.POST('/customers/{id}/hypercare/extensions', { ...path, body: { weeks: Number(weeks), reason } }))}>
          Record the extension
        </button>
      </div>
      <label for="transition-note">Transition note</label>
      <input id="transition-note" value={note} onInput={(e) => setNote(e.currentTarget.value)} />
      <div>
        <button type="button" onClick={async () => done(await api.POST('/customers/{id}/hypercare/transition', { ...path, body: note ? { note } : {} }))}>
          Record the transition to standard support
        </button>
      </div>
      {error ? (
        <p role="alert" class="error">
          {error}
        </p>
      ) : null}
    </div>
  );
}
