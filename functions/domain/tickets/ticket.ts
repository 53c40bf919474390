import type { Actor } from '../actor';
import { authorize, isDesk, may } from '../policy';
import type { BusinessCalendar, Instant } from '../calendar/business-calendar';
import { IllegalTransitionError, SlaSettledError } from '../errors';
import { firstResponseDueAt, firstResponseMinutes, type Impact, isLate, type Priority } from '../sla/sla-policy';
import { STATUS_NAMES } from '../wording';
import { waitingAfter } from './resolution';

/** The contract's 2nd-level support areas, plus `other`. */
export const CATEGORIES = ['configuration', 'synchronization', 'data-validation', 'business-rules', 'salesforce-extension', 'other'] as const;
export type TicketCategory = (typeof CATEGORIES)[number];

export const STATUSES = ['open', 'in_progress', 'waiting_on_customer', 'resolved', 'closed'] as const;
export type TicketStatus = (typeof STATUSES)[number];

/** Where a ticket may go next. `resolved → in_progress` is the reopen. */
export const TRANSITIONS: Readonly<Record<TicketStatus, readonly TicketStatus[]>> = {
  open: ['in_progress', 'waiting_on_customer', 'resolved', 'closed'],
  in_progress: ['waiting_on_customer', 'resolved', 'closed'],
  waiting_on_customer: ['in_progress', 'resolved', 'closed'],
  resolved: ['closed', 'in_progress'],
  closed: [],
};

export interface Ticket {
  readonly id: string;
  readonly customerId: string;
  readonly title: string;
  readonly description: string;
  readonly category: TicketCategory;
  readonly priority: Priority;
  readonly impact?: Impact;
  readonly status: TicketStatus;
  readonly openedAt: Instant;
  readonly openedBy: string;
  readonly firstResponseDueAt: Instant;
  readonly firstRespondedAt?: Instant;
  /** When the breach was recorded (and its alerts queued), once. */
  readonly breachedAt?: Instant;
  /** When the pre-breach warning was queued, once. */
  readonly warningSentAt?: Instant;
  /** When the ticket was closed; an unanswered ticket's clock stops there. */
  readonly closedAt?: Instant;
  /** When it was last resolved; a reopen clears it (see resolution.ts). */
  readonly resolvedAt?: Instant;
  /** Business milliseconds of the waits on the customer that have ended: left out of the resolution time. */
  readonly waitedMs?: number;
  /** When the current wait on the customer began; absent while there is none. */
  readonly waitingSince?: Instant;
  /** Opened while its customer was in hypercare: heightened support for its whole life. */
  readonly hypercare?: true;
  /** The provider person who owns it (an agent or admin), by subject; absent while no one does. */
  readonly assignee?: string;
  readonly updatedAt: Instant;
  /** Bumped by every change; guards read-modify-write against lost updates. */
  readonly version: number;
}

export interface TicketEvent {
  readonly ticketId: string;
  readonly at: Instant;
  readonly actor: Actor;
  readonly type: 'ticket.opened' | 'ticket.updated' | 'ticket.assigned' | 'comment.added' | 'ticket.first-response' | 'sla.warning' | 'sla.breached';
  readonly changes: Readonly<Record<string, { readonly from?: unknown; readonly to: unknown }>>;
}

export interface Comment {
  readonly ticketId: string;
  readonly id: string;
  readonly body: string;
  readonly visibility: 'public' | 'internal';
  readonly author: Actor;
  readonly createdAt: Instant;
}

export interface NewTicket {
  readonly title: string;
  readonly description: string;
  readonly category: TicketCategory;
  readonly priority: Priority;
  readonly impact?: Impact;
}

/** A ticket as opened, before the store gives it its id. */
export function openTicket(id: string, customerId: string, input: NewTicket, actor: Actor, now: Instant, calendar: BusinessCalendar, hypercare = false): Ticket {
  return {
    id,
    customerId,
    ...input,
    ...(hypercare ? { hypercare: true as const } : {}),
    status: 'open',
    openedAt: now,
    openedBy: actor.subject,
    firstResponseDueAt: firstResponseDueAt(now, input.priority, calendar),
    updatedAt: now,
    version: 1,
  };
}

