import type { Priority } from '#domain/sla/sla-policy';
import type { TicketStatus } from '#domain/tickets/ticket';
import { PRIORITY_NAMES, STATUS_NAMES } from '#domain/wording';
import { Sla } from './sla';

/** What a list of tickets shows of each: the fields of the API's ticket list items it reads. */
interface TicketRow {
  readonly id: string;
  readonly customerId: string;
  readonly title: string;
  readonly priority: Priority;
  readonly status: TicketStatus;
  readonly hypercare: boolean;
  readonly firstResponseDueAt: string;
  readonly sla: { readonly state: string };
  readonly assignee: { readonly name: string } | null;
}

/**
 * A list of tickets, each linking to its page, with its first-response SLA:
 * the customer's own list and the agents' queue. Loading and empty say so.
 */
export function TicketTable<T extends TicketRow>({
  rows,
  caption,
  empty,
  slaHeading,
  columns = {},
  rowClass,
}: {
  rows: readonly T[] | undefined;
  caption: string;
  empty: string;
  slaHeading: string;
  columns?: { readonly customer?: boolean; readonly status?: boolean; readonly hypercare?: boolean; readonly owner?: boolean };
  rowClass?: (ticket: T) => string;
}) {
  if (rows === undefined) return <p>Loading…</p>;
  if (rows.length === 0) return <p>{empty}</p>;
  return (
    <table>
      <caption class="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Ticket</th>
          {columns.customer ? <th scope="col">Customer</th> : null}
          <th scope="col">Title</th>
          <th scope="col">Priority</th>
          {columns.status ? <th scope="col">Status</th> : null}
          {columns.owner ? <th scope="col">Owner</th> : null}
          <th scope="col">{slaHeading}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((t) => (
          <tr key={t.id} data-ticket={t.id} class={rowClass?.(t) ?? ''}>
            <td>
              <a href={`#/tickets/${t.id}`}>{t.id}</a>
            </td>
            {columns.customer ? <td>{t.customerId}</td> : null}
            <td>
              {t.title}
              {columns.hypercare && t.hypercare ? <span class="hypercare"> (hypercare)</span> : null}
            </td>
            <td class={`priority ${t.priority}`}>{PRIORITY_NAMES[t.priority]}</td>
            {columns.status ? <td>{STATUS_NAMES[t.status]}</td> : null}
            {columns.owner ? <td>{t.assignee?.name ?? <span class="hint">Unassigned</span>}</td> : null}
            <td>
              <Sla state={t.sla.state} dueAt={t.firstResponseDueAt} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
