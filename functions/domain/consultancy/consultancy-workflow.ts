import { randomUUID } from 'node:crypto';
import type { Actor } from '../actor';
import { authorize } from '../policy';
import type { Instant } from '../calendar/business-calendar';
import type { CustomerStore } from '../customers/customer';
import { inHypercare } from '../hypercare/hypercare';
import { ConflictError, ForbiddenError, NotFoundError } from '../errors';
import { CONSULTANCY_ID, customerOfTicket, newConsultancyId, TICKET_ID } from '../identifiers';
import { idempotencyScope, idempotent, type IdempotencyClaim, type IdempotencyStore, KEY_TAKEN } from '../idempotency';
import type { LocalMonth } from '../month';
import type { TicketStore } from '../tickets/ticket-store';
import type { ConsoleUrl } from '../notifications/alerts';
import { approvalNotice } from './approval-notice';
import {
  type Act,
  approve,
  cancel,
  complete,
  type ConsultancyRequest,
  type ConsultancyService,
  type ConsultancyStatus,
  decideIncrease,
  InvalidConsultancyError,
  logTime,
  propose,
  reject,
  requestIncrease,
  type Side,
} from './consultancy';
import type { ConsultancyEvent, ConsultancyEventType, ConsultancyStore, ConsultancyWrite } from './consultancy-store';
import { formatAmount, type Rate } from './money';
import { type BillableEntry, type BillableTotal, monthTotals } from './statement';

/** Concurrent changes to one request (time entries racing) decide again on what won, this many times. */
const ATTEMPTS = 30;

/** The consultancy use cases: who may do what, and every change a conditional write with its audit event. */
export class ConsultancyWorkflow {
  constructor(
    private readonly deps: {
      readonly consultancy: ConsultancyStore;
      readonly customers: CustomerStore;
      readonly store: Pick<TicketStore, 'get'>;
      readonly idempotency: IdempotencyStore;
      readonly calendar: { readonly timeZone: string };
      readonly now: () => number;
      /** Where the console is, for the approval emails' links. */
      readonly consoleUrl?: ConsoleUrl;
    },
  ) {}

  /**
   * Opens a request: an agent proposes it for a customer, or a customer asks
   * for it for itself (its id from the token, never the body). The customer's
   * approvers are emailed in the same write.
   */
  propose(
    actor: Actor,
    input: { customerId?: string; service: ConsultancyService; description: string; estimateHours: number; ticketId?: string },
    idempotencyKey?: string,
  ): Promise<{ request: ConsultancyRequest; replayed: boolean }> {
    const side = sideOf(actor);
    if (side === 'customer' && input.customerId !== undefined) {
      throw new InvalidConsultancyError('a customer asks for consultancy for itself: leave customerId out, the token names the customer');
    }
    if (side === 'provider' && input.customerId === undefined) throw new InvalidConsultancyError('name the customer the consultancy is for: customerId');
    const customerId = side === 'customer' ? actor.customerId! : input.customerId!;
    return idempotent<{ request: ConsultancyRequest; replayed: boolean }>({
      answers: this.deps.idempotency,
      scope: idempotencyScope(actor),
      key: idempotencyKey,
      request: { ...input, customerId },
      replay: (known) => ({ request: JSON.parse(known.response) as ConsultancyRequest, replayed: true }),
      run: async (claim) => {
        const profile = await this.deps.customers.getCustomer(customerId);
        if (!profile && side === 'provider') throw new NotFoundError(`customer ${customerId} has no record yet: add the customer before proposing work`);
        if (input.ticketId !== undefined) await this.ticketOf(customerId, input.ticketId);
        const now = this.deps.now();
        const request = propose({
          id: newConsultancyId(randomUUID()),
          customerId,
          service: input.service,
          description: input.description,
          estimateHours: input.estimateHours,
          ...(input.ticketId !== undefined ? { ticketId: input.ticketId } : {}),
          proposed: { at: now, by: actor.subject },
        });
        const event = eventOf(
          request,
          side === 'customer' ? 'consultancy.requested' : 'consultancy.proposed',
          { at: now, by: actor.subject },
          { service: input.service, estimateHours: input.estimateHours },
        );
        const written = await this.deps.consultancy.create(request, event, {
          messages: approvalNotice(request, profile, inHypercare(profile, now, this.deps.calendar.timeZone), undefined, this.deps.consoleUrl?.()),
          ...withClaim(claim(request.id, request)),
        });
        return written ? { request, replayed: false } : KEY_TAKEN;
      },
    });
  }

  /** A request, for the provider and finance, and for its own customer; anyone else gets 404. */
  async get(actor: Actor, id: string): Promise<ConsultancyRequest> {
    const request = CONSULTANCY_ID.test(id) ? await this.deps.consultancy.get(id) : undefined;
    if (!request || (actor.role === 'customer' && actor.customerId !== request.customerId)) throw new NotFoundError(`consultancy request ${id} not found`);
    return request;
  }

