import { useEffect, useState } from 'preact/hooks';
import { PRIORITIES, type Priority } from '#domain/sla/sla-policy';
import { STATUSES, type TicketCategory, type TicketStatus } from '#domain/tickets/ticket';
import { CATEGORY_NAMES, PRIORITY_NAMES, resolutionText, STATUS_NAMES } from '#domain/wording';
import { api, problemText } from '../api/client';
import { syncClock } from '../clock';
import { copenhagen } from '../countdown';
import { drafts, useLoad, useRefresh, useUnsaved } from '../session';
import { Choice, PeopleOptions } from './filters';
import { Sla } from './sla';
import { Alert } from '../form';
import { AttachmentList, AttachPicker, uploadAll } from './attachments';

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

/** The fields the history tells, each value in words. */
const TRACKED: Readonly<Record<string, { label: string; words: (value: unknown) => string }>> = {
  status: { label: 'Status', words: (v) => STATUS_NAMES[v as TicketStatus] ?? String(v) },
  priority: { label: 'Priority', words: (v) => PRIORITY_NAMES[v as Priority] ?? String(v) },
  title: { label: 'Title', words: (v) => `“${String(v)}”` },
  category: { label: 'Category', words: (v) => CATEGORY_NAMES[v as TicketCategory] ?? String(v) },
};

/** What changed and when, in words: the audit of status and priority changes and the SLA's milestones. */
function auditLines(events: NonNullable<Awaited<ReturnType<typeof load>>['events']['data']>['items']): { at: string; text: string }[] {
  return events.flatMap((e) => {
    if (e.type === 'ticket.opened') return [{ at: e.at, text: `Opened by ${e.actor.name}` }];
    if (e.type === 'ticket.first-response') return [{ at: e.at, text: `First response given by ${e.actor.name}` }];
    if (e.type === 'sla.breached') return [{ at: e.at, text: 'First response overdue: the SLA was breached' }];
    if (e.type === 'ticket.assigned') {
      const to = e.changes.assignee?.to as { name: string } | null | undefined;
      return [{ at: e.at, text: to ? `Assigned to ${to.name} by ${e.actor.name}` : `Unassigned by ${e.actor.name}` }];
    }
    if (e.type !== 'ticket.updated') return [];
    return Object.entries(e.changes).flatMap(([field, change]) => {
      const tracked = TRACKED[field];
      if (!tracked) return [];
      return [{ at: e.at, text: `${tracked.label} changed from ${tracked.words(change.from)} to ${tracked.words(change.to)} by ${e.actor.name}` }];
    });
  });
}

/** A ticket's page: the thread, a reply box, and the due time in Copenhagen time. */
export function TicketPage({ id }: { id: string }) {
  const tick = useRefresh();
  const [loaded, setLoaded] = useState<Loaded>();
  const [error, setError] = useState<string>();
  // The reply being written belongs to this ticket: kept in the tab while the person looks elsewhere.
  const [reply, setReplyText] = useState(() => drafts.get(id));
  const setReply = (text: string) => {
    setReplyText(text);
    drafts.set(id, text);
  };
  const [replyError, setReplyError] = useState<string>();
  const [internal, setInternal] = useState(false);
  const [files, setFiles] = useState<File[]>([]);
  const [sent, setSent] = useState(0);
  useUnsaved(files.length > 0);
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
    const visibility = internal ? 'internal' : 'public';
    // Files alone are sent without a reply; a reply is sent first, so the thread says what the files are.
    if (reply.trim() || files.length === 0) {
      const { error } = await api.POST('/tickets/{id}/comments', { params: { path: { id } }, body: { body: reply, visibility } });
      // A refused reply stays in the box, with the reason beside it.
      setReplyError(error ? problemText(error) : undefined);
      if (error) return;
      setReply('');
    }
    const problems = await uploadAll(id, files, visibility);
    setReplyError(problems.length ? `Not attached: ${problems.join('; ')}` : undefined);
    setFiles([]);
    setInternal(false);
    setSent((n) => n + 1);
  };
  return (
    <section>
      <h1>
        {ticket.id}: {ticket.title}
      </h1>
      <p class="facts">
        <span class={`priority ${ticket.priority}`}>{PRIORITY_NAMES[ticket.priority]}</span> · <span>{STATUS_NAMES[ticket.status]}</span> · <span>{CATEGORY_NAMES[ticket.category]}</span>
        {ticket.hypercare ? <span class="hypercare"> · Hypercare</span> : null} · {ticket.assignee ? `Owner: ${ticket.assignee.name}` : 'Unassigned'} · first response due{' '}
        {copenhagen(ticket.firstResponseDueAt)} (Copenhagen) · <Sla state={ticket.sla.state} dueAt={ticket.firstResponseDueAt} />
        <Resolution resolution={ticket.resolution} />
      </p>
      <p class="description">{ticket.description}</p>
      <AttachmentList ticketId={ticket.id} refresh={sent} />
      {can('edit') ? <Change key={`${ticket.id}@${ticket.version}`} ticket={ticket} onChanged={() => setSent((n) => n + 1)} /> : null}
      <h2>Thread</h2>
      {comments.length === 0 ? <p>No replies yet.</p> : null}
      <div class="thread">
        {comments.map((c) => (
          <article
            key={c.id}
            class={`comment ${c.author.role === 'customer' ? 'from-customer' : 'from-provider'}${c.visibility === 'internal' ? ' internal' : ''}`}
            aria-label={`Reply from ${c.author.name}`}
          >
            <header>
              <strong>{c.author.name}</strong> <span class="when">{copenhagen(c.createdAt)}</span>
              {c.visibility === 'internal' ? <span class="badge">Internal note</span> : null}
            </header>
            <p>{c.body}</p>
          </article>
        ))}
      </div>
      {can('comment') ? (
        <form onSubmit={send}>
          <label for="reply">Reply</label>
          <textarea id="reply" rows={4} value={reply} onInput={(e) => setReply(e.currentTarget.value)} />
          {can('comment-internal') ? (
            <label class="check">
              <input type="checkbox" checked={internal} onChange={(e) => setInternal(e.currentTarget.checked)} /> Internal note (the customer does not see it)
            </label>
          ) : null}
          {can('comment-internal') && !ticket.firstRespondedAt ? <p>The first public reply is the first response.</p> : null}
          <AttachPicker files={files} onChange={setFiles} />
          <div class="actions">
            <button type="submit">{reply.trim() === '' && files.length ? 'Send files' : internal ? 'Add internal note' : 'Send reply'}</button>
          </div>
          <Alert text={replyError} />
        </form>
      ) : null}
      <h2>History</h2>
      <ol class="audit">
        {audit.map((line, i) => (
          <li key={i}>
            {copenhagen(line.at)}: {line.text}
          </li>
        ))}
      </ol>
    </section>
  );
}

