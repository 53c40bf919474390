import type { Person } from '../people/people';
import type { Ticket } from '../tickets/ticket';
import { PRIORITY_NAMES, STATUS_NAMES, timeText } from '../wording';
import type { AlertMessage } from './alerts';
import { writeLetter } from './message-text';

/**
 * The email telling a person a ticket is now theirs (kind `ticket-assigned`),
 * to the address on their record. `ticket` is the ticket as assigned: its
 * version names the occasion, so the message is queued and sent once. No
 * address on record: no email (the ticket shows in their "Mine" all the same).
 * `by` is who assigned it, by name (never an address: the message shows no one's).
 */
export function assignmentNotice(ticket: Ticket, assignee: Person, by: string, timeZone: string, consoleUrl?: string): AlertMessage[] {
  if (!assignee.email) return [];
  const priority = PRIORITY_NAMES[ticket.priority];
  const subject = `[Assigned to you] ${ticket.id} ${priority}: ${ticket.title}`;
  const letter = writeLetter(
    {
      subject,
      action: `${by} gave you ticket ${ticket.id}: it is yours to answer and see through to the end.`,
      link: { text: 'Open the ticket', route: `#/tickets/${ticket.id}` },
      facts: [
        ['Ticket', `${ticket.id}: ${ticket.title}`],
        ['Customer', ticket.customerId],
        ['Priority', priority],
        ['Status', STATUS_NAMES[ticket.status]],
        ticket.firstRespondedAt === undefined ? ['First response due', timeText(ticket.firstResponseDueAt, timeZone)] : ['First response given', timeText(ticket.firstRespondedAt, timeZone)],
      ],
    },
    consoleUrl,
  );
  return [
    {
      id: `${ticket.id}:assigned-v${ticket.version}:ticket-assigned:email`,
      channel: 'email',
      kind: 'ticket-assigned',
      about: { type: 'ticket', id: ticket.id },
      customerId: ticket.customerId,
      priority: ticket.priority,
      hypercare: ticket.hypercare === true,
      subject,
      body: letter.body,
      html: letter.html,
      recipients: [assignee.email],
    },
  ];
}
