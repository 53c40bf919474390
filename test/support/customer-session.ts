import type { RequestSpec } from 'autocannon';

/** Whose system the load is. */
export const SESSION_CUSTOMER = 'ACME';

export const NEW_TICKET = JSON.stringify({ title: 'Users missing after sync', description: 'Since 08:00 no new users arrive from Entra.', category: 'synchronization', priority: 'low' });
const COMMENT = JSON.stringify({ body: 'Here is the sync log from this morning.', visibility: 'public' });

/**
 * What each of the 50 clients does over and over, as a customer's system
 * would: open a ticket, read it back, comment on it, list its open tickets,
 * read the ticket's comments. Two writes, three reads. `opened` hears of
 * each ticket acknowledged with 201.
 */
export function customerSession(token: string, opened: (id: string) => void = () => {}): RequestSpec[] {
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const ticketPath = (context: Record<string, unknown>) => `/tickets/${String(context.ticketId ?? `${SESSION_CUSTOMER}-1`)}`;
  return [
    {
      method: 'POST',
      path: '/tickets',
      headers,
      body: NEW_TICKET,
      onResponse: (status, body, context) => {
        if (status !== 201) return;
        context.ticketId = (JSON.parse(body) as { id: string }).id;
        opened(context.ticketId as string);
      },
    },
    { method: 'GET', headers, setupRequest: (request, context) => ({ ...request, path: ticketPath(context) }) },
    { method: 'POST', headers, body: COMMENT, setupRequest: (request, context) => ({ ...request, path: `${ticketPath(context)}/comments` }) },
    { method: 'GET', path: '/tickets?status=open&limit=25', headers },
    { method: 'GET', headers, setupRequest: (request, context) => ({ ...request, path: `${ticketPath(context)}/comments` }) },
  ];
}
