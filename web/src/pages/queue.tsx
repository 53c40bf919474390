import { api } from '../api/client';
import { useLoad } from '../session';
import { Sla } from './sla';


const loadQueue = () => api.GET('/tickets', { params: { query: { sla: 'running', sort: 'due', limit: 100 } } });

/** What breaches next: running tickets, earliest due first. */
export function Queue() {
  const { value: page, error } = useLoad(loadQueue);
  const rows = page?.items;
  return (
    <section>
      <h1>Queue: what breaches next</h1>
      {error ? <p role="alert" class="error">{error}</p> : null}
      {rows === undefined ? (
        <p>Loading…</p>
      ) : rows.length === 0 ? (
        <p>No ticket is waiting for its first response.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Ticket</th>
              <th scope="col">Customer</th>
              <th scope="col">Title</th>
              <th scope="col">Priority</th>
              <th scope="col">Time left</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((t) => (
              <tr key={t.id} data-ticket={t.id} class={t.sla.usedMinutes >= 0.75 * t.sla.targetMinutes ? 'warning' : ''}>
                <td>
                  <a href={`#/tickets/${t.id}`}>{t.id}</a>
                </td>
                <td>{t.customerId}</td>
                <td>
                  {t.title}
                  {t.hypercare ? <span class="hypercare"> (hypercare)</span> : null}
                </td>
                <td>{t.priority}</td>
                <td>
                  <Sla state={t.sla.state} dueAt={t.firstResponseDueAt} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