/** The audit event that records a ticket's opening. */
export function openedEvent(ticket: Ticket, actor: Actor): TicketEvent {
  return {
    ticketId: ticket.id,
    at: ticket.openedAt,
    actor,
    type: 'ticket.opened',
    changes: {
      status: { to: ticket.status },
      priority: { to: ticket.priority },
      category: { to: ticket.category },
      title: { to: ticket.title },
      firstResponseDueAt: { to: ticket.firstResponseDueAt },
    },
  };
}

export interface TicketChange {
  readonly title?: string;
  readonly category?: TicketCategory;
  readonly priority?: Priority;
  readonly status?: TicketStatus;
}

const statusWord = (status: TicketStatus) => STATUS_NAMES[status].toLowerCase();

/** Why a status cannot be set, and where the ticket can go instead: "a ticket that is in progress cannot be set to open; it can go to waiting on customer, resolved or closed". */
function transitionRefusal(from: TicketStatus, to: TicketStatus): string {
  const next = TRANSITIONS[from].map(statusWord);
  if (next.length === 0) return `this ticket is ${statusWord(from)}; its status no longer changes`;
  const choices = next.length === 1 ? next[0] : `${next.slice(0, -1).join(', ')} or ${next.at(-1)}`;
  return `a ticket that is ${statusWord(from)} cannot be set to ${statusWord(to)}; it can go to ${choices}`;
}

/**
 * An agent's change to a ticket. A new priority moves the first-response
 * deadline, always counted from the original opening. Once the outcome is
 * settled (first response given, breach recorded, the deadline passed, or the
 * ticket closed, or closing in this very change) it stands, and the priority with it.
 */
export function changeTicket(ticket: Ticket, change: TicketChange, actor: Actor, now: Instant, calendar: BusinessCalendar): { ticket: Ticket; event: TicketEvent } {
  authorize(actor, 'ticket.work');
  const changes: Record<string, { from?: unknown; to: unknown }> = {};
  let next: Ticket = ticket;
  if (change.status !== undefined && change.status !== ticket.status) {
    if (!TRANSITIONS[ticket.status].includes(change.status)) throw new IllegalTransitionError(ticket.status, change.status, transitionRefusal(ticket.status, change.status));
    changes.status = { from: ticket.status, to: change.status };
    // The resolution's bookkeeping rides in the same conditional write: the last resolution counts, and a reopen clears it.
    const { resolvedAt, waitedMs: _waited, waitingSince: _since, ...rest } = next;
    const resolved = change.status === 'resolved' ? now : change.status === 'in_progress' ? undefined : resolvedAt;
    next = {
      ...rest,
      status: change.status,
      ...(change.status === 'closed' ? { closedAt: now } : {}),
      ...(resolved === undefined ? {} : { resolvedAt: resolved }),
      ...waitingAfter(ticket, change.status, now, calendar),
    };
    if (resolved !== resolvedAt) changes.resolvedAt = { ...(resolvedAt === undefined ? {} : { from: resolvedAt }), to: resolved ?? null };
  }
  if (change.priority !== undefined && change.priority !== ticket.priority) {
    const settled = prioritySettled(next, now);
    if (settled) throw new SlaSettledError(ticket.id, settled === 'answered' ? undefined : settled);
    const due = firstResponseDueAt(ticket.openedAt, change.priority, calendar);
    changes.priority = { from: ticket.priority, to: change.priority };
    changes.firstResponseDueAt = { from: ticket.firstResponseDueAt, to: due };
    next = { ...next, priority: change.priority, firstResponseDueAt: due };
  }
  for (const field of ['title', 'category'] as const) {
    if (change[field] !== undefined && change[field] !== ticket[field]) {
      changes[field] = { from: ticket[field], to: change[field] };
      next = { ...next, [field]: change[field] };
    }
  }
  next = { ...next, updatedAt: now, version: ticket.version + 1 };
  return { ticket: next, event: { ticketId: ticket.id, at: now, actor, type: 'ticket.updated', changes } };
}

/**
 * Why a ticket's priority can no longer change, if it cannot: its
 * first-response outcome is settled (answered, breached, past the deadline)
 * or it is closed. The priority stands with the outcome.
 */
