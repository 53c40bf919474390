import { api } from '../api/client';
import { useLoad } from '../session';
import { Sla } from './sla';


const loadTickets = () => api.GET('/tickets', { params: { query: { limit: 50 } } });

/** A customer's tickets, newest first, each with its SLA. */
export function MyTickets() {
  const { value: page, error } = useLoad(loadTickets);
  const tickets = page?.items;
  return (
    <section>
      <h1>My tickets</h1>
      <p>
        <a href="#/new">File a new ticket</a>
      </p>
      {error ? <p role="alert" class="error">{error}</p> : null}
      {tickets === undefined ? (
        <p>Loading…</p>
      ) : tickets.length === 0 ? (
        <p>No tickets yet.</p>
      ) : (
        <table>
          <caption class="visually-hidden">Your tickets</caption>
          <thead>
            <tr>
              <th scope="col">Ticket</th>
              <th scope="col">Title</th>
              <th scope="col">Priority</th>
              <th scope="col">Status</th>
              <th scope="col">First response</th>
            </tr>
          </thead>
          <tbody>
            {tickets.map((t) => (
              <tr key={t.id} data-ticket={t.id}>
                <td>
                  <a href={`#/tickets/${t.id}`}>{t.id}</a>
                </td>
                <td>{t.title}</td>
                <td>{t.priority}</td>
                <td>{t.status.replaceAll('_', ' ')}</td>
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
