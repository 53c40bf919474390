import { useState } from 'preact/hooks';
import { PRIORITIES, type Priority } from '#domain/sla/sla-policy';
import { SLA_STATES, type SlaState, STATUSES, type TicketStatus } from '#domain/tickets/ticket';
import { PRIORITY_NAMES, SLA_STATE_NAMES, STATUS_NAMES } from '#domain/wording';
import { api } from '../api/client';
import { go, useLoad } from '../session';
import { Choice, CustomerFilter, OwnerFilter } from './filters';
import { TicketTable } from './ticket-table';
import { Alert } from '../form';

const PAGE_SIZE = 25;

/** The filters, as the page's address carries them: back from a ticket, the list is as it was left. */
interface Filters {
  readonly customerId?: string;
  readonly priority?: Priority;
  readonly status?: TicketStatus;
  readonly sla?: SlaState;
  readonly title?: string;
  /** `me`, `none` or a person's id. */
  readonly assignee?: string;
}

const FILTER_KEYS = ['customerId', 'priority', 'status', 'sla', 'title', 'assignee'] as const;

export function filtersOf(search: string): Filters {
  const params = new URLSearchParams(search);
  const pick = <T extends string>(key: string, allowed: readonly T[]) => {
    const value = params.get(key);
    return allowed.includes(value as T) ? (value as T) : undefined;
  };
  return {
    ...(params.get('customerId') ? { customerId: params.get('customerId')! } : {}),
    ...(pick('priority', PRIORITIES) ? { priority: pick('priority', PRIORITIES)! } : {}),
    ...(pick('status', STATUSES) ? { status: pick('status', STATUSES)! } : {}),
    ...(pick('sla', SLA_STATES) ? { sla: pick('sla', SLA_STATES)! } : {}),
    ...(params.get('title') ? { title: params.get('title')! } : {}),
    ...(params.get('assignee') ? { assignee: params.get('assignee')! } : {}),
  };
}

const addressOf = (filters: Filters) => {
  const params = new URLSearchParams(FILTER_KEYS.flatMap((key) => (filters[key] ? [[key, filters[key]!]] : [])));
  return `/tickets${params.size ? `?${params}` : ''}`;
};

/** Every ticket, newest first, filtered by customer, priority, status, SLA and title, a page at a time. */
export function AllTickets({ filters }: { filters: Filters }) {
  // The cursors of the pages before this one: back is a pop, next a push.
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors.at(-1);
  const query = {
    limit: PAGE_SIZE,
    ...(filters.customerId ? { customerId: filters.customerId } : {}),
    ...(filters.priority ? { priority: filters.priority } : {}),
    ...(filters.status ? { status: filters.status } : {}),
    ...(filters.sla ? { sla: filters.sla } : {}),
    ...(filters.title ? { title: filters.title } : {}),
    ...(filters.assignee ? { assignee: filters.assignee } : {}),
    ...(cursor ? { cursor } : {}),
  };
  const key = JSON.stringify(query);
  const { value: page, error } = useLoad(() => api.GET('/tickets', { params: { query } }), [key]);
  const set = (change: Partial<Filters>) => {
    setCursors([]);
    go(addressOf({ ...filters, ...change }));
  };
  const first = cursors.length * PAGE_SIZE + 1;
  return (
    <section>
      <h1>{filters.assignee === 'me' ? 'My tickets' : filters.assignee === 'none' ? 'Unassigned tickets' : 'All tickets'}</h1>
      <form class="filters" onSubmit={(e) => e.preventDefault()} aria-label="Filter the tickets">
        <CustomerFilter id="all-customer" value={filters.customerId ?? ''} onChange={(customerId) => set({ customerId })} />
        <Choice id="all-priority" label="Priority" value={filters.priority ?? ''} values={PRIORITIES} names={PRIORITY_NAMES} any="Any priority" onChange={(priority) => set({ priority })} />
        <Choice id="all-status" label="Status" value={filters.status ?? ''} values={STATUSES} names={STATUS_NAMES} any="Any status" onChange={(status) => set({ status })} />
        <Choice id="all-sla" label="First response" value={filters.sla ?? ''} values={SLA_STATES} names={SLA_STATE_NAMES} any="Any" onChange={(sla) => set({ sla })} />
        <OwnerFilter value={filters.assignee ?? ''} onChange={(assignee) => set({ assignee: assignee || undefined })} />
        <TitleFilter key={filters.title ?? ''} title={filters.title ?? ''} onSearch={(title) => set({ title: title || undefined })} />
      </form>
      <Alert text={error} />
      <p class="count" aria-live="polite">
        {page ? (page.items.length ? `Tickets ${first}–${first + page.items.length - 1}` : '') : ''}
      </p>
      <TicketTable
        rows={page?.items}
        caption="Every ticket, newest first"
        empty="No ticket matches these filters."
        slaHeading="First response"
        columns={{ customer: true, status: true, hypercare: true, owner: true }}
      />
      <nav class="pager" aria-label="Pages">
        <button type="button" disabled={cursors.length === 0} onClick={() => setCursors((c) => c.slice(0, -1))}>
          Previous page
        </button>
        <button type="button" disabled={!page?.nextCursor} onClick={() => page?.nextCursor && setCursors((c) => [...c, page.nextCursor!])}>
          Next page
        </button>
      </nav>
    </section>
  );
}

/** Text of the title, searched when the person presses Enter or the button, not on every key. */
function TitleFilter({ title, onSearch }: { title: string; onSearch: (title: string) => void }) {
  const [text, setText] = useState(title);
  return (
    <div>
      <label for="all-title">Title contains</label>
      <span class="inline-field">
        <input
          id="all-title"
          type="search"
          value={text}
          onInput={(e) => setText(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') onSearch(text.trim());
          }}
        />
        <button type="button" onClick={() => onSearch(text.trim())}>
          Search
        </button>
      </span>
    </div>
  );
}
