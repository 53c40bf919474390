import { useState } from 'preact/hooks';
import { PRIORITIES, type Priority } from '#domain/sla/sla-policy';
import { STATUSES, type TicketStatus } from '#domain/tickets/ticket';
import { HYPERCARE_WARNING_SHARE, WARNING_SHARE } from '#domain/contract';
import { minutesText, PRIORITY_NAMES, STATUS_NAMES } from '#domain/wording';
import { serverNow } from '../clock';
import { api } from '../api/client';
import { useLoad } from '../session';
import { Choice, CustomerFilter, OwnerFilter } from './filters';
import { TicketTable } from './ticket-table';
import { Alert } from '../form';

/** Past its warning point, as the API says the alerts warn (the deployment's shares, earlier for heightened hypercare tickets). */
const pastWarning = (t: { sla: { warnAt: string | null } }) => t.sla.warnAt !== null && Date.parse(t.sla.warnAt) <= serverNow();

/** How long ago a breached ticket's deadline passed, in business time: what it is over by. */
const overdue = (t: { sla: { usedMinutes: number; targetMinutes: number } }) => `${minutesText(Math.max(0, t.sla.usedMinutes - t.sla.targetMinutes))} over, in business time`;

/** The statuses of tickets still being worked on: the queue's choices. */
const OPEN_STATUSES = STATUSES.filter((s) => s !== 'resolved' && s !== 'closed');

/** The queue: breached tickets still unanswered first, the most urgent the desk has; then what breaches next, earliest due first. */
export function Queue() {
  const [customerId, setCustomerId] = useState('');
  const [priority, setPriority] = useState<Priority | ''>('');
  const [status, setStatus] = useState<TicketStatus | ''>('');
  const [owner, setOwner] = useState('');
  const query = {
    sla: 'running' as const,
    sort: 'due' as const,
    limit: 100,
    ...(customerId ? { customerId } : {}),
    ...(priority ? { priority } : {}),
    ...(status ? { status } : {}),
    ...(owner ? { assignee: owner } : {}),
  };
  const { value: page, error } = useLoad(() => api.GET('/tickets', { params: { query } }), [query.customerId, query.priority, query.status, owner]);
  const rows = page?.items;
  // Breached and still unanswered (its outcome recorded, so off the running list): first, longest over first.
  const breachedQuery = { ...query, sla: 'breached' as const, sort: 'opened' as const, answered: 'no' as const, status: query.status ?? 'open,in_progress,waiting_on_customer' };
  const { value: breachedPage } = useLoad(() => api.GET('/tickets', { params: { query: breachedQuery } }), [query.customerId, query.priority, query.status, owner]);
  const breached = breachedPage?.items.toSorted((a, b) => b.sla.usedMinutes - b.sla.targetMinutes - (a.sla.usedMinutes - a.sla.targetMinutes));
  /** A section's count: "100+" when there are more than a page shows. */
  const count = (page: { items: readonly unknown[]; nextCursor: string | null } | undefined) => (page ? ` (${page.items.length}${page.nextCursor ? '+' : ''})` : '');
  return (
    <section>
      <h1>Queue: what breaches next</h1>
      <form class="filters" onSubmit={(e) => e.preventDefault()} aria-label="Filter the queue">
        <CustomerFilter id="filter-customer" value={customerId} onChange={(id) => setCustomerId(id ?? '')} />
        <Choice id="filter-priority" label="Priority" value={priority} values={PRIORITIES} names={PRIORITY_NAMES} any="Any priority" onChange={(p) => setPriority(p ?? '')} />
        <Choice id="filter-status" label="Status" value={status} values={OPEN_STATUSES} names={STATUS_NAMES} any="Any open status" onChange={(s) => setStatus(s ?? '')} />
        <OwnerFilter value={owner} onChange={setOwner} />
      </form>
      <Alert text={error} />
      <h2>Breached, not yet answered{count(breachedPage)}</h2>
      {breached?.length ? (
        <ul class="breached" aria-label="Breached, not yet answered">
          {breached.map((t) => (
            <li key={t.id}>
              <strong>Breached</strong> <a href={`#/tickets/${t.id}`}>{t.id}</a>: {t.title} ({overdue(t)})
            </li>
          ))}
        </ul>
      ) : (
        <p>{breached ? 'No breached ticket is waiting for an answer.' : 'Loading…'}</p>
      )}
      <h2>Running{count(page)}</h2>
      <p class="legend">
        <span class="swatch warning" aria-hidden="true" /> Highlighted: past the warning point, when on-call is alerted ({WARNING_SHARE * 100}% of the time used; {HYPERCARE_WARNING_SHARE * 100}% for
        Highest and High tickets in hypercare).
      </p>
      <TicketTable
        rows={rows}
        caption="Running tickets, what breaches next first"
        empty="No ticket is waiting for its first response."
        slaHeading="Time left"
        columns={{ customer: true, hypercare: true, owner: true }}
        rowClass={(t) => (pastWarning(t) ? 'warning' : '')}
      />
    </section>
  );
}
