import type { BusinessCalendar } from '../calendar/business-calendar';
import { warningAt, type WarningShares } from '../sla/sla-timers';
import type { Actor } from '../actor';
import { type Comment, type SlaStatus, slaOf, type Ticket, ticketActions, type TicketEvent } from './ticket';
import { type ResolutionTargets, resolutionOf } from './resolution';

/** The deployment's settings a view reads: the warning shares, and the resolution targets. */
export type ViewSettings = WarningShares & { readonly resolutionTargets?: ResolutionTargets };

/** Who owns a ticket, by subject and the name the viewer reads (never an address to a customer); null: no one. */
export type Owner = { readonly subject: string; readonly name: string } | null;

/**
 * A ticket as `viewer` is shown it: instants in ISO 8601 with the calendar's
 * offset; its SLA now, with the instant its warning goes out under the
 * deployment's shares (null once answered or closed); its owner, named; and
 * what the viewer may do to it now. No reader works any of these out again.
 */
export function ticketView(ticket: Ticket, now: number, calendar: BusinessCalendar, viewer: Pick<Actor, 'role'>, settings: ViewSettings = {}, assignee: Owner = null) {
  const iso = (t: number) => calendar.iso(t);
  const nullableIso = (t: number | undefined) => (t === undefined ? null : iso(t));
  return {
    id: ticket.id,
    customerId: ticket.customerId,
    title: ticket.title,
    description: ticket.description,
    category: ticket.category,
    priority: ticket.priority,
    ...(ticket.impact ? { impact: ticket.impact } : {}),
    status: ticket.status,
    hypercare: ticket.hypercare === true,
    assignee,
    openedAt: iso(ticket.openedAt),
    firstResponseDueAt: iso(ticket.firstResponseDueAt),
    firstRespondedAt: nullableIso(ticket.firstRespondedAt),
    breachedAt: nullableIso(ticket.breachedAt),
    updatedAt: iso(ticket.updatedAt),
    version: ticket.version,
    sla: { ...slaView(slaOf(ticket, now, calendar)), warnAt: nullableIso(warningAt(ticket, calendar, settings)) },
    resolution: resolutionView(ticket, now, calendar, viewer, settings.resolutionTargets),
    actions: ticketActions(ticket, viewer, now),
  };
}

/**
 * Resolution in whole business minutes. The targets are the provider's own
 * standard, not the contract's promise: a customer reads when and how long,
 * never the target, the verdict or "resolve by".
 */
function resolutionView(ticket: Ticket, now: number, calendar: BusinessCalendar, viewer: Pick<Actor, 'role'>, targets?: ResolutionTargets) {
  const r = resolutionOf(ticket, now, calendar, targets);
  const provider = viewer.role !== 'customer';
  return {
    resolvedAt: r.resolvedAt === undefined ? null : calendar.iso(r.resolvedAt),
    businessMinutes: r.businessMinutes === undefined ? null : Math.floor(r.businessMinutes),
    targetMinutes: provider ? r.targetMinutes : null,
    resolveBy: provider ? calendar.iso(r.resolveBy) : null,
    withinTarget: provider ? (r.withinTarget ?? null) : null,
  };
}

/** People read whole minutes: those fully used, and those left until the deadline. */
function slaView(sla: SlaStatus): SlaStatus {
  const usedMinutes = Math.floor(sla.usedMinutes);
  return { ...sla, usedMinutes, leftMinutes: Math.max(0, sla.targetMinutes - usedMinutes) };
}
export type TicketView = ReturnType<typeof ticketView>;

export function eventView(event: TicketEvent, calendar: BusinessCalendar) {
  const changes = Object.fromEntries(Object.entries(event.changes).map(([field, change]) => [field, field.endsWith('At') ? mapInstants(change, (t) => calendar.iso(t)) : change]));
  return { at: calendar.iso(event.at), type: event.type, actor: { subject: event.actor.subject, role: event.actor.role }, changes };
}

export function commentView(comment: Comment, calendar: BusinessCalendar) {
  return {
    id: comment.id,
    body: comment.body,
    visibility: comment.visibility,
    author: { subject: comment.author.subject, role: comment.author.role },
    createdAt: calendar.iso(comment.createdAt),
  };
}

function mapInstants(change: { from?: unknown; to: unknown }, iso: (t: number) => string) {
  const convert = (v: unknown) => (typeof v === 'number' ? iso(v) : v);
  return { ...(change.from === undefined ? {} : { from: convert(change.from) }), to: convert(change.to) };
}
