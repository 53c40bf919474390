import { DateTime } from 'luxon';
import type { CallerRole } from './actor';
import type { ContactPurpose } from './customers/customer';
import { CONSULTANCY_SERVICES, type ConsultancyService, type ConsultancyStatus } from './consultancy/consultancy';
import { CONTRACT_ZONE } from './contract';
import type { Priority } from './sla/sla-policy';
import type { SlaState, TicketCategory, TicketStatus } from './tickets/ticket';
import type { HypercareState } from './hypercare/hypercare';
import { BUSINESS_DAY_MINUTES } from './tickets/resolution';

/**
 * What people read instead of the API's values: one home for the names of
 * priorities, statuses, categories, roles and services, and for how a time or a
 * duration is written. The console, every email, the report page and its CSVs
 * use these, so a ticket is "Highest" and "Waiting on customer" everywhere.
 */

export const PRIORITY_NAMES: Readonly<Record<Priority, string>> = { highest: 'Highest', high: 'High', medium: 'Medium', low: 'Low', lowest: 'Lowest' };

export const STATUS_NAMES: Readonly<Record<TicketStatus, string>> = {
  open: 'Open',
  in_progress: 'In progress',
  waiting_on_customer: 'Waiting on customer',
  resolved: 'Resolved',
  closed: 'Closed',
};

export const CATEGORY_NAMES: Readonly<Record<TicketCategory, string>> = {
  configuration: 'Configuration',
  synchronization: 'Synchronization',
  'data-validation': 'Data validation',
  'business-rules': 'Business rules',
  'salesforce-extension': 'Salesforce extension',
  other: 'Other',
};

export const SLA_STATE_NAMES: Readonly<Record<SlaState, string>> = { running: 'Running', met: 'Met', breached: 'Breached' };

export const ROLE_NAMES: Readonly<Record<CallerRole, string>> = { customer: 'Customer', agent: 'Support agent', finance: 'Finance', admin: 'Administrator' };

/** Who acted when the desk itself did (the SLA timers, the monthly schedule, hypercare's conclusion). */
export const SYSTEM_NAME = 'sla-desk';

/** Who acted when neither a person record nor the act says more: an act that kept only the person's id. */
export const UNKNOWN_PERSON = 'Unknown person';
/** Whoever was erased at their request: their acts stay, their name does not. */
export const FORMER_USER = 'Former user';

export const CONSULTANCY_STATUS_NAMES: Readonly<Record<ConsultancyStatus, string>> = {
  proposed: 'Waiting for approval',
  approved: 'Approved',
  rejected: 'Rejected',
  completed: 'Completed',
  cancelled: 'Cancelled',
};

export const HYPERCARE_STATUS_NAMES: Readonly<Record<HypercareState['status'], string>> = { 'not-started': 'Not started', active: 'Active', concluded: 'Concluded' };

/** The contract's conditions for concluding hypercare. */
export const HYPERCARE_CRITERION_NAMES: Readonly<Record<keyof HypercareState['criteria'], string>> = {
  operationalTwoWeeks: 'Two weeks in operation',
  customerSignoff: "The customer's sign-off",
  providerSignoff: "The provider's sign-off",
  transition: 'Transition to standard support',
};

export const serviceName = (service: ConsultancyService): string => CONSULTANCY_SERVICES[service];

const local = (instant: number | string, zone: string) => DateTime.fromMillis(typeof instant === 'string' ? Date.parse(instant) : instant, { zone, locale: 'en-GB' });

/** An instant as people write it, in Copenhagen time: "Wed 2 Dec 2026, 10:02" (no seconds). */
export const timeText = (instant: number | string, zone: string = CONTRACT_ZONE): string => local(instant, zone).toFormat('ccc d LLL yyyy, HH:mm');

/** From one instant to another: "Thu 10 Dec 2026, 18:00 to 20:00", the end's date only when it is another day. */
export function periodText(start: number, end: number, zone: string = CONTRACT_ZONE): string {
  const sameDay = local(start, zone).hasSame(local(end, zone), 'day');
  return `${timeText(start, zone)} to ${sameDay ? local(end, zone).toFormat('HH:mm') : timeText(end, zone)}`;
}

/** A day as people write it: "Wed 2 Dec 2026". */
export const dateText = (instant: number | string, zone: string = CONTRACT_ZONE): string => local(instant, zone).toFormat('ccc d LLL yyyy');

/** A month as people write it: "December 2026", from "2026-12". */
export const monthText = (month: string): string => DateTime.fromFormat(month, 'yyyy-MM', { zone: CONTRACT_ZONE, locale: 'en-GB' }).toFormat('LLLL yyyy');

/** "1 minute", "5 minutes": a count and its unit, singular where it is one. */
export const counted = (n: number, unit: string, plural = `${unit}s`): string => `${n} ${n === 1 ? unit : plural}`;

/** A file's size as people read it, in decimal units as the 25 MB limit is: "512 bytes", "48 KB", "2.4 MB". */
export function sizeText(bytes: number): string {
  if (bytes < 1000) return counted(bytes, 'byte');
  if (bytes < 999_500) return `${Math.round(bytes / 1000)} KB`;
  return `${(bytes / 1_000_000).toFixed(1).replace(/\.0$/, '')} MB`;
}

/** Whole minutes in words: "5 minutes", "1 hour", "2 hours 5 minutes" (never "0 minutes" after hours). */
export function minutesText(minutes: number): string {
  const whole = Math.round(minutes);
  const [hours, rest] = [Math.floor(whole / 60), whole % 60];
  if (!hours) return counted(rest, 'minute');
  return rest ? `${counted(hours, 'hour')} ${counted(rest, 'minute')}` : counted(hours, 'hour');
}

/**
 * A resolution as people read it: "Resolved in 3 hours 10 minutes of business time, within the 1-day target"
 * (the target and its verdict only for the provider's readers).
 */
export function resolutionText(businessMinutes: number, target?: { readonly minutes: number; readonly within: boolean }): string {
  const time = businessMinutes === 0 ? 'Resolved with no business time spent' : `Resolved in ${minutesText(businessMinutes)} of business time`;
  return target ? `${time}, ${target.within ? 'within' : 'over'} the ${target.minutes / BUSINESS_DAY_MINUTES}-day target` : time;
}

/** Hours of work in words: "1 hour", "2.5 hours", "8 hours". */
export const hoursText = (hours: number): string => counted(hours, 'hour');

/** An amount in major units as people read it: "1,250.00 DKK" from "1250.00". */
export function moneyText(amount: string, currency: string): string {
  const [whole = '0', fraction] = amount.replace(/^-/, '').split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${amount.startsWith('-') ? '-' : ''}${grouped}${fraction === undefined ? '' : `.${fraction}`} ${currency}`;
}

/** What each contact purpose sends, as the admin choosing it reads it. */
export const CONTACT_PURPOSE_NAMES: Readonly<Record<ContactPurpose, string>> = {
  alerts: 'SLA alerts',
  notices: 'Service window notices',
  approvals: 'Consultancy approvals',
  reports: 'Monthly reports',
  updates: 'Hypercare updates',
  tickets: 'Ticket updates',
};

/** The first line of a ticket opened by a reply to a closed one: "Follows up ACME-12, which is closed." */
export const followUpText = (ticketId: string): string => `Follows up ${ticketId}, which is closed.`;
