import type { Comment, Ticket } from '../tickets/ticket';
import { DEFINITIONS_OF_USAGE } from '../sla/sla-policy';
import { CATEGORY_NAMES, PRIORITY_NAMES, STATUS_NAMES, timeText } from '../wording';
import type { AlertMessage, TicketMailKind } from './alerts';
import { type Letter, paragraphs, writeLetter } from './message-text';

/**
 * The emails of a ticket's life to the people involved: the requester and the
 * customer's `tickets` contacts hear that it was received, each public reply
 * of the desk, and its status; the desk hears of an urgent ticket and of each
 * reply by the customer. Each id names its occasion (the ticket, the comment,
 * the version), so it is queued with the change that occasions it, and sent, once.
 */
interface Mail {
  readonly ticket: Ticket;
  readonly recipients: readonly string[];
  readonly timeZone: string;
  readonly consoleUrl: string | undefined;
}

/** Addresses once each, whatever their case; none at all means no message. */
export function uniqueAddresses(addresses: readonly (string | undefined)[]): string[] {
  const seen = new Map<string, string>();
  for (const address of addresses) if (address && !seen.has(address.toLowerCase())) seen.set(address.toLowerCase(), address);
  return [...seen.values()];
}

function message(kind: TicketMailKind, occasion: string, { ticket, recipients, consoleUrl }: Mail, letter: Letter): AlertMessage[] {
  if (recipients.length === 0) return [];
  const text = writeLetter(letter, consoleUrl);
  return [
    {
      id: `${ticket.id}:${occasion}:${kind}:email`,
      channel: 'email',
      kind,
      about: { type: 'ticket', id: ticket.id },
      customerId: ticket.customerId,
      priority: ticket.priority,
      hypercare: ticket.hypercare === true,
      subject: text.subject,
      body: text.body,
      html: text.html,
      recipients: [...recipients],
    },
  ];
}

const link = (ticket: Ticket) => ({ text: 'Open the ticket', route: `#/tickets/${ticket.id}` });
/** A comment's text in paragraphs, as its author wrote them. */
/**
 * `ticket-received`: the ticket's id, priority and the promised first response.
 * `askImpact`: the ticket came by email without a stated impact, so it asks who is affected.
 */
export function ticketReceived(mail: Mail, options: { askImpact?: boolean } = {}): AlertMessage[] {
  const { ticket, timeZone } = mail;
  const due = timeText(ticket.firstResponseDueAt, timeZone);
  return message('ticket-received', 'received', mail, {
    subject: `[${ticket.id}] We received your ticket: ${ticket.title}`,
    action: `We will respond by ${due}. Your ticket is ${ticket.id}, priority ${PRIORITY_NAMES[ticket.priority]}.`,
    link: link(ticket),
    facts: [
      ['Ticket', `${ticket.id}: ${ticket.title}`],
      ['Priority', PRIORITY_NAMES[ticket.priority]],
      ['Opened', timeText(ticket.openedAt, timeZone)],
      ['First response by', due],
    ],
    closing: [
      ...(options.askImpact
        ? [
            `Please tell us who is affected, by replying to this email: ${Object.values(DEFINITIONS_OF_USAGE)
              .map((d) => d.definition.replace(' – ', ', ').toLowerCase())
              .join('; ')}. We set the priority by it.`,
          ]
        : []),
      'To add anything, reply to this email or write on the ticket.',
    ],
  });
}

/** `ticket-reply`: the desk's public comment, to the requester and the contacts. `by` is its author as a customer reads them. */
export function ticketReply(mail: Mail, comment: Pick<Comment, 'id' | 'body'>, by: string): AlertMessage[] {
  const { ticket } = mail;
  return message('ticket-reply', `comment-${comment.id}`, mail, {
    subject: `[${ticket.id}] New reply: ${ticket.title}`,
    action: `${by} answered on ticket ${ticket.id}. Reply to this email or on the ticket to answer.`,
    link: link(ticket),
    quoted: { title: `${by} wrote`, paragraphs: paragraphs(comment.body) },
    facts: [
      ['Ticket', `${ticket.id}: ${ticket.title}`],
      ['Status', STATUS_NAMES[ticket.status]],
    ],
  });
}

