import { useEffect, useState } from 'preact/hooks';
import { CONTACT_PURPOSES, type ContactPurpose } from '#domain/customers/customer';
import { api, fieldProblem, problemText } from '../api/client';
import { useLoad } from '../session';

/** Every customer with its hypercare, for the provider; admins edit a customer's record. */
export function Customers({ admin }: { admin: boolean }) {
  const { value: page, error } = useLoad(() => api.GET('/customers', { params: { query: { limit: 100 } } }));
  return (
    <section>
      <h1>Customers</h1>
      {error ? (
        <p role="alert" class="error">
          {error}
        </p>
      ) : null}
      {admin ? (
        <p>
          <a href="#/customers/new">Add a customer</a>
        </p>
      ) : null}
      <table>
        <thead>
          <tr>
            <th scope="col">Customer</th>
            <th scope="col">Name</th>
            <th scope="col">Hypercare</th>
          </tr>
        </thead>
        <tbody>
          {(page?.items ?? []).map((c) => (
            <tr key={c.customerId} data-customer={c.customerId}>
              <td>{admin ? <a href={`#/customers/${c.customerId}`}>{c.customerId}</a> : c.customerId}</td>
              <td>{c.name}</td>
              <td>
                {c.hypercare ? (
                  <a href={`#/hypercare/${c.customerId}`}>
                    {c.hypercare.status}
                    {c.hypercare.overdue ? ' (overdue)' : ''}
                  </a>
                ) : (
                  'no go-live'
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** One line per contact: `email purpose, purpose`. */
const contactsText = (contacts: readonly { email: string; receives: readonly string[] }[]) => contacts.map((c) => `${c.email} ${c.receives.join(', ')}`).join('\n');
const contactsOf = (text: string) =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const [email = '', ...rest] = line.split(/\s+/);
      return {
        email,
        receives: rest
          .join(' ')
          .split(',')
          .map((p) => p.trim())
          .filter(Boolean) as ContactPurpose[],
      };
    });

/** An admin's edit of a customer's record, on the version shown: someone else's edit is reported, never overwritten. */
export function CustomerForm({ customerId: given }: { customerId?: string }) {
  const [customerId, setCustomerId] = useState(given ?? '');
  const [version, setVersion] = useState<number>();
  const [name, setName] = useState('');
  const [contacts, setContacts] = useState('');
  const [goLiveAt, setGoLiveAt] = useState('');
  const [weeks, setWeeks] = useState('4');
  const [hourly, setHourly] = useState('');
  const [currency, setCurrency] = useState('DKK');
  const [error, setError] = useState<unknown>();
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    if (!given) return;
    void (async () => {
      const { data, error } = await api.GET('/customers/{id}', { params: { path: { id: given } } });
      if (!data) return setError(error);
      setVersion(data.version);
      setName(data.name);
      setContacts(contactsText(data.contacts));
      setGoLiveAt(data.goLiveAt ?? '');
      setWeeks(String(data.hypercareWeeks ?? 4));
      setHourly(data.consultancyRate?.hourly ?? '');
      setCurrency(data.consultancyRate?.currency ?? 'DKK');
    })();
  }, [given]);
  const save = async (event: Event) => {
    event.preventDefault();
    // Adding never replaces a record that exists (a PUT without If-Match would).
    if (!given && (await api.GET('/customers/{id}', { params: { path: { id: customerId } } })).data) {
      setSaved(false);
      return setError({ detail: `${customerId} already has a record: edit it from the customer list instead` });
    }
    const body = {
      name,
      contacts: contactsOf(contacts),
      ...(goLiveAt ? { goLiveAt, hypercareWeeks: Number(weeks) } : {}),
      ...(hourly ? { consultancyRate: { hourly, currency } } : {}),
    };
    const { data, error } = await api.PUT('/customers/{id}', { params: { path: { id: customerId }, header: version === undefined ? {} : { 'If-Match': `"${version}"` } }, body });
    setSaved(!error);
    if (error) setError((error as { type?: string }).type === '/problems/version-conflict' ? { detail: 'Changed by someone else; reload to see their change.' } : error);
    else {
      setError(undefined);
      setVersion(data.version);
    }
  };
  return (
    <section>
      <h1>{given ? `Customer ${given}` : 'Add a customer'}</h1>
      <form onSubmit={save} noValidate>
        {given ? null : (
          <>
            <label for="customer-id">Customer id (capitals and digits, e.g. ACME)</label>
            <input id="customer-id" value={customerId} onInput={(e) => setCustomerId(e.currentTarget.value.toUpperCase())} />
          </>
        )}
        <label for="name">Name</label>
        <input id="name" value={name} onInput={(e) => setName(e.currentTarget.value)} />
        {fieldProblem(error, 'name') ? <p class="error">{fieldProblem(error, 'name')}</p> : null}
        <label for="contacts">Contacts, one a line: email, then what it receives ({CONTACT_PURPOSES.join(', ')})</label>
        <textarea id="contacts" rows={4} value={contacts} onInput={(e) => setContacts(e.currentTarget.value)} />
        <label for="go-live">Go-live (ISO 8601 with offset; starts hypercare)</label>
        <input id="go-live" value={goLiveAt} onInput={(e) => setGoLiveAt(e.currentTarget.value)} />
        <label for="weeks">Hypercare weeks</label>
        <input id="weeks" inputMode="numeric" value={weeks} onInput={(e) => setWeeks(e.currentTarget.value)} />
        <label for="hourly">Consultancy rate per hour</label>
        <input id="hourly" inputMode="decimal" value={hourly} onInput={(e) => setHourly(e.currentTarget.value)} />
        <label for="currency">Currency (ISO 4217)</label>
        <input id="currency" value={currency} onInput={(e) => setCurrency(e.currentTarget.value.toUpperCase())} />
        <div>
          {/* An edit waits for the record it changes: saving before it loads would send a near-empty one. */}
          <button type="submit" disabled={given !== undefined && version === undefined}>
            Save customer
          </button>
        </div>
        {error ? (
          <p role="alert" class="error">
            {problemText(error)}
          </p>
        ) : saved ? (
          <p role="status">Saved.</p>
        ) : null}
      </form>
    </section>
  );
}
