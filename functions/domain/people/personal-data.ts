import type { Actor } from '../actor';
import type { Instant } from '../calendar/business-calendar';
import type { ConsultancyEvent } from '../consultancy/consultancy-store';
import type { BillableEntry } from '../consultancy/statement';
import type { CustomerEvent, CustomerStore } from '../customers/customer';
import { NotFoundError } from '../errors';
import type { AlertMessage } from '../notifications/alerts';
import { authorize } from '../policy';
import type { Attachment } from '../tickets/attachments';
import type { Comment, TicketEvent } from '../tickets/ticket';
import type { Person, PersonStore } from './people';

/** One thing a person did, as the store keeps it. */
export type PersonalAct =
  | { readonly kind: 'ticket-event'; readonly event: TicketEvent }
  | { readonly kind: 'comment'; readonly comment: Comment }
  | { readonly kind: 'attachment'; readonly attachment: Attachment }
  | { readonly kind: 'customer-event'; readonly event: CustomerEvent }
  | { readonly kind: 'consultancy-event'; readonly event: ConsultancyEvent }
  | { readonly kind: 'time-entry'; readonly entry: BillableEntry };

/** What was done with a person's data: who asked, when and why; never the person's own data. */
export interface PersonDataEvent {
  readonly subject: string;
  readonly type: 'person.exported' | 'person.erased';
  readonly at: Instant;
  readonly by: string;
  readonly reason: string;
}

/** The port for finding a person's data without a scan. */
export interface PersonalDataStore {
  /** Everything the person did, oldest first (the acts index). */
  acts(subject: string): Promise<readonly PersonalAct[]>;
  /** A ticket's emails, as the outbox keeps them. */
  ticketMail(ticketId: string): Promise<readonly { readonly message: AlertMessage; readonly createdAt: Instant; readonly sentAt?: Instant }[]>;
  record(event: PersonDataEvent, unique: string): Promise<void>;
}

export interface PersonalDataDeps {
  readonly people: Pick<PersonStore, 'people'>;
  readonly customers: Pick<CustomerStore, 'getCustomer'>;
  readonly personalData: PersonalDataStore;
  readonly now: () => number;
}

const iso = (at: Instant | undefined) => (at === undefined ? undefined : new Date(at).toISOString());

/**
 * A person's data as one document (GDPR Articles 15 and 20): their record and
 * customer, what they opened, wrote, attached, approved, logged and signed
 * off, and the emails to them that are still kept. Asking is itself recorded.
 */
export class PersonalDataService {
  constructor(private readonly deps: PersonalDataDeps) {}

  private async person(subject: string): Promise<Person> {
    const person = (await this.deps.people.people([subject])).get(subject);
    if (!person) throw new NotFoundError(`no person ${subject} is known`);
    return person;
  }

  async export(actor: Actor, subject: string, reason: string) {
    authorize(actor, 'person.data');
    const person = await this.person(subject);
    const at = this.deps.now();
    await this.deps.personalData.record({ subject, type: 'person.exported', at, by: actor.subject, reason }, `${at}-${actor.subject}`);
    const [acts, profile] = await Promise.all([this.deps.personalData.acts(subject), person.customerId ? this.deps.customers.getCustomer(person.customerId) : undefined]);
    const contact = person.email ? profile?.contacts.find((c) => c.email.toLowerCase() === person.email) : undefined;
    const of = <K extends PersonalAct['kind']>(kind: K) => acts.filter((a): a is Extract<PersonalAct, { kind: K }> => a.kind === kind);
    const ticketEvents = of('ticket-event').map((a) => a.event);
    // The emails kept of every ticket they took part in, addressed to them.
    const tickets = [...new Set([...ticketEvents.map((e) => e.ticketId), ...of('comment').map((a) => a.comment.ticketId)])];
    const mail = person.email ? (await Promise.all(tickets.map((id) => this.deps.personalData.ticketMail(id)))).flat().filter((m) => m.message.recipients?.includes(person.email!)) : [];
    return {
      exportedAt: iso(at),
      exportedBy: actor.subject,
      person: {
        subject,
        role: person.role,
        ...(person.name ? { name: person.name } : {}),
        ...(person.email ? { email: person.email } : {}),
        ...(person.customerId ? { customerId: person.customerId } : {}),
      },
      customer: profile
        ? { customerId: profile.customerId, name: profile.name, ...(contact ? { contact: { email: contact.email, ...(contact.name ? { name: contact.name } : {}), receives: contact.receives } } : {}) }
        : null,
      ticketsOpened: ticketEvents.filter((e) => e.type === 'ticket.opened').map((e) => ({ ticketId: e.ticketId, at: iso(e.at), ...e.changes })),
      comments: of('comment').map(({ comment: c }) => ({ ticketId: c.ticketId, id: c.id, body: c.body, visibility: c.visibility, createdAt: iso(c.createdAt) })),
      attachments: of('attachment').map(({ attachment: a }) => ({
        ticketId: a.ticketId,
        id: a.id,
        filename: a.filename,
        contentType: a.contentType,
        size: a.size,
        status: a.status,
        createdAt: iso(a.createdAt),
        link: `/tickets/${a.ticketId}/attachments/${a.id}`,
      })),
      ticketEvents: ticketEvents.map((e) => ({ ticketId: e.ticketId, type: e.type, at: iso(e.at), changes: e.changes })),
      consultancy: {
        decisions: of('consultancy-event').map(({ event: e }) => ({ requestId: e.requestId, type: e.type, at: iso(e.at), ...(e.details ? { details: e.details } : {}) })),
        timeEntries: of('time-entry').map(({ entry: e }) => ({ requestId: e.requestId, id: e.id, date: e.date, quarters: e.quarters, note: e.note, loggedAt: iso(e.logged.at) })),
      },
      customerEvents: of('customer-event').map(({ event: e }) => ({ customerId: e.customerId, type: e.type, at: iso(e.at), ...(e.details ? { details: e.details } : {}) })),
      emails: mail.map((m) => ({
        id: m.message.id,
        kind: m.message.kind,
        subject: m.message.subject,
        body: m.message.body,
        queuedAt: iso(m.createdAt),
        ...(m.sentAt !== undefined ? { sentAt: iso(m.sentAt) } : {}),
      })),
    };
  }
}
