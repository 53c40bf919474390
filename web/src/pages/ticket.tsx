import { useEffect, useState } from 'preact/hooks';
import { PRIORITIES } from '#domain/sla/sla-policy';
import { STATUSES } from '#domain/tickets/ticket';
import { api, problemText } from '../api/client';
import { syncClock } from '../clock';
import { copenhagen } from '../countdown';
import { useRefresh } from '../session';
import { Sla } from './sla';

type Loaded = {
  ticket: NonNullable<Awaited<ReturnType<typeof load>>['ticket']['data']>;
  comments: NonNullable<Awaited<ReturnType<typeof load>>['comments']['data']>['items'];
  audit: { at: string; text: string }[];
};

async function load(id: string) {
  const [ticket, comments, events] = await Promise.all([
    api.GET('/tickets/{id}', { params: { path: { id } } }),
    api.GET('/tickets/{id}/comments', { params: { path: { id }, query: { limit: 100 } } }),
    api.GET('/tickets/{id}/events', { params: { path: { id }, query: { limit: 100 } } }),
  ]);
  return { ticket, comments, events };
}

const TRACKED = ['status', 'priority', 'title', 'category'];

/** What changed and when, in words: the audit of status and priority changes and the SLA's milestones. */
function auditLines(events: NonNullable<Awaited<ReturnType<typeof load>>['events']['data']>['items']): { at: string; text: string }[] {
  return events.flatMap((e) => {
    if (e.type === 'ticket.opened') return [{ at: e.at, text: 'opened' }];
    if (e.type === 'ticket.first-response') return [{ at: e.at, text: 'first response given' }];
    if (e.type === 'sla.breached') return [{ at: e.at, text: 'first response overdue: the SLA was breached' }];
    if (e.type !== 'ticket.updated') return [];
    const changes = Object.entries(e.changes).filter(([field]) => TRACKED.includes(field));
    return changes.map(([field, change]) => ({ at: e.at, text: `${field}: ${String(change.from ?? '').replaceAll('_', ' ')} → ${String(change.to).replaceAll('_', ' ')} (${e.actor.role})` }));
  });
}

