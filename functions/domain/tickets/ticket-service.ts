import type { ResolutionTargets } from './resolution';
import { randomUUID } from 'node:crypto';
import { contactsFor, type CustomerProfile } from '../customers/customer';
import { idempotencyScope, idempotent, type IdempotencyStore, KEY_TAKEN } from '../idempotency';
import type { BusinessCalendar, Instant } from '../calendar/business-calendar';
import { ConflictError, ForbiddenError, NotFoundError, ServiceUnavailableError, VersionConflictError } from '../errors';
import { firstResponseDueAt, isLate, type Priority } from '../sla/sla-policy';
import type { Actor } from '../actor';
import { authorize, isDesk, may, POLICY } from '../policy';
import {
  type Comment,
  changeTicket,
  openedEvent,
  isFirstResponse,
  type NewTicket,
  type SlaState,
  takesComments,
  openTicket,
  type Ticket,
  type TicketChange,
  type TicketEvent,
  type TicketStatus,
} from './ticket';
import type { Page, TicketStore } from './ticket-store';
import type { ArmedTimers, SlaTimerService } from '../sla/sla-timer-service';
import { commentView, eventView, type Owner, type TicketView, ticketView } from './ticket-view';
import { assignedEvent, assignTicket, checkAssignable, ownerByFirstResponse, tellsAssignee } from './assignment';
import { displayName, namesOf, type Person, type PersonStore } from '../people/people';
import { assignmentNotice } from '../notifications/assignment';
import type { AlertMessage, ConsoleUrl } from '../notifications/alerts';
import { isToldStatus, isUrgent, ticketCustomerReply, ticketReceived, ticketReply, ticketStatus, ticketUrgent, uniqueAddresses } from '../notifications/ticket-mail';
import { INTEGRATION_SUBJECT, isSystem } from '../actor';

/** A customer's profile with people's records, in one consistent read: what a ticket's emails are addressed from. */
export interface AudienceStore {
  customerAndPeople(customerId: string, subjects: readonly string[]): Promise<{ profile: CustomerProfile | undefined; people: ReadonlyMap<string, Person> }>;
}

export interface TicketServiceDeps {
  readonly store: TicketStore;
  /** Whether a customer is in hypercare when it opens a ticket, its contacts, and the people involved. */
  readonly customers: AudienceStore;
  readonly idempotency: IdempotencyStore;
  readonly calendar: BusinessCalendar;
  readonly now: () => number;
  readonly timers: SlaTimerService;
  /** Whether the customer is in hypercare at an instant: a ticket opened then is heightened for life (the hypercare rules decide; tickets only ask). */
  readonly inHypercare: (profile: CustomerProfile | undefined, at: Instant) => boolean;
  /** The deployment's warning shares, for the warning instant every ticket shows. */
  readonly warningShare?: number;
  readonly hypercareWarningShare?: number;
  /** The stage's resolution targets per priority, for "resolve by" (the contract's defaults without them). */
  readonly resolutionTargets?: ResolutionTargets;
  /** Told when timer work after a committed change fails (the sweep still records breaches). */
  readonly onTimerFailure?: (error: unknown) => void;
  /** People's records: who may own a ticket, their names and addresses. */
  readonly people: Pick<PersonStore, 'people'>;
  /** Where the console is, for the link in a ticket's emails. */
  readonly consoleUrl?: ConsoleUrl;
  /** The provider's on-call list: told of urgent tickets, and of customers' replies on tickets no one owns. */
  readonly onCall?: readonly string[];
}

/** What a PATCH asks: the agent's change, and who owns the ticket now (`null`: no one). */
export type TicketUpdate = TicketChange & { readonly assignee?: string | null };

/** Whose tickets to list: the caller's own (`me`), no one's (`none`), or a person's, by subject. */
export type AssigneeFilter = 'me' | 'none' | (string & {});

/** The ticket use cases. Each loads through the store, decides in the domain, and writes conditionally. */
export class TicketService {
  constructor(private readonly deps: TicketServiceDeps) {}

