import { useState } from 'preact/hooks';
import { CATEGORIES, type TicketCategory } from '#domain/tickets/ticket';
import { CATEGORY_NAMES, counted, PRIORITY_NAMES } from '#domain/wording';
import { DEFINITIONS_OF_USAGE, FIRST_RESPONSE_HOURS, type Impact, IMPACTS } from '#domain/sla/sla-policy';
import { api, fieldProblem, problemText } from '../api/client';
import { Alert, checked, FieldProblem } from '../form';
import { go, useUnsaved } from '../session';
import { AttachPicker, uploadAll } from './attachments';

/** The contract's "definition of usage" question, with no answer chosen for the customer; the priority and its promise show before submitting. */
export function NewTicket() {
  const [impact, setImpact] = useState<Impact>();
  const [impactMissing, setImpactMissing] = useState(false);
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [category, setCategory] = useState<TicketCategory | ''>('');
  const [files, setFiles] = useState<File[]>([]);
  const [error, setError] = useState<unknown>();
  // Filed, but a file did not attach: the ticket exists, so the page says which and links to it.
  const [filed, setFiled] = useState<{ id: string; problems: string[] }>();
  useUnsaved(!filed && (impact !== undefined || title !== '' || description !== '' || category !== '' || files.length > 0));
  const priority = impact && DEFINITIONS_OF_USAGE[impact].priority;
  const hours = priority && FIRST_RESPONSE_HOURS[priority];
  const submit = async (event: Event) => {
    event.preventDefault();
    // The one question whose answer sets the deadline: asked, never assumed.
    setImpactMissing(!impact);
    const local = checked({
      title: title.trim() ? undefined : 'Give the ticket a title',
      description: description.trim() ? undefined : 'Describe what happens, and since when',
      category: category ? undefined : 'Choose what the ticket is about',
    });
    setError(local);
    if (!impact || !category || local) return;
    const { data, error } = await api.POST('/tickets', { body: { title, description, category, impact } });
    if (error) return setError(error);
    const problems = await uploadAll(data.id, files, 'public');
    if (problems.length) setFiled({ id: data.id, problems });
    else go(`/tickets/${data.id}`, { saved: true });
  };
  if (filed)
    return (
      <section>
        <h1>Ticket {filed.id} filed</h1>
        <p role="alert" class="error">
          Not attached: {filed.problems.join('; ')}
        </p>
        <p>
          <a href={`#/tickets/${filed.id}`}>Open {filed.id}</a> to attach them again.
        </p>
      </section>
    );
  return (
    <section>
      <h1>New ticket</h1>
      <form onSubmit={submit} noValidate>
        <fieldset aria-describedby="impact-problem">
          <legend>Who is affected, and is there a risk of data loss?</legend>
          {IMPACTS.map((value) => (
            <label key={value} class="check">
              <input
                type="radio"
                name="impact"
                value={value}
                checked={impact === value}
                onChange={() => {
                  setImpact(value);
                  setImpactMissing(false);
                }}
              />{' '}
              {DEFINITIONS_OF_USAGE[value].definition}
            </label>
          ))}
        </fieldset>
        {impactMissing ? (
          <p id="impact-problem" class="field-problem">
            Pick who is affected: it decides how soon we answer.
          </p>
        ) : null}
        <p class="promise" role="status">
          {priority && hours ? `${PRIORITY_NAMES[priority]}: first response within ${counted(hours, 'business hour')}` : 'Answer the question above to see how soon we answer.'}
        </p>
        <label for="title">Title</label>
        <input id="title" value={title} onInput={(e) => setTitle(e.currentTarget.value)} aria-describedby="title-problem" aria-invalid={fieldProblem(error, 'title') ? true : undefined} />
        <FieldProblem error={error} field="title" />
        <label for="description">Description</label>
        <textarea
          id="description"
          rows={5}
          value={description}
          onInput={(e) => setDescription(e.currentTarget.value)}
          aria-describedby="description-problem"
          aria-invalid={fieldProblem(error, 'description') ? true : undefined}
        />
        <FieldProblem error={error} field="description" />
        <label for="category">Category</label>
        <select id="category" value={category} onChange={(e) => setCategory(e.currentTarget.value as TicketCategory)} aria-describedby="category-problem">
          <option value="">Choose what it is about…</option>
          {CATEGORIES.map((c) => (
            <option key={c} value={c}>
              {CATEGORY_NAMES[c]}
            </option>
          ))}
        </select>
        <FieldProblem error={error} field="category" />
        <AttachPicker files={files} onChange={setFiles} />
        <div class="actions">
          <button type="submit">File ticket</button>
        </div>
        <Alert text={error ? problemText(error) : undefined} />
      </form>
    </section>
  );
}