  async events(actor: Actor, id: string, limit: number, cursor?: string) {
    await this.get(actor, id);
    const page = await this.deps.consultancy.listEvents(id, limit, cursor);
    return { ...page, items: page.items.map(withRateInMajorUnits) };
  }

  /** Requests, newest first: a customer sees its own, the provider and finance everyone's, filtered at will. */
  list(actor: Actor, filter: { customerId?: string; status?: ConsultancyStatus; limit: number; cursor?: string }) {
    return this.deps.consultancy.list({ ...filter, ...this.scope(actor, filter.customerId) });
  }

  /** What a month bills: its time entries, by the day the work was done, and their totals. For finance, admins, and a customer for itself. */
  async month(actor: Actor, month: LocalMonth, customerId?: string): Promise<{ entries: BillableEntry[]; totals: BillableTotal[] }> {
    authorize(actor, 'consultancy.bill');
    const scoped = this.scope(actor, customerId).customerId;
    const entries = await this.deps.consultancy.entriesInMonth(month, scoped);
    const order = (a: BillableEntry, b: BillableEntry) =>
      a.date.localeCompare(b.date) || a.customerId.localeCompare(b.customerId) || a.logged.at - b.logged.at || a.requestId.localeCompare(b.requestId) || a.id.localeCompare(b.id);
    return { entries: [...entries].sort(order), totals: monthTotals(entries) };
  }

  approve(actor: Actor, id: string): Promise<ConsultancyRequest> {
    return this.change(actor, id, 'consultancy.approved', async (request, side, act) => {
      const rate = (await this.deps.customers.getCustomer(request.customerId))?.consultancyRate;
      const approved = approve(request, side, act, rate);
      return { next: approved, details: approvalDetails(approved.approval!) };
    });
  }

  reject(actor: Actor, id: string, reason?: string): Promise<ConsultancyRequest> {
    return this.change(actor, id, 'consultancy.rejected', (request, side, act) => ({ next: reject(request, side, act, reason), details: reasonOf(reason) }));
  }

  cancel(actor: Actor, id: string, reason?: string): Promise<ConsultancyRequest> {
    return this.change(actor, id, 'consultancy.cancelled', (request, side, act) => ({ next: cancel(request, side, act, reason), details: reasonOf(reason) }));
  }

  complete(actor: Actor, id: string): Promise<ConsultancyRequest> {
    return this.change(actor, id, 'consultancy.completed', (request, side, act) => ({ next: complete(request, side, act) }));
  }

  /** An agent asks for more hours; the customer's approvers are emailed in the same write. */
  requestIncrease(actor: Actor, id: string, input: { hours: number; reason: string }, idempotencyKey?: string): Promise<{ request: ConsultancyRequest; replayed: boolean }> {
    return this.idempotentChange(actor, id, 'consultancy.increase-requested', input, idempotencyKey, async (request, side, act, claim) => {
      const next = requestIncrease(request, side, act, input.hours, input.reason);
      const increase = next.increases.at(-1)!;
      const profile = await this.deps.customers.getCustomer(request.customerId);
      const messages = approvalNotice(next, profile, inHypercare(profile, act.at, this.deps.calendar.timeZone), increase, this.deps.consoleUrl?.());
      return { next, details: { n: increase.n, hours: input.hours, reason: input.reason }, write: { messages, ...withClaim(claim(`${id}#increase-${increase.n}`, next)) } };
    });
  }

  decideIncrease(actor: Actor, id: string, n: number, approved: boolean, reason?: string): Promise<ConsultancyRequest> {
    return this.change(actor, id, approved ? 'consultancy.increase-approved' : 'consultancy.increase-rejected', (request, side, act) => ({
      next: decideIncrease(request, side, act, n, approved, reason),
      details: { n, ...reasonOf(reason) },
    }));
  }

  /** Time against approved work, never beyond the approved hours, however many agents log at once. */
  logTime(actor: Actor, id: string, input: { hours: number; date: string; note: string }, idempotencyKey?: string): Promise<{ request: ConsultancyRequest; replayed: boolean }> {
    return this.idempotentChange(actor, id, 'consultancy.time-logged', input, idempotencyKey, (current, side, act, claim) => {
      const next = logTime(current, side, { ...input, id: `T${current.entries.length + 1}` }, act, this.deps.calendar.timeZone);
      const entry = next.entries.at(-1)!;
      return { next, details: { entry: entry.id, hours: input.hours, date: input.date }, write: { entry, ...withClaim(claim(`${id}#${entry.id}`, next)) } };
    });
  }

