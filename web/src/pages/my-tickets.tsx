import { api } from '../api/client';
import { useLoad } from '../session';
import { TicketTable } from './ticket-table';
import { Alert } from '../form';

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
      <Alert text={error} />
      <TicketTable rows={tickets} caption="Your tickets" empty="No tickets yet." slaHeading="First response" columns={{ status: true, owner: true }} />
    </section>
  );
}
