import { useEffect, useState } from 'preact/hooks';
import { counted, HYPERCARE_CRITERION_NAMES, HYPERCARE_STATUS_NAMES } from '#domain/wording';
import { api, problemText } from '../api/client';
import { copenhagen } from '../countdown';
import { type Session, useLoad, useRefresh, useUnsaved } from '../session';
import { Alert } from '../form';

type Loaded = NonNullable<Awaited<ReturnType<typeof loadHypercare>>['data']>;
const loadHypercare = (id: string) => api.GET('/customers/{id}/hypercare', { params: { path: { id } } });

/** A customer's hypercare: status, the exit criteria with who met them and when, the extensions, and the sign-off. */
export function Hypercare({ session, customerId }: { session: Session; customerId: string }) {
  const tick = useRefresh();
  const [hypercare, setHypercare] = useState<Loaded>();
  const [error, setError] = useState<string>();
  const [changed, setChanged] = useState(0);
  const { value: customer } = useLoad(() => api.GET('/customers/{id}', { params: { path: { id: customerId } } }), [customerId]);
  useEffect(() => {
    void (async () => {
      const { data, error } = await loadHypercare(customerId);
      setError(error ? problemText(error) : undefined);
      if (data) setHypercare(data);
    })();
  }, [tick, changed, customerId]);
  const signOff = async (question: string) => {
    if (!confirm(question)) return;
    const { error } = await api.POST('/customers/{id}/hypercare/signoff', { params: { path: { id: customerId } } });
    if (error) setError(problemText(error));
    else setChanged((n) => n + 1);
  };
  if (!hypercare)
    return error ? (
      <p role="alert" class="error">
        {error}
      </p>
    ) : (
      <p>Loading…</p>
    );
  const customerSide = session.role === 'customer';
  const mine = customerSide ? hypercare.criteria.customerSignoff : hypercare.criteria.providerSignoff;
  return (
    <section>
      <h1>Hypercare: {customer ? `${customer.name} (${customerId})` : customerId}</h1>
      <Alert text={error} />
      <p>
        Status: <strong>{HYPERCARE_STATUS_NAMES[hypercare.status]}</strong>
        {hypercare.overdue ? ' (past its planned end)' : ''} · go-live {copenhagen(hypercare.goLiveAt)} · planned end {copenhagen(hypercare.plannedEndAt)}
        {hypercare.concludedAt ? ` · concluded ${copenhagen(hypercare.concludedAt)}` : ''}
      </p>
      <h2>Exit criteria</h2>
      <ul class="criteria">
        {Object.entries(hypercare.criteria).map(([name, c]) => (
          <li key={name} data-criterion={name}>
            {c.met ? '✓' : '○'} {HYPERCARE_CRITERION_NAMES[name as keyof typeof HYPERCARE_CRITERION_NAMES] ?? name}
            {c.met && c.at ? ` — ${copenhagen(c.at)}${c.byName ? `, ${c.byName}` : ''}` : ''}
          </li>
        ))}
      </ul>
      <h2>Extensions</h2>
      {hypercare.extensions.length ? (
        <ul aria-label="Extensions">
          {hypercare.extensions.map((e) => (
            <li key={e.at}>
              {counted(e.weeks, 'week')} more, recorded {copenhagen(e.at)} by {e.byName}: {e.reason}
            </li>
          ))}
        </ul>
      ) : (
        <p>No extension has been agreed.</p>
      )}
      {hypercare.status === 'active' && !mine.met && (customerSide || session.role === 'agent' || session.role === 'admin') ? (
        <div class="actions">
          <button
            type="button"
            onClick={() =>
              signOff(
                customerSide
                  ? 'Sign off that the system is stable? It is one of the conditions for ending hypercare.'
                  : "Sign off for the provider that hypercare's work is done? It is one of the conditions for ending hypercare.",
              )
            }
          >
            {customerSide ? 'Sign off: the system is stable' : 'Sign off for the provider: our hypercare work is done'}
          </button>
        </div>
      ) : null}
      {session.role === 'admin' && hypercare.status !== 'concluded' ? <AdminActions customerId={customerId} onDone={() => setChanged((n) => n + 1)} /> : null}
    </section>
  );
}

/** What only admins record: an extension both parties agreed, and the formal transition to standard support. */
function AdminActions({ customerId, onDone }: { customerId: string; onDone: () => void }) {
  const [weeks, setWeeks] = useState('');
  const [reason, setReason] = useState('');
  const [note, setNote] = useState('');
  const [error, setError] = useState<string>();
  const [recorded, setRecorded] = useState<string>();
  useUnsaved(weeks !== '' || reason !== '' || note !== '');
  const path = { params: { path: { id: customerId } } };
  const extend = async (event: Event) => {
    event.preventDefault();
    const count = Number(weeks);
    if (!Number.isInteger(count) || count < 1 || !reason.trim()) return setError('Give the extension in whole weeks and the reason both parties agreed on');
    if (!confirm(`Extend ${customerId}'s hypercare by ${counted(count, 'week')}? The planned end moves, and the extension is kept in its record.`)) return;
    const { error } = await api.POST('/customers/{id}/hypercare/extensions', { ...path, body: { weeks: count, reason } });
    setError(error ? problemText(error) : undefined);
    if (error) return;
    setRecorded(`Recorded: ${counted(count, 'week')} more.`);
    setWeeks('');
    setReason('');
    onDone();
  };
  const transition = async (event: Event) => {
    event.preventDefault();
    // Concluding hypercare is for good: the customer moves to standard support.
    if (!confirm(`Record the transition of ${customerId} to standard support? Hypercare ends now and cannot be resumed.`)) return;
    const { error } = await api.POST('/customers/{id}/hypercare/transition', { ...path, body: note ? { note } : {} });
    setError(error ? problemText(error) : undefined);
    if (!error) onDone();
  };
  return (
    <div>
      <form onSubmit={extend} aria-label="Record an extension">
        <h2>Record an extension</h2>
        <label for="extension-weeks">Extension (weeks)</label>
        <input id="extension-weeks" inputMode="numeric" value={weeks} onInput={(e) => setWeeks(e.currentTarget.value)} />
        <label for="extension-reason">Reason both parties agreed on</label>
        <input id="extension-reason" value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
        <div class="actions">
          <button type="submit">Record the extension</button>
          {recorded ? (
            <span role="status" class="saved">
              {recorded}
            </span>
          ) : null}
        </div>
      </form>
      <form onSubmit={transition} aria-label="Record the transition">
        <h2>Transition to standard support</h2>
        <label for="transition-note">Transition note</label>
        <input id="transition-note" value={note} onInput={(e) => setNote(e.currentTarget.value)} />
        <div class="actions">
          <button type="submit" class="danger">
            Record the transition to standard support
          </button>
        </div>
      </form>
      <Alert text={error} />
    </div>
  );
}
