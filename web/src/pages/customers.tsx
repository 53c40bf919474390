import { useEffect, useState } from 'preact/hooks';
import { CONTACT_PURPOSES, type ContactPurpose } from '#domain/customers/customer';
import { isCustomerId } from '#domain/identifiers';
import { CONTACT_PURPOSE_NAMES, HYPERCARE_STATUS_NAMES, moneyText } from '#domain/wording';
import { api, fieldProblem, problemText } from '../api/client';
import { copenhagen } from '../countdown';
import { Alert, checked, CopenhagenDateTime, FieldProblem, fromLocalInput, localInput } from '../form';
import { go, useLoad, useUnsaved } from '../session';

/** Every customer with its hypercare, for the provider; admins edit a customer's record. */
export function Customers({ admin }: { admin: boolean }) {
  const { value: page, error } = useLoad(() => api.GET('/customers', { params: { query: { limit: 100 } } }));
  return (
    <section>
      <h1>Customers</h1>
      <Alert text={error} />
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
                    {HYPERCARE_STATUS_NAMES[c.hypercare.status]}
                    {c.hypercare.overdue ? ' (past its planned end)' : ''}
                  </a>
                ) : (
                  'No go-live yet'
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

type ContactRow = { key: number; email: string; name: string; receives: ContactPurpose[] };
let rowKey = 0;
const row = (contact?: { email: string; name?: string | null; receives: readonly ContactPurpose[] }): ContactRow => ({
  key: ++rowKey,
  email: contact?.email ?? '',
  name: contact?.name ?? '',
  receives: [...(contact?.receives ?? [])],
});

/** The record as saved, in words: what the page shows once the API has it. */
type Saved = NonNullable<Awaited<ReturnType<typeof loadCustomer>>['data']>;
const loadCustomer = (id: string) => api.GET('/customers/{id}', { params: { path: { id } } });

/** Said once, on the page a new customer's save leads to. */
let justAdded: string | undefined;

/** An admin's edit of a customer's record, on the version shown: someone else's edit is reported, never overwritten. */
export function CustomerForm({ customerId: given }: { customerId?: string }) {
  const [customerId, setCustomerId] = useState(given ?? '');
  const [record, setRecord] = useState<Saved>();
  const [name, setName] = useState('');
  const [contacts, setContacts] = useState<ContactRow[]>([]);
  const [goLiveAt, setGoLiveAt] = useState('');
  const [weeks, setWeeks] = useState('4');
  const [hourly, setHourly] = useState('');
  const [currency, setCurrency] = useState('DKK');
  const [error, setError] = useState<unknown>();
  const [saved, setSaved] = useState(() => justAdded !== undefined && justAdded === given);
  const [dirty, setDirty] = useState(false);
  useUnsaved(dirty);
  const show = (data: Saved) => {
    setRecord(data);
    setName(data.name);
    setContacts(data.contacts.map(row));
    setGoLiveAt(localInput(data.goLiveAt ?? undefined));
    setWeeks(String(data.hypercareWeeks ?? 4));
    setHourly(data.consultancyRate?.hourly ?? '');
    setCurrency(data.consultancyRate?.currency ?? 'DKK');
    setDirty(false);
  };
  useEffect(() => {
    justAdded = undefined;
    if (!given) return;
    void (async () => {
      const { data, error } = await loadCustomer(given);
      if (!data) return setError(error);
      show(data);
    })();
  }, [given]);
  const edit =
    <T,>(set: (value: T) => void) =>
    (value: T) => {
      set(value);
      setDirty(true);
      setSaved(false);
    };
  const setContact = (key: number, change: Partial<ContactRow>) => edit(setContacts)(contacts.map((c) => (c.key === key ? { ...c, ...change } : c)));
  const save = async (event: Event) => {
    event.preventDefault();
    const local = checked({
      customerId: isCustomerId(customerId) ? undefined : 'Give the customer an id of 2 to 16 capitals and digits, starting with a capital, for example ACME',
      name: name.trim() ? undefined : "Give the customer's name",
      contacts: contacts.some((c) => !c.email.trim() || c.receives.length === 0) ? 'Give each contact an email address and at least one thing to receive' : undefined,
      goLiveAt: goLiveAt && !fromLocalInput(goLiveAt) ? 'Give the go-live as a date and a time' : undefined,
    });
    if (local) return setError(local);
    // Adding never replaces a record that exists (a PUT without If-Match would).
    if (!given && (await loadCustomer(customerId)).data) {
      setSaved(false);
      return setError({ detail: `${customerId} already has a record: edit it from the customer list instead` });
    }
    const body = {
      name,
      contacts: contacts.map((c) => ({ email: c.email.trim(), ...(c.name.trim() ? { name: c.name.trim() } : {}), receives: c.receives })),
      ...(goLiveAt ? { goLiveAt: fromLocalInput(goLiveAt)!, hypercareWeeks: Number(weeks) } : {}),
      ...(hourly ? { consultancyRate: { hourly, currency } } : {}),
    };
    const version = record?.version;
    const { data, error } = await api.PUT('/customers/{id}', { params: { path: { id: customerId }, header: version === undefined ? {} : { 'If-Match': `"${version}"` } }, body });
    setSaved(!error);
    if (error) return setError((error as { type?: string }).type === '/problems/version-conflict' ? { detail: 'Changed by someone else; reload to see their change.' } : error);
    setError(undefined);
    setDirty(false);
    if (!given) {
      // A new customer's page is its own from now on: saving again edits it.
      justAdded = customerId;
      return go(`/customers/${customerId}`, { saved: true });
    }
    show(data);
  };
  return (
    <section>
      <h1>{given ? (record ? `${record.name} (${given})` : `Customer ${given}`) : 'Add a customer'}</h1>
      {saved ? (
        <p role="status" class="saved">
          Saved.
        </p>
      ) : null}
      {record ? <SavedRecord record={record} /> : null}
      <form onSubmit={save} noValidate aria-label={given ? `Edit ${given}` : 'Add a customer'}>
        {given ? <h2>Edit</h2> : null}
        {given ? null : (
          <>
            <label for="customer-id">Customer id (capitals and digits, e.g. ACME)</label>
            <input id="customer-id" value={customerId} onInput={(e) => edit(setCustomerId)(e.currentTarget.value.toUpperCase())} aria-describedby="customerId-problem" />
            <FieldProblem error={error} field="customerId" />
          </>
        )}
        <label for="name">Customer name</label>
        <input id="name" value={name} onInput={(e) => edit(setName)(e.currentTarget.value)} aria-describedby="name-problem" />
        <FieldProblem error={error} field="name" />
        <fieldset>
          <legend>Contacts</legend>
          {contacts.length === 0 ? <p class="hint">No contacts: nobody at the customer is emailed.</p> : null}
          {contacts.map((c, i) => (
            <fieldset key={c.key} class="contact-row">
              <legend class="visually-hidden">Contact {i + 1}</legend>
              <div>
                <label for={`contact-email-${c.key}`}>Email</label>
                <input id={`contact-email-${c.key}`} type="email" value={c.email} onInput={(e) => setContact(c.key, { email: e.currentTarget.value })} />
              </div>
              <div>
                <label for={`contact-name-${c.key}`}>Name</label>
                <input id={`contact-name-${c.key}`} value={c.name} onInput={(e) => setContact(c.key, { name: e.currentTarget.value })} />
              </div>
              <div class="purposes">
                {CONTACT_PURPOSES.map((purpose) => (
                  <label key={purpose} class="check">
                    <input
                      type="checkbox"
                      checked={c.receives.includes(purpose)}
                      onChange={(e) =>
                        setContact(c.key, { receives: e.currentTarget.checked ? CONTACT_PURPOSES.filter((p) => p === purpose || c.receives.includes(p)) : c.receives.filter((p) => p !== purpose) })
                      }
                    />
                    {CONTACT_PURPOSE_NAMES[purpose]}
                  </label>
                ))}
              </div>
              <button type="button" class="secondary" onClick={() => edit(setContacts)(contacts.filter((other) => other.key !== c.key))}>
                Remove contact {i + 1}
              </button>
            </fieldset>
          ))}
          <FieldProblem error={error} field="contacts" />
          <button type="button" class="secondary" onClick={() => edit(setContacts)([...contacts, row()])}>
            Add a contact
          </button>
        </fieldset>
        <CopenhagenDateTime id="go-live" label="Go-live (starts hypercare)" value={goLiveAt} onChange={edit(setGoLiveAt)} problem={fieldProblem(error, 'goLiveAt')} />
        <label for="weeks">Hypercare weeks</label>
        <input id="weeks" inputMode="numeric" value={weeks} onInput={(e) => edit(setWeeks)(e.currentTarget.value)} aria-describedby="hypercareWeeks-problem" />
        <FieldProblem error={error} field="hypercareWeeks" />
        <label for="hourly">Consultancy rate per hour</label>
        <input id="hourly" inputMode="decimal" value={hourly} onInput={(e) => edit(setHourly)(e.currentTarget.value)} aria-describedby="consultancyRate-problem" />
        <label for="currency">Currency (ISO 4217, e.g. DKK)</label>
        <input id="currency" value={currency} onInput={(e) => edit(setCurrency)(e.currentTarget.value.toUpperCase())} />
        <FieldProblem error={error} field="consultancyRate" />
        <div class="actions">
          {/* An edit waits for the record it changes: saving before it loads would send a near-empty one. */}
          <button type="submit" disabled={given !== undefined && record === undefined}>
            Save customer
          </button>
        </div>
        <Alert text={error ? problemText(error) : undefined} />
      </form>
    </section>
  );
}

/** The customer's record as the API holds it now. */
function SavedRecord({ record }: { record: Saved }) {
  return (
    <dl class="record" aria-label="Saved record">
      <dt>Contacts</dt>
      <dd>
        {record.contacts.length
          ? record.contacts.map((c) => (
              <div key={c.email}>
                {c.name ? `${c.name} <${c.email}>` : c.email}: {c.receives.map((p) => CONTACT_PURPOSE_NAMES[p as ContactPurpose] ?? p).join(', ')}
              </div>
            ))
          : 'None'}
      </dd>
      <dt>Go-live</dt>
      <dd>{record.goLiveAt ? copenhagen(record.goLiveAt) : 'Not set'}</dd>
      <dt>Hypercare</dt>
      <dd>
        {record.hypercare ? (
          <a href={`#/hypercare/${record.customerId}`}>
            {HYPERCARE_STATUS_NAMES[record.hypercare.status]}, planned end {copenhagen(record.hypercare.plannedEndAt)}
          </a>
        ) : (
          'None without a go-live'
        )}
      </dd>
      <dt>Consultancy rate</dt>
      <dd>{record.consultancyRate ? `${moneyText(record.consultancyRate.hourly, record.consultancyRate.currency)} an hour` : 'Not agreed'}</dd>
    </dl>
  );
}