function prioritySettled(ticket: Ticket, now: Instant): 'answered' | 'is past its first-response deadline' | 'is closed, or closing in this change' | undefined {
  if (ticket.firstRespondedAt !== undefined || ticket.breachedAt !== undefined) return 'answered';
  if (isLate(now, ticket.firstResponseDueAt)) return 'is past its first-response deadline';
  if (ticket.status === 'closed') return 'is closed, or closing in this change';
  return undefined;
}

/** What a caller may do to a ticket, as the API offers it: comment, write an internal note, edit its title and category, set its priority, assign it, or move it to a status. */
export const TICKET_ACTIONS = ['comment', 'comment-internal', 'edit', 'set-priority', 'assign', ...STATUSES.map((status) => `set-status:${status}` as const)] as const;
export type TicketAction = (typeof TICKET_ACTIONS)[number];

/** The actions the actor has on the ticket now: the console offers these and nothing else, since each would succeed. */
export function ticketActions(ticket: Ticket, actor: Pick<Actor, 'role'>, now: Instant): TicketAction[] {
  const actions: TicketAction[] = [];
  if (takesComments(ticket) && may(actor, 'ticket.comment')) actions.push('comment');
  if (!may(actor, 'ticket.work')) return actions;
  if (takesComments(ticket)) actions.push('comment-internal');
  actions.push('edit');
  if (!prioritySettled(ticket, now)) actions.push('set-priority');
  if (may(actor, 'ticket.assign')) actions.push('assign');
  for (const status of TRANSITIONS[ticket.status]) actions.push(`set-status:${status}`);
  return actions;
}

/** A closed ticket is the end of the conversation: it takes no comments. */
export function takesComments(ticket: Ticket): boolean {
  return ticket.status !== 'closed';
}

/** Is this comment the ticket's first response? The first public comment by the provider is. */
export function isFirstResponse(ticket: Ticket, comment: Pick<Comment, 'visibility' | 'author'>): boolean {
  return ticket.firstRespondedAt === undefined && comment.visibility === 'public' && isDesk(comment.author);
}

export const SLA_STATES = ['running', 'met', 'breached'] as const;
export type SlaState = (typeof SLA_STATES)[number];

export interface SlaStatus {
  readonly state: SlaState;
  readonly targetMinutes: number;
  /** Business minutes used so far (until the first response, once given). */
  readonly usedMinutes: number;
  readonly leftMinutes: number;
}

/**
 * The first-response SLA of a ticket as seen at `now`. The clock stops at the
 * first response, or at closing for a ticket closed unanswered. A recorded
 * breach stands: its alerts went out.
 */
export function slaOf(ticket: Ticket, now: Instant, calendar: BusinessCalendar): SlaStatus {
  const targetMinutes = firstResponseMinutes(ticket.priority);
  const stoppedAt = ticket.firstRespondedAt ?? Math.min(Math.max(now, ticket.openedAt), ticket.closedAt ?? Number.POSITIVE_INFINITY);
  const usedMinutes = calendar.businessTimeBetween(ticket.openedAt, stoppedAt) / 60_000;
  // The deadline instant itself is already late: the timer fires then, and a reply then races it.
  const late = ticket.breachedAt !== undefined || isLate(stoppedAt, ticket.firstResponseDueAt);
  // Answered in time, or closed unanswered before the deadline: the promise was kept.
  const state: SlaState = late ? 'breached' : ticket.firstRespondedAt !== undefined || ticket.closedAt !== undefined ? 'met' : 'running';
  return { state, targetMinutes, usedMinutes, leftMinutes: Math.max(0, targetMinutes - usedMinutes) };
}

/**
 * Is the ticket's first-response outcome still to be recorded? Until a breach
 * is recorded, or the clock stopped (first response, or closing) before the
 * deadline. A clock stopped late still awaits its breach.
 */
export function awaitsSlaOutcome(ticket: Ticket): boolean {
  if (ticket.breachedAt !== undefined) return false;
  const stoppedAt = ticket.firstRespondedAt ?? ticket.closedAt;
  return stoppedAt === undefined || isLate(stoppedAt, ticket.firstResponseDueAt);
}
