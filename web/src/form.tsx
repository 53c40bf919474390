import { DateTime } from 'luxon';
import { CONTRACT_ZONE } from '#domain/contract';
import { fieldProblem } from './api/client';

/**
 * What the console checks before sending: the obvious (a field left empty),
 * said in the same words and shape as the API's own validation problem, so a
 * form shows both the same way.
 */
export function checked(fields: Readonly<Record<string, string | undefined>>): unknown {
  const errors = Object.entries(fields).flatMap(([field, message]) => (message ? [{ path: `body.${field}`, message }] : []));
  return errors.length ? { status: 400, detail: `Check the fields marked: ${errors.map((e) => `${e.message}.`).join(' ')}`, errors } : undefined;
}

/** The problem with one field, next to it: `aria-describedby` the field with `<field>-problem`. */
export function FieldProblem({ error, field }: { error: unknown; field: string }) {
  const message = fieldProblem(error, field);
  return message ? (
    <p id={`${field}-problem`} class="field-problem">
      {message}
    </p>
  ) : null;
}

const shifted = (month: string, by: number) => {
  const [year, m] = month.split('-').map(Number) as [number, number];
  const index = year * 12 + (m - 1) + by;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
};

/** A month to look at (YYYY-MM), typed or stepped one at a time; never after `latest`. */
export function MonthPicker({ id, value, latest, onChange }: { id: string; value: string; latest?: string; onChange: (month: string) => void }) {
  return (
    <div class="inline-field month-picker">
      <label for={id} class="inline">
        Month
      </label>
      <button type="button" class="secondary" aria-label="Previous month" onClick={() => onChange(shifted(value, -1))}>
        ‹
      </button>
      <input
        id={id}
        type="month"
        value={value}
        max={latest}
        onChange={(e) => {
          const month = e.currentTarget.value;
          if (/^\d{4}-\d{2}$/.test(month)) onChange(month);
        }}
      />
      <button type="button" class="secondary" aria-label="Next month" disabled={latest !== undefined && value >= latest} onClick={() => onChange(shifted(value, 1))}>
        ›
      </button>
    </div>
  );
}

/** `2026-12-10T18:00` as the browser's date-time field holds it, for an instant, in Copenhagen time. */
export const localInput = (iso: string | undefined) => (iso ? DateTime.fromISO(iso, { zone: CONTRACT_ZONE }).toFormat("yyyy-MM-dd'T'HH:mm") : '');

/** The instant a date-time field means in Copenhagen time, as the API takes it (ISO 8601 with the offset then in force). */
export const fromLocalInput = (value: string) => (value ? (DateTime.fromISO(value, { zone: CONTRACT_ZONE }).toISO({ suppressMilliseconds: true }) ?? undefined) : undefined);

/** A date and time in Copenhagen time, whatever the browser's own zone: the zone is named beside it. */
export function CopenhagenDateTime({ id, label, value, onChange, problem }: { id: string; label: string; value: string; onChange: (value: string) => void; problem?: string }) {
  return (
    <>
      <label for={id}>
        {label} <span class="hint">(Copenhagen time)</span>
      </label>
      <input id={id} type="datetime-local" value={value} onInput={(e) => onChange(e.currentTarget.value)} aria-describedby={`${id}-problem`} />
      {problem ? (
        <p id={`${id}-problem`} class="field-problem">
          {problem}
        </p>
      ) : null}
    </>
  );
}

/** What went wrong on this page or form, in words, announced to screen readers; nothing when all is well. */
export function Alert({ text }: { text: string | undefined }) {
  return text ? (
    <p role="alert" class="error">
      {text}
    </p>
  ) : null;
}