  /**
   * Open a ticket for the caller's customer.
   * 1. A known Idempotency-Key replays its first answer (or is refused if the body differs).
   * 2. Take the customer's next ticket number.
   * 3. Write ticket, audit event and idempotency record in one transaction.
   * 4. If a concurrent request with the same key won, replay its answer.
   * 5. Schedule the SLA timers before writing and check any already due after;
   *    a replay arms them again, which is harmless, so a retry with the same
   *    key mends anything a crash left.
   * `askImpact`: the ticket came by email without a stated impact; its received email asks who is affected.
   */
  async create(actor: Actor, input: NewTicket, idempotencyKey?: string, options: { readonly askImpact?: boolean } = {}): Promise<{ view: TicketView; replayed: boolean }> {
    const customerId = customerOf(actor);
    return idempotent<{ view: TicketView; replayed: boolean }>({
      answers: this.deps.idempotency,
      scope: customerId,
      key: idempotencyKey,
      request: input,
      replay: async (known) => {
        const ticket = await this.deps.store.get(known.resourceId);
        if (ticket) await this.armTimers(ticket);
        return { view: JSON.parse(known.response) as TicketView, replayed: true };
      },
      run: async (claim) => {
        const now = this.deps.now();
        // The deadline first: an instant the calendar cannot answer for must not burn a ticket number.
        firstResponseDueAt(now, input.priority, this.deps.calendar);
        const [number, { profile, records }] = await Promise.all([this.deps.store.nextTicketNumber(customerId), this.audience(customerId, [actor.subject])]);
        const ticket = openTicket(`${customerId}-${number}`, customerId, input, actor, now, this.deps.calendar, this.deps.inHypercare(profile, now));
        const view = ticketView(ticket, now, this.deps.calendar, actor, this.deps, null);
        // Timers before the ticket: if they cannot be set, nothing is written and a retry is safe;
        // if the write then fails, the timers find no ticket and do nothing.
        const armed = await this.prepareTimers(ticket, 'nothing was saved; retry with the same Idempotency-Key');
        // Told once, with the ticket: the requester and contacts that it was received, on-call when it is urgent.
        const messages = [...ticketReceived(this.mail(ticket, this.involved(ticket, records, profile)), options), ...(isUrgent(ticket) ? ticketUrgent(this.mail(ticket, this.deps.onCall ?? [])) : [])];
        const outcome = await this.deps.store.create(ticket, openedEvent(ticket, actor), claim(ticket.id, view), messages);
        if (outcome !== 'created') return KEY_TAKEN;
        await this.afterCommit(() => this.deps.timers.checkDue(armed));
        return { view, replayed: false };
      },
    });
  }

  /** A ticket the caller may see; anyone else's is simply not found. */
  async get(actor: Actor, id: string): Promise<Ticket> {
    const ticket = await this.deps.store.get(id);
    if (!ticket || !maySee(actor, ticket)) throw new NotFoundError(`ticket ${id} not found`);
    return ticket;
  }

  async view(actor: Actor, id: string): Promise<TicketView> {
    return (await this.views([await this.get(actor, id)], this.deps.now(), actor))[0]!;
  }

  /** Tickets as the viewer is shown them, their owners named from one read of their records. */
  private async views(tickets: readonly Ticket[], now: number, viewer: Actor): Promise<TicketView[]> {
    const owners = tickets.flatMap((t) => (t.assignee === undefined ? [] : [t.assignee]));
    const name = owners.length ? await namesOf(this.deps.people, owners, viewer) : undefined;
    const owner = (t: Ticket): Owner => (t.assignee === undefined ? null : { subject: t.assignee, name: name!(t.assignee) });
    return tickets.map((t) => ticketView(t, now, this.deps.calendar, viewer, this.deps, owner(t)));
  }

  async list(
    actor: Actor,
    filter: {
      status?: readonly TicketStatus[];
      priority?: Priority;
      customerId?: string;
      sla?: SlaState;
      title?: string;
      answered?: 'yes' | 'no';
      assignee?: AssigneeFilter;
      sort?: 'opened' | 'due';
      limit: number;
      cursor?: string;
    },
  ): Promise<Page<TicketView>> {
    // Customers see their own tickets; the provider (agents, admins, finance) sees all and may filter.
    if (actor.role === 'customer' && filter.customerId !== undefined) throw new ForbiddenError('only the provider may filter by customer');
    if (filter.assignee !== undefined) authorize(actor, 'ticket.read-assignee');
    const customerId = actor.role === 'customer' ? customerOf(actor) : filter.customerId;
    const { sort, answered, assignee, ...query } = filter;
    const now = this.deps.now();
    const page = await this.deps.store.list({
      ...query,
      customerId,
      now,
      ...(sort === 'due' ? { byDue: true } : {}),
      ...(answered ? { answered: answered === 'yes' } : {}),
      ...(assignee === undefined ? {} : { assignee: assignee === 'none' ? null : assignee === 'me' ? actor.subject : assignee }),
    });
    return { items: await this.views(page.items, now, actor), nextCursor: page.nextCursor };
  }

