import type { BusinessCalendar, Instant } from '../calendar/business-calendar';
import { UnknownImpactError, UnknownPriorityError } from '../errors';

export const PRIORITIES = ['highest', 'high', 'medium', 'low', 'lowest'] as const;
export type Priority = (typeof PRIORITIES)[number];

/** First-response targets in business hours, from the contract's incident table. */
export const FIRST_RESPONSE_HOURS: Readonly<Record<Priority, number>> = {
  highest: 1,
  high: 4,
  medium: 8,
  low: 12,
  lowest: 16,
};

export const IMPACTS = ['all-users-data-loss-risk', 'some-users-data-loss-risk', 'some-users-no-data-loss', 'single-user', 'inquiry'] as const;
export type Impact = (typeof IMPACTS)[number];

/** The contract's "definition of usage" for each priority, as data. */
export const DEFINITIONS_OF_USAGE: Readonly<Record<Impact, { readonly priority: Priority; readonly definition: string }>> = {
  'all-users-data-loss-risk': { priority: 'highest', definition: 'All users affected – risk of data loss' },
  'some-users-data-loss-risk': { priority: 'high', definition: 'Some users affected – risk of data loss' },
  'some-users-no-data-loss': { priority: 'medium', definition: 'Some users affected – no data loss' },
  'single-user': { priority: 'low', definition: 'Single user affected' },
  inquiry: { priority: 'lowest', definition: 'Inquiry' },
};

const MINUTE = 60_000;

export function parsePriority(value: unknown): Priority {
  if (typeof value === 'string' && (PRIORITIES as readonly string[]).includes(value)) return value as Priority;
  throw new UnknownPriorityError(value);
}

export function priorityForImpact(impact: unknown): Priority {
  if (typeof impact === 'string' && Object.hasOwn(DEFINITIONS_OF_USAGE, impact)) return DEFINITIONS_OF_USAGE[impact as Impact].priority;
  throw new UnknownImpactError(impact);
}

/** The first-response target of a priority, in business minutes. */
export function firstResponseMinutes(priority: Priority): number {
  const hours = FIRST_RESPONSE_HOURS[priority];
  if (hours === undefined) throw new UnknownPriorityError(priority);
  return hours * 60;
}

/** When the first response to a ticket opened at `openedAt` is due. */
export function firstResponseDueAt(openedAt: Instant, priority: Priority, calendar: BusinessCalendar): Instant {
  return calendar.addBusinessTime(openedAt, firstResponseMinutes(priority) * MINUTE);
}

/** The contract's one test of lateness: a first response at or after its deadline is late. */
export function isLate(at: Instant, dueAt: Instant): boolean {
  return at >= dueAt;
}

/**
 * The contract's "priority issue resolution" in hypercare: a Highest or High
 * ticket opened during it is warned earlier and escalated further.
 */
export function heightened(ticket: { readonly hypercare?: boolean; readonly priority: Priority }): boolean {
  return ticket.hypercare === true && (ticket.priority === 'highest' || ticket.priority === 'high');
}
