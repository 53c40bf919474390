import type { Ticket } from '#domain/tickets/ticket';

/** A ticket as the store keeps it: ACME's, High, open, opened at `openedAt`, with 4 business hours to its deadline unless told otherwise. */
export const storedTicket = (openedAt: number, facts: Partial<Ticket> = {}): Ticket => ({
  id: 'ACME-1',
  customerId: 'ACME',
  title: 'x',
  description: 'x',
  category: 'other',
  priority: 'high',
  status: 'open',
  openedAt,
  openedBy: 'u',
  firstResponseDueAt: openedAt + 4 * 3_600_000,
  updatedAt: openedAt,
  version: 1,
  ...facts,
});