  /**
   * An agent's change, applied only to the version the agent saw (If-Match) or
   * read. A new owner must be an agent or admin the desk knows; they are
   * emailed, in the same write, unless they took the ticket themselves.
   */
  async update(actor: Actor, id: string, update: TicketUpdate, ifMatch?: number): Promise<TicketView> {
    // Without If-Match the caller asked for no version: a write by the desk's own timers meanwhile (a breach) is read
    // again and the change applied to it; with it, the version they read is the one changed or refused.
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.updateOnce(actor, id, update, ifMatch);
      } catch (error) {
        if (!(error instanceof VersionConflictError) || ifMatch !== undefined || attempt >= 3) throw error;
      }
    }
  }

  private async updateOnce(actor: Actor, id: string, update: TicketUpdate, ifMatch?: number): Promise<TicketView> {
    authorize(actor, 'ticket.work');
    const { assignee, ...change } = update;
    if (assignee !== undefined) authorize(actor, 'ticket.assign');
    const current = await this.get(actor, id);
    const expected = ifMatch ?? current.version;
    if (expected !== current.version) throw new VersionConflictError(expected, current.version);
    // The requester is told of some statuses: their record and the customer's contacts, read with the new owner's and the assigner's.
    const tells = change.status !== undefined && change.status !== current.status && isToldStatus(change.status);
    const subjects = [...(assignee ? [assignee, actor.subject] : []), ...(tells ? [current.openedBy] : [])];
    const { records, profile } = tells ? await this.audience(current.customerId, subjects) : { records: await this.records(subjects), profile: undefined };
    const owner = assignee ? records.get(assignee) : undefined;
    if (assignee) checkAssignable(owner);
    const now = this.deps.now();
    const changed = changeTicket(current, change, actor, now, this.deps.calendar);
    const assigned = assignee === undefined ? undefined : assignTicket(changed.ticket, assignee, actor, now);
    const events = [changed.event, assigned?.event].filter((e): e is TicketEvent => e !== undefined && Object.keys(e.changes).length > 0);
    // Nothing changes (a retried PATCH, say): answer with the ticket as it is, and write nothing;
    // a retried close gives its items their expiry again (the same values), should the first have stopped short.
    if (events.length === 0) {
      if (change.status === 'closed' && current.status === 'closed') await this.expireClosed(current);
      return (await this.views([current], now, actor))[0]!;
    }
    const ticket = assigned?.ticket ?? changed.ticket;
    const messages: AlertMessage[] = [
      ...(assigned && owner && tellsAssignee(assignee ?? null, actor)
        ? // Named as a customer would read them: by name or role, since an email shows no one's address.
          assignmentNotice(ticket, owner, displayName(records.get(actor.subject), actor.role, { role: 'customer' }), this.deps.calendar.timeZone, this.deps.consoleUrl?.())
        : []),
      ...(tells && changed.event.changes.status ? ticketStatus(this.mail(ticket, this.involved(ticket, records, profile))) : []),
    ];
    const waiting = ticket.firstRespondedAt === undefined;
    // A new deadline is armed before it is committed, as at creation; the old timers go after.
    // (The domain refuses a priority change on a ticket that is closing, closed, or past its deadline.)
    const event = changed.event;
    const armed = waiting && event.changes.priority !== undefined ? await this.prepareTimers(ticket, 'nothing was changed; retry') : undefined;
    await this.deps.store.update(ticket, expected, events, messages);
    // Closing an unanswered ticket ends its watch; closed at or after its deadline, it was breached first.
    if (waiting && event.changes.status?.to === 'closed') await this.settleTimers(ticket, now);
    if (event.changes.status?.to === 'closed') await this.expireClosed(ticket);
    if (armed) {
      await this.afterCommit(() => this.deps.timers.checkDue(armed));
      // A timer left behind fires, finds the deadline moved and does nothing: failing to delete it is harmless.
      await this.afterCommit(() => this.deps.timers.disarm(current));
    }
    return (await this.views([ticket], now, actor))[0]!;
  }

  /**
   * A comment; the provider's first public one is the first response and settles
   * the SLA. With an Idempotency-Key, a retry replays the first answer.
   */
  async comment(actor: Actor, id: string, input: { body: string; visibility: Comment['visibility'] }, idempotencyKey?: string) {
    authorize(actor, 'ticket.comment');
    if (input.visibility === 'internal') authorize(actor, 'ticket.work');
    type Answer = ReturnType<typeof commentView> & { firstResponse: boolean; replayed: boolean };
    return idempotent<Answer>({
      answers: this.deps.idempotency,
      scope: idempotencyScope(actor),
      key: idempotencyKey,
      request: { ticket: id, ...input },
      replay: (known) => ({ ...(JSON.parse(known.response) as Omit<Answer, 'replayed'>), replayed: true }),
      run: async (claim) => {
        const ticket = await this.get(actor, id);
        if (!takesComments(ticket)) throw new ConflictError(`ticket ${id} is closed`);
        const now = this.deps.now();
        const comment: Comment = { ticketId: id, id: randomUUID(), body: input.body, visibility: input.visibility, author: actor, createdAt: now };
        const answer = (firstResponse: boolean) => ({ ...commentView(comment, this.deps.calendar), firstResponse });
        const added: TicketEvent = { ticketId: id, at: now, actor, type: 'comment.added', changes: { comment: { to: { id: comment.id, visibility: comment.visibility } } } };
        const messages = await this.commentMail(ticket, comment);
        let firstResponse = isFirstResponse(ticket, comment);
        let outcome: Awaited<ReturnType<TicketStore['addComment']>> | undefined;
        if (firstResponse) {
          const responded: TicketEvent = { ticketId: id, at: now, actor, type: 'ticket.first-response', changes: { firstRespondedAt: { to: now } } };
          // The first to answer owns the ticket, if no one does: no email, they took it themselves.
          const owner = ownerByFirstResponse(ticket, actor);
          const response = { at: now, dueAt: ticket.firstResponseDueAt, ...(owner ? { owner: { subject: owner, event: assignedEvent(ticket, owner, actor, now) } } : {}) };
          outcome = await this.deps.store.addComment(comment, [added, responded], response, claim(comment.id, answer(true)), messages);
          // Someone else answered first in the meantime: this is then an ordinary comment.
          if (outcome === 'already-responded') firstResponse = false;
        }
        if (!firstResponse) outcome = await this.deps.store.addComment(comment, [added], undefined, claim(comment.id, answer(false)), messages);
        if (outcome === KEY_TAKEN) return KEY_TAKEN;
        // Closed, or gone, since it was read: the store reports it, the rule decides.
        if (outcome === 'no-such-ticket') throw new NotFoundError(`ticket ${id} not found`);
        if (outcome === 'closed') throw new ConflictError(`ticket ${id} is closed`);
        if (firstResponse) await this.settleTimers(ticket, now);
        return { ...answer(firstResponse), replayed: false };
      },
    });
  }

  /**
   * What a comment tells, queued with it: the desk's public reply goes to the
   * requester and the contacts; a customer's to the owner, or on-call while
   * no one owns the ticket. An internal note tells no one.
   */
  private async commentMail(ticket: Ticket, comment: Comment): Promise<AlertMessage[]> {
    if (comment.visibility === 'internal') return [];
    const author = comment.author;
    if (isDesk(author)) {
      const { records, profile } = await this.audience(ticket.customerId, [author.subject, ticket.openedBy]);
      return ticketReply(this.mail(ticket, this.involved(ticket, records, profile)), comment, displayName(records.get(author.subject), author.role, { role: 'customer' }));
    }
    const records = await this.records([author.subject, ...(ticket.assignee ? [ticket.assignee] : [])]);
    const owner = ticket.assignee ? records.get(ticket.assignee)?.email : undefined;
    // Named as a customer reads a colleague: the desk's email shows no one's address.
    return ticketCustomerReply(this.mail(ticket, owner ? [owner] : (this.deps.onCall ?? [])), comment, displayName(records.get(author.subject), author.role, { role: 'customer' }));
  }

  /** People's records, in one read. */
  private records(subjects: readonly string[]): Promise<ReadonlyMap<string, Person>> {
    const people = withRecords(subjects);
    return people.length ? this.deps.people.people(people) : Promise.resolve(new Map());
  }

  /** The customer's profile and people's records together: one request where there were two. */
  private async audience(customerId: string, subjects: readonly string[]): Promise<{ profile: CustomerProfile | undefined; records: ReadonlyMap<string, Person> }> {
    const { profile, people } = await this.deps.customers.customerAndPeople(customerId, withRecords(subjects));
    return { profile, records: people };
  }

  /** Who hears of a ticket's life: its requester (the opener's address on record) and the customer's `tickets` contacts. */
  private involved(ticket: Ticket, records: ReadonlyMap<string, Person>, profile: CustomerProfile | undefined): string[] {
    return uniqueAddresses([records.get(ticket.openedBy)?.email, ...contactsFor(profile, 'tickets')]);
  }

  private mail(ticket: Ticket, recipients: readonly string[]) {
    return { ticket, recipients, timeZone: this.deps.calendar.timeZone, consoleUrl: this.deps.consoleUrl?.() };
  }

  private armTimers(ticket: Ticket): Promise<void> {
    return orRefuse(ticket, 'the ticket is saved; retry with the same Idempotency-Key', () => this.deps.timers.arm(ticket));
  }

  private prepareTimers(ticket: Ticket, then: string): Promise<ArmedTimers> {
    return orRefuse(ticket, then, () => this.deps.timers.prepare(ticket));
  }

  /**
   * Work on timers after the change is committed: it must not turn an
   * acknowledged change into an error (a retry would repeat it). A breach this
   * misses is recorded by the sweep; the failure is reported.
   */
  private async afterCommit(work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      this.deps.onTimerFailure?.(error);
    }
  }

  /**
   * A closed ticket's earlier items get its expiry once the close is committed
   * (the ticket's own came with it). A failure is reported, not answered: the
   * close stands, and retrying it sets the rest.
   */
  private expireClosed(ticket: Ticket): Promise<void> {
    return this.afterCommit(() => this.deps.store.expireClosed(ticket));
  }

  /**
   * After the first response, or closing unanswered: at or past the deadline it is
   * a breach, recorded now (at most once, however it races the timer); then the
   * timers have nothing left to watch.
   */
  private async settleTimers(ticket: Ticket, settledAt: number): Promise<void> {
    if (isLate(settledAt, ticket.firstResponseDueAt) && ticket.breachedAt === undefined) {
      // Should this fail, the ticket is still among the running ones, and the sweep records the breach.
      await this.afterCommit(async () => {
        await this.deps.timers.fire({ ticketId: ticket.id, customerId: ticket.customerId, kind: 'breach', dueAt: new Date(ticket.firstResponseDueAt).toISOString() });
      });
    }
    // A timer left behind would fire, find the answer and do nothing: failing to delete it is harmless.
    await this.afterCommit(() => this.deps.timers.disarm(ticket));
  }

  async events(actor: Actor, id: string, limit: number, cursor?: string) {
    await this.get(actor, id);
    // Customers do not learn that internal notes exist; their pages still come back full.
    const page = await this.deps.store.listEvents(id, limit, cursor, { publicOnly: !may(actor, 'ticket.work') });
    return { items: page.items.map((e) => eventView(e, this.deps.calendar)), nextCursor: page.nextCursor };
  }

  async comments(actor: Actor, id: string, limit: number, cursor?: string) {
    await this.get(actor, id);
    const page = await this.deps.store.listComments(id, { publicOnly: !may(actor, 'ticket.work'), limit, ...(cursor ? { cursor } : {}) });
    return { items: page.items.map((c) => commentView(c, this.deps.calendar)), nextCursor: page.nextCursor };
  }
}

/** Timers that cannot be armed would leave a promise unwatched: refuse rather than acknowledge. */
async function orRefuse<T>(ticket: Ticket, then: string, arm: () => Promise<T>): Promise<T> {
  try {
    return await arm();
  } catch {
    throw new ServiceUnavailableError(`the SLA timers of ticket ${ticket.id} could not be set: ${then}`);
  }
}

/** The subjects that have a person's record: integrations and the desk's own acts have none. */
const withRecords = (subjects: readonly string[]) => subjects.filter((subject) => !isSystem({ subject }) && !subject.startsWith(INTEGRATION_SUBJECT));

function customerOf(actor: Actor): string {
  authorize(actor, 'ticket.open');
  if (!actor.customerId) throw new ForbiddenError(POLICY['ticket.open'].refused);
  return actor.customerId;
}

/** Tenant isolation: customers see their own tickets; agents, admins and finance see all. */
function maySee(actor: Actor, ticket: Ticket): boolean {
  return actor.role === 'customer' ? actor.customerId === ticket.customerId : true;
}