/** The statuses the requester is told of. */
const TOLD = {
  waiting_on_customer: (id: string) => ({
    subject: 'We need your answer',
    action: `We are waiting for your answer on ticket ${id}: reply to this email or on the ticket, and we go on.`,
  }),
  resolved: (id: string) => ({
    subject: 'Resolved',
    action: `Ticket ${id} is resolved. If the problem is still there, reply to reopen it.`,
  }),
  closed: (id: string) => ({
    subject: 'Closed',
    action: `Ticket ${id} is closed: nothing more is needed from you. A reply to this email opens a new ticket that follows it up.`,
  }),
} as const;

/** Whether a status is one the requester is told of. */
export const isToldStatus = (status: Ticket['status']): status is keyof typeof TOLD => Object.hasOwn(TOLD, status);

/** `ticket-status`: waiting on the customer, resolved, or closed; `ticket` as changed, its version naming the occasion. */
export function ticketStatus(mail: Mail): AlertMessage[] {
  const { ticket } = mail;
  if (!isToldStatus(ticket.status)) return [];
  const told = TOLD[ticket.status](ticket.id);
  return message('ticket-status', `status-v${ticket.version}`, mail, {
    subject: `[${ticket.id}] ${told.subject}: ${ticket.title}`,
    action: told.action,
    link: link(ticket),
    facts: [
      ['Ticket', `${ticket.id}: ${ticket.title}`],
      ['Status', STATUS_NAMES[ticket.status]],
      ['Priority', PRIORITY_NAMES[ticket.priority]],
    ],
  });
}

/** Priorities that tell on-call the moment the ticket is opened, rather than at the 75% warning. */
export const isUrgent = (ticket: Pick<Ticket, 'priority'>): boolean => ticket.priority === 'highest' || ticket.priority === 'high';

/** `ticket-urgent`: a new Highest or High ticket, to on-call at once. */
export function ticketUrgent(mail: Mail): AlertMessage[] {
  const { ticket, timeZone } = mail;
  if (!isUrgent(ticket)) return [];
  const priority = PRIORITY_NAMES[ticket.priority];
  const due = timeText(ticket.firstResponseDueAt, timeZone);
  return message('ticket-urgent', 'opened', mail, {
    subject: `[Urgent] ${ticket.id} ${priority}: ${ticket.title}`,
    action: `Answer ${ticket.id} before ${due}: a ${priority} ticket just came in.`,
    link: link(ticket),
    facts: [
      ['Ticket', `${ticket.id}: ${ticket.title}`],
      ['Customer', ticket.customerId],
      ['Priority', priority],
      ...(ticket.impact ? [['Impact', DEFINITIONS_OF_USAGE[ticket.impact].definition] as const] : []),
      ['Category', CATEGORY_NAMES[ticket.category]],
      ['Opened', timeText(ticket.openedAt, timeZone)],
      ['First response due', due],
      ...(ticket.hypercare ? [['Hypercare', 'Yes: opened while the customer is in hypercare'] as const] : []),
    ],
  });
}

/** `ticket-customer-reply`: the customer's comment, to the ticket's owner or, with none, on-call. `by` is the customer by name. */
export function ticketCustomerReply(mail: Mail, comment: Pick<Comment, 'id' | 'body'>, by: string): AlertMessage[] {
  const { ticket } = mail;
  return message('ticket-customer-reply', `comment-${comment.id}`, mail, {
    subject: `[Customer reply] ${ticket.id}: ${ticket.title}`,
    action: `${by} replied on ${ticket.id}: read it and answer.`,
    link: link(ticket),
    quoted: { title: `${by} wrote`, paragraphs: paragraphs(comment.body) },
    facts: [
      ['Ticket', `${ticket.id}: ${ticket.title}`],
      ['Customer', ticket.customerId],
      ['Priority', PRIORITY_NAMES[ticket.priority]],
      ['Status', STATUS_NAMES[ticket.status]],
    ],
  });
}