/** Priority and status, changed only on the version this page shows: someone else's change is never overwritten. */
function Change({ ticket, onChanged }: { ticket: Loaded['ticket']; onChanged: () => void }) {
  const [status, setStatus] = useState(ticket.status);
  const [priority, setPriority] = useState(ticket.priority);
  const owner = ticket.assignee?.subject ?? '';
  const [assignee, setAssignee] = useState(owner);
  const [problem, setProblem] = useState<string>();
  const assigns = ticket.actions.includes('assign');
  const { value: people } = useLoad(() => (assigns ? api.GET('/people', { params: { query: { role: 'agent' } } }) : Promise.resolve({ data: undefined })));
  useUnsaved(status !== ticket.status || priority !== ticket.priority || assignee !== owner);
  // The statuses the ticket may move to now, as the API offers them.
  const moves = STATUSES.filter((s) => ticket.actions.includes(`set-status:${s}`));
  const save = async (event: Event) => {
    event.preventDefault();
    // Closing is for good: a closed ticket is never reopened.
    if (status === 'closed' && !confirm(`Close ${ticket.id}? A closed ticket cannot be reopened; the customer would file a new one.`)) return;
    const body = {
      ...(status !== ticket.status ? { status } : {}),
      ...(priority !== ticket.priority ? { priority } : {}),
      ...(assignee !== owner ? { assignee: assignee || null } : {}),
    };
    const { error } = await api.PATCH('/tickets/{id}', { params: { path: { id: ticket.id }, header: { 'If-Match': `"${ticket.version}"` } }, body });
    if (!error) {
      setProblem(undefined);
      onChanged();
    } else setProblem((error as { type?: string }).type === '/problems/version-conflict' ? 'Changed by someone else; reload to see their change.' : problemText(error));
  };
  return (
    <form onSubmit={save} aria-label="Change the ticket" class="filters">
      <Choice id="status" label="Status" value={status} values={[ticket.status, ...moves]} names={STATUS_NAMES} onChange={(s) => setStatus(s ?? ticket.status)} />
      <Choice
        id="priority"
        label="Priority"
        value={priority}
        values={PRIORITIES}
        names={PRIORITY_NAMES}
        disabled={!ticket.actions.includes('set-priority')}
        onChange={(p) => setPriority(p ?? ticket.priority)}
      />
      {assigns ? (
        <div>
          <label for="owner">Owner</label>
          <select id="owner" value={assignee} onChange={(e) => setAssignee(e.currentTarget.value)}>
            <option value="">Unassigned</option>
            {ticket.assignee && !people?.items.some((p) => p.subject === owner) ? <option value={owner}>{ticket.assignee.name}</option> : null}
            <PeopleOptions people={people?.items} />
          </select>
        </div>
      ) : null}
      <div class="actions">
        <button type="submit">Save changes</button>
      </div>
      <Alert text={problem} />
    </form>
  );
}

/** Resolved: how long it took in business time (and, for the desk, against its target); unresolved, the desk's "resolve by". */
function Resolution({ resolution: r }: { resolution: Loaded['ticket']['resolution'] }) {
  if (r.businessMinutes !== null) {
    const target = r.targetMinutes !== null && r.withinTarget !== null ? { minutes: r.targetMinutes, within: r.withinTarget } : undefined;
    return <span class="resolution"> · {resolutionText(r.businessMinutes, target)}</span>;
  }
  return r.resolveBy ? <span class="resolution"> · Resolve by {copenhagen(r.resolveBy)} (Copenhagen)</span> : null;
}
