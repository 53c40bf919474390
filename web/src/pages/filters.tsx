import { useState } from 'preact/hooks';
import { isCustomerId } from '#domain/identifiers';
import { api } from '../api/client';
import { useLoad } from '../session';

/**
 * The customer a list is narrowed to: typed, with the customers on record
 * suggested by name. Tickets of a customer with no record can still be found.
 */
export function CustomerFilter({ id, value, onChange }: { id: string; value: string; onChange: (customerId: string | undefined) => void }) {
  const [text, setText] = useState(value);
  const { value: customers } = useLoad(() => api.GET('/customers', { params: { query: { limit: 100 } } }));
  return (
    <div>
      <label for={id}>Customer</label>
      <input
        id={id}
        list={`${id}-names`}
        value={text}
        placeholder="All customers"
        autocomplete="off"
        onInput={(e) => {
          const typed = e.currentTarget.value.trim().toUpperCase();
          setText(typed);
          if (typed === '' || isCustomerId(typed)) onChange(typed || undefined);
        }}
      />
      <datalist id={`${id}-names`}>
        {(customers?.items ?? []).map((c) => (
          <option key={c.customerId} value={c.customerId}>
            {c.name}
          </option>
        ))}
      </datalist>
    </div>
  );
}

/** Whose tickets: anyone's, the signed-in person's, nobody's, or one person's of the desk. */
export function OwnerFilter({ value, onChange }: { value: string; onChange: (assignee: string) => void }) {
  const { value: people } = useLoad(() => api.GET('/people', { params: { query: { role: 'agent' } } }));
  return (
    <div>
      <label for="filter-owner">Owner</label>
      <select id="filter-owner" value={value} onChange={(e) => onChange(e.currentTarget.value)}>
        <option value="">Anyone</option>
        <option value="me">Mine</option>
        <option value="none">Unassigned</option>
        <PeopleOptions people={people?.items} />
      </select>
    </div>
  );
}

/** The desk's people as choices, by name: who may own a ticket. */
export function PeopleOptions({ people }: { people: readonly { subject: string; name: string }[] | undefined }) {
  return (
    <>
      {(people ?? []).map((p) => (
        <option key={p.subject} value={p.subject}>
          {p.name}
        </option>
      ))}
    </>
  );
}

/** One of a set of values, each shown by its name; `any` offers "no choice" first (a filter's "Any…"). */
export function Choice<T extends string>({
  id,
  label,
  value,
  values,
  names,
  any,
  disabled,
  onChange,
}: {
  id: string;
  label: string;
  value: T | '';
  values: readonly T[];
  names: Readonly<Record<T, string>>;
  any?: string;
  disabled?: boolean;
  onChange: (value: T | undefined) => void;
}) {
  return (
    <div>
      <label for={id}>{label}</label>
      <select id={id} value={value} disabled={disabled} onChange={(e) => onChange((e.currentTarget.value || undefined) as T | undefined)}>
        {any === undefined ? null : <option value="">{any}</option>}
        {values.map((v) => (
          <option key={v} value={v}>
            {names[v]}
          </option>
        ))}
      </select>
    </div>
  );
}
