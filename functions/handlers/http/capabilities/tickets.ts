import { capabilityHandler } from '../capability';
import { handler as createTicket } from '../create-ticket';
import { handler as listTickets } from '../list-tickets';
import { handler as getTicket } from '../get-ticket';
import { handler as updateTicket } from '../update-ticket';
import { handler as addComment } from '../add-comment';
import { handler as listComments } from '../list-comments';
import { handler as listTicketEvents } from '../list-ticket-events';
import { handler as listPeople } from '../list-people';
import { handler as createAttachment } from '../create-attachment';
import { handler as listAttachments } from '../list-attachments';
import { handler as getAttachment } from '../get-attachment';

/** Tickets: opening, reading, working and assigning them, their thread, attachments and audit trail, and who may own them. */
export const handler = capabilityHandler('tickets', [
  createTicket,
  listTickets,
  getTicket,
  updateTicket,
  addComment,
  listComments,
  listTicketEvents,
  listPeople,
  createAttachment,
  listAttachments,
  getAttachment,
]);