/** A ticket's page: the thread, a reply box, and the due time in Copenhagen time. */
export function TicketPage({ id }: { id: string }) {
  const tick = useRefresh();
  const [loaded, setLoaded] = useState<Loaded>();
  const [error, setError] = useState<string>();
  const [reply, setReply] = useState('');
  const [replyError, setReplyError] = useState<string>();
  const [internal, setInternal] = useState(false);
  const [sent, setSent] = useState(0);
  useEffect(() => {
    void (async () => {
      await syncClock();
      const { ticket, comments, events } = await load(id);
      setError(ticket.error || comments.error || events.error ? problemText(ticket.error ?? comments.error ?? events.error) : undefined);
      if (ticket.data && comments.data && events.data) setLoaded({ ticket: ticket.data, comments: comments.data.items, audit: auditLines(events.data.items) });
    })();
  }, [id, tick, sent]);
  if (error)
    return (
      <p role="alert" class="error">
        {error}
      </p>
    );
  if (!loaded) return <p>Loading…</p>;
  const { ticket, comments, audit } = loaded;
  // What the API says this caller may do to the ticket now: nothing else is offered.
  const can = (action: Loaded['ticket']['actions'][number]) => ticket.actions.includes(action);
  const send = async (event: Event) => {
    event.preventDefault();
    const { error } = await api.POST('/tickets/{id}/comments', { params: { path: { id } }, body: { body: reply, visibility: internal ? 'internal' : 'public' } });
    // A refused reply stays in the box, with the reason beside it.
    setReplyError(error ? problemText(error) : undefined);
    if (!error) {
      setReply('');
      setSent((n) => n + 1);
    }
  };
  return (
    <section>
      <h1>
        {ticket.id}: {ticket.title}
      </h1>
      <p>
        {ticket.priority} · {ticket.status.replaceAll('_', ' ')}
        {ticket.hypercare ? <span class="hypercare"> · hypercare</span> : null} · first response due {copenhagen(ticket.firstResponseDueAt)} (Copenhagen) ·{' '}
        <Sla state={ticket.sla.state} dueAt={ticket.firstResponseDueAt} />
      </p>
      <p>{ticket.description}</p>
      {can('edit') ? <Change key={`${ticket.id}@${ticket.version}`} ticket={ticket} onChanged={() => setSent((n) => n + 1)} /> : null}
      <h2>Thread</h2>
      {comments.length === 0 ? <p>No replies yet.</p> : null}
      <ol>
        {comments.map((c) => (
          <li key={c.id}>
            <strong>{c.author.role === 'customer' ? 'Customer' : 'Support'}</strong> ({copenhagen(c.createdAt)}
            {c.visibility === 'internal' ? ', internal' : ''}): {c.body}
          </li>
        ))}
      </ol>
      <h2>History</h2>
      <ol class="audit">
        {audit.map((line, i) => (
          <li key={i}>
            {copenhagen(line.at)}: {line.text}
          </li>
        ))}
      </ol>
      {can('comment') ? (
        <form onSubmit={send}>
          <label for="reply">Reply</label>
          <textarea id="reply" rows={4} value={reply} onInput={(e) => setReply(e.currentTarget.value)} />
          {can('comment-internal') ? (
            <label style="font-weight:normal">
              <input type="checkbox" checked={internal} onChange={(e) => setInternal(e.currentTarget.checked)} style="min-width:auto" /> Internal note (the customer does not see it)
            </label>
          ) : null}
          {can('comment-internal') && !ticket.firstRespondedAt ? <p>The first public reply is the first response.</p> : null}
          <button type="submit">Send reply</button>
          {replyError ? (
            <p role="alert" class="error">
              {replyError}
            </p>
          ) : null}
        </form>
      ) : null}
    </section>
  );
}

/** Priority and status, changed only on the version this page shows: someone else's change is never overwritten. */
function Change({ ticket, onChanged }: { ticket: Loaded['ticket']; onChanged: () => void }) {
  const [status, setStatus] = useState(ticket.status);
  const [priority, setPriority] = useState(ticket.priority);
  const [problem, setProblem] = useState<string>();
  // The statuses the ticket may move to now, as the API offers them.
  const moves = STATUSES.filter((s) => ticket.actions.includes(`set-status:${s}`));
  const save = async (event: Event) => {
    event.preventDefault();
    const body = { ...(status !== ticket.status ? { status } : {}), ...(priority !== ticket.priority ? { priority } : {}) };
    const { error } = await api.PATCH('/tickets/{id}', { params: { path: { id: ticket.id }, header: { 'If-Match': `"${ticket.version}"` } }, body });
    if (!error) {
      setProblem(undefined);
      onChanged();
    } else setProblem((error as { type?: string }).type === '/problems/version-conflict' ? 'Changed by someone else; reload to see their change.' : problemText(error));
  };
  return (
    <form onSubmit={save} aria-label="Change the ticket">
      <label for="status">Status</label>
      <select id="status" value={status} onChange={(e) => setStatus(e.currentTarget.value as typeof status)}>
        {[ticket.status, ...moves].map((s) => (
          <option key={s} value={s}>
            {s.replaceAll('_', ' ')}
          </option>
        ))}
      </select>
      <label for="priority">Priority</label>
      <select id="priority" value={priority} disabled={!ticket.actions.includes('set-priority')} onChange={(e) => setPriority(e.currentTarget.value as typeof priority)}>
        {PRIORITIES.map((p) => (
          <option key={p} value={p}>
            {p}
          </option>
        ))}
      </select>
      <div>
        <button type="submit">Save changes</button>
      </div>
      {problem ? (
        <p role="alert" class="error">
          {problem}
        </p>
      ) : null}
    </form>
  );
}