  /** A change a client may retry: with an Idempotency-Key, the first answer is replayed and the change made once. */
  private idempotentChange(
    actor: Actor,
    id: string,
    type: ConsultancyEventType,
    input: object,
    idempotencyKey: string | undefined,
    decide: (request: ConsultancyRequest, side: Side, act: Act, claim: (resourceId: string, response: unknown) => IdempotencyClaim | undefined) => ReturnType<Decide>,
  ): Promise<{ request: ConsultancyRequest; replayed: boolean }> {
    return idempotent<{ request: ConsultancyRequest; replayed: boolean }>({
      answers: this.deps.idempotency,
      scope: idempotencyScope(actor),
      key: idempotencyKey,
      request: { type, id, ...input },
      replay: (known) => ({ request: JSON.parse(known.response) as ConsultancyRequest, replayed: true }),
      run: async (claim) => {
        const request = await this.changeOnce(actor, id, type, (current, side, act) => decide(current, side, act, claim), idempotencyKey);
        return request === KEY_TAKEN ? KEY_TAKEN : { request, replayed: false };
      },
    });
  }

  private scope(actor: Actor, customerId?: string): { customerId?: string } {
    if (actor.role !== 'customer') return customerId === undefined ? {} : { customerId };
    if (customerId !== undefined) throw new ForbiddenError('only the provider may filter by customer: a customer sees its own');
    return { customerId: actor.customerId! };
  }

  private async ticketOf(customerId: string, ticketId: string): Promise<void> {
    const ticket = TICKET_ID.test(ticketId) && customerOfTicket(ticketId) === customerId ? await this.deps.store.get(ticketId) : undefined;
    if (!ticket) throw new InvalidConsultancyError(`${ticketId} is not a ticket of ${customerId}`);
  }

  private async change(actor: Actor, id: string, type: ConsultancyEventType, decide: Decide): Promise<ConsultancyRequest> {
    return (await this.changeOnce(actor, id, type, decide)) as ConsultancyRequest;
  }

  /**
   * Read, decide, write on the version read; a lost race decides again on what
   * won, so the rules hold under any concurrency. With an Idempotency-Key, a
   * lost race may be the key's: its first answer is then replayed.
   */
  private async changeOnce(actor: Actor, id: string, type: ConsultancyEventType, decide: Decide, idempotencyKey?: string): Promise<ConsultancyRequest | typeof KEY_TAKEN> {
    const side = sideOf(actor);
    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
      const current = await this.get(actor, id);
      const act = { at: this.deps.now(), by: actor.subject };
      const { next, details, write } = await decide(current, side, act);
      if ((await this.deps.consultancy.save(next, current.version, eventOf(next, type, act, details), write)) === 'written') return next;
      if (idempotencyKey !== undefined && (await this.deps.idempotency.findIdempotentAnswer(idempotencyScope(actor), idempotencyKey))) return KEY_TAKEN;
      // Spread the retries of many writers racing for one request.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * attempt));
    }
    throw new ConflictError(`consultancy request ${id} is busy with concurrent changes; retry shortly`);
  }
}

type Decide = (
  request: ConsultancyRequest,
  side: Side,
  act: Act,
) =>
  | { next: ConsultancyRequest; details?: ConsultancyEvent['details']; write?: ConsultancyWrite }
  | Promise<{ next: ConsultancyRequest; details?: ConsultancyEvent['details']; write?: ConsultancyWrite }>;

/** Which side acts: a customer's users, or the desk for the provider; finance only reads. */
function sideOf(actor: Actor): Side {
  authorize(actor, 'consultancy.propose');
  return actor.role === 'customer' ? 'customer' : 'provider';
}

const eventOf = (request: ConsultancyRequest, type: ConsultancyEventType, act: { at: Instant; by: string }, details?: ConsultancyEvent['details']): ConsultancyEvent => ({
  requestId: request.id,
  type,
  at: act.at,
  by: act.by,
  ...(details ? { details } : {}),
});

/** An approval's event: the hours and the rate as the API shows amounts, in major units ("1250.00"). */
const approvalDetails = (approval: { readonly quarters: number; readonly rate: Rate }) => ({
  hours: approval.quarters / 4,
  hourly: formatAmount(approval.rate.hourly, approval.rate.currency),
  currency: approval.rate.currency,
});

/** Approvals recorded before their events said the rate in major units carry it in minor units (125000): read them as the rest. */
function withRateInMajorUnits(event: ConsultancyEvent): ConsultancyEvent {
  const details = event.details;
  if (event.type !== 'consultancy.approved' || typeof details?.hourly !== 'number' || typeof details.currency !== 'string') return event;
  return { ...event, details: { ...details, hourly: formatAmount(details.hourly, details.currency) } };
}

const reasonOf = (reason?: string) => (reason ? { reason } : undefined);
const withClaim = (claim: IdempotencyClaim | undefined): { claim?: IdempotencyClaim } => (claim ? { claim } : {});
