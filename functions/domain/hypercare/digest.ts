import { DateTime } from 'luxon';
import type { AvailabilityService } from '../availability/availability-service';
import type { MonthAvailability, PeriodAvailability, ServiceWindow } from '../availability/availability';
import type { ServiceWindowStore } from '../availability/service-windows';
import type { BusinessCalendar, Instant } from '../calendar/business-calendar';
import { monthOf } from '../month';
import type { AlertOutbox } from '../notifications/alert-outbox';
import type { AlertMessage, ConsoleUrl } from '../notifications/alerts';
import { writeLetter } from '../notifications/message-text';
import { dateText, HYPERCARE_CRITERION_NAMES, HYPERCARE_STATUS_NAMES, minutesText, periodText, PRIORITY_NAMES, STATUS_NAMES, timeText } from '../wording';
import { slaOf, type Ticket } from '../tickets/ticket';
import { resolvedInstant } from '../tickets/resolution';
import type { TicketStore } from '../tickets/ticket-store';
import { contactsFor, type CustomerProfile, type CustomerStore, type WatchedCustomer } from '../customers/customer';
import { type HypercareRecord, hypercareState } from './hypercare';

/** The contract's "regular updates": every Monday (ISO weekday 1) at 08:00 local time, while hypercare runs. */
const DIGEST_AT = { weekday: 1, hour: 8, minute: 0 } as const;

/** One digest: at go-live, or a Monday's. Its id names it once and for all. */
export interface DigestOccasion {
  readonly id: string;
  readonly at: Instant;
}

/**
 * The digests due by `now`: the go-live digest (sent as soon as go-live has
 * passed, so also when the record is saved after it), and one each Monday at
 * 08:00 after go-live, up to and including the moment hypercare concludes.
 */
export function digestOccasions(record: HypercareRecord, now: Instant, timeZone: string): DigestOccasion[] {
  if (now < record.goLiveAt) return [];
  const { concludedAt } = hypercareState(record, now, timeZone);
  const until = Math.min(now, concludedAt ?? Number.POSITIVE_INFINITY);
  const occasions: DigestOccasion[] = [{ id: 'go-live', at: record.goLiveAt }];
  let monday = DateTime.fromMillis(record.goLiveAt, { zone: timeZone }).set({ hour: DIGEST_AT.hour, minute: DIGEST_AT.minute, second: 0, millisecond: 0 });
  while (monday.weekday !== DIGEST_AT.weekday || monday.toMillis() <= record.goLiveAt) monday = monday.plus({ days: 1 }).set({ hour: DIGEST_AT.hour, minute: DIGEST_AT.minute });
  for (; monday.toMillis() <= until; monday = monday.plus({ weeks: 1 })) occasions.push({ id: monday.toISODate()!, at: monday.toMillis() });
  return occasions;
}

/**
 * The digest to send now, if any: the latest occasion due since those already
 * queued. Earlier ones still unsent (a record saved with a go-live weeks back,
 * or a relay that was down) are passed over, never sent as a backlog: people
 * want this week's digest, not a pile of stale ones at once.
 */
export function digestToSend(record: HypercareRecord, now: Instant, timeZone: string, queuedThrough: Instant): DigestOccasion | undefined {
  const latest = digestOccasions(record, now, timeZone).at(-1);
  return latest && latest.at > queuedThrough ? latest : undefined;
}

/**
 * Where a digest's week starts: the same local time a calendar week before,
 * which is the previous Monday's digest, also across a change of the clocks
 * (seven days of 24 hours would leave an hour out in autumn and count one twice in spring).
 */
const digestWeekStart = (at: Instant, timeZone: string): Instant => DateTime.fromMillis(at, { zone: timeZone }).minus({ weeks: 1 }).toMillis();

/**
 * Whether an instant falls in a digest's week: from its start, included, to
 * the digest's own instant, excluded, so a ticket opened exactly at one
 * Monday's digest is counted in the next one, and only there.
 */
function inDigestWeek(t: Instant | undefined, at: Instant, timeZone: string): t is Instant {
  return t !== undefined && t >= digestWeekStart(at, timeZone) && t < at;
}

/** What a digest says of its week: tickets opened, first answered, and resolved in it (by their last resolution, or their closing if never resolved). */
export function digestWeekCounts(tickets: readonly Ticket[], at: Instant, timeZone: string): { opened: number; answered: number; resolved: number } {
  const inWeek = (t: Instant | undefined) => inDigestWeek(t, at, timeZone);
  return {
    opened: tickets.filter((t) => inWeek(t.openedAt)).length,
    answered: tickets.filter((t) => inWeek(t.firstRespondedAt)).length,
    resolved: tickets.filter((t) => inWeek(resolvedInstant(t))).length,
  };
}

/** The message id of a customer's digest, and so its outbox key: exactly one per customer and occasion. */
export const digestId = (customerId: string, occasion: string) => `${customerId}:hypercare-digest:${occasion}`;

/** Sends each customer in hypercare its digests, each exactly once, through the outbox. */
export class HypercareDigestService {
  constructor(
    private readonly deps: {
      readonly customers: CustomerStore;
      readonly store: TicketStore;
      readonly windows: ServiceWindowStore;
      readonly availability: AvailabilityService;
      readonly outbox: AlertOutbox;
      readonly calendar: BusinessCalendar;
      readonly now: () => number;
      /** Where the console is, for the digest's link. */
      readonly consoleUrl?: ConsoleUrl;
    },
  ) {}

  /**
   * Every digest now due and not yet queued, for the customers the relay
   * watches (every customer with a go-live whose hypercare is not settled);
   * returns their ids. Occasions up to the one a profile says are queued are
   * not looked at again, and how far they are queued is noted after, so a
   * round reads nothing for digests already queued.
   */
  async sendDue(customers: readonly WatchedCustomer[]): Promise<string[]> {
    const now = this.deps.now();
    const sent: string[] = [];
    for (const profile of customers) {
      const recipients = contactsFor(profile, 'updates');
      if (!profile.hypercare || recipients.length === 0) continue;
      const occasion = digestToSend(profile.hypercare, now, this.deps.calendar.timeZone, profile.digestsQueuedThrough);
      if (!occasion) continue;
      const id = digestId(profile.customerId, occasion.id);
      if (!(await this.deps.outbox.isQueued({ id, about: { type: 'customer', id: profile.customerId } }))) {
        await this.deps.outbox.enqueue([await this.digest(profile, occasion, recipients)], now);
        sent.push(id);
      }
      await this.deps.customers.noteDigestsQueued(profile, occasion.at);
    }
    return sent;
  }

  private async digest(profile: CustomerProfile, occasion: DigestOccasion, recipients: readonly string[]): Promise<AlertMessage> {
    const { calendar, availability } = this.deps;
    const at = occasion.at;
    const weekStart = digestWeekStart(at, calendar.timeZone);
    const tickets = (await this.deps.store.list({ customerId: profile.customerId, limit: 100, now: at })).items.filter((t) => t.openedAt < at);
    const figures = await Promise.all(
      availability.targets().map(async (target) => {
        const [week, month] = await Promise.all([availability.period(target, weekStart, at), availability.month(target, monthOf(at, calendar.timeZone), at)]);
        return { target, week, month };
      }),
    );
    const windows = (await this.deps.windows.windowsOverlapping(at, at + 14 * 86_400_000)).filter((w) => w.start >= at);
    return digestMessage({ profile, occasion, recipients, tickets, figures, windows, calendar, consoleUrl: this.deps.consoleUrl?.() });
  }
}

/** What a digest reports of one measured target: its week, and its month to date. */
interface DigestFigure {
  readonly target: string;
  readonly week: Pick<PeriodAvailability, 'availabilityPercent' | 'incidents'>;
  readonly month: Pick<MonthAvailability, 'availabilityPercent' | 'targetPercent'>;
}

/** A customer's digest, written from what the week holds: its hypercare, tickets, availability and the service windows ahead. */
export function digestMessage(input: {
  readonly profile: CustomerProfile;
  readonly occasion: DigestOccasion;
  readonly recipients: readonly string[];
  /** The customer's tickets opened before the digest. */
  readonly tickets: readonly Ticket[];
  readonly figures: readonly DigestFigure[];
  /** Windows starting in the next two weeks. */
  readonly windows: readonly ServiceWindow[];
  readonly calendar: BusinessCalendar;
  readonly consoleUrl?: string | undefined;
}): AlertMessage {
  const { profile, occasion, calendar } = input;
  const at = occasion.at;
  const zone = calendar.timeZone;
  const when = (t: Instant) => timeText(t, zone);
  const week = digestWeekCounts(input.tickets, at, zone);
  const open = input.tickets.filter((t) => t.status !== 'resolved' && t.status !== 'closed');
  const state = hypercareState(profile.hypercare!, at, zone);
  const criteria = (Object.keys(state.criteria) as (keyof typeof state.criteria)[]).map((name) => {
    const c = state.criteria[name];
    return `${c.met ? 'Met' : 'Not yet'}: ${HYPERCARE_CRITERION_NAMES[name]}${c.at !== undefined ? ` (${when(c.at)})` : ''}`;
  });
  const firstResponse = (t: Ticket) => ({ running: `first response due ${when(t.firstResponseDueAt)}`, met: 'answered in time', breached: 'first response late' })[slaOf(t, at, calendar).state];
  const availability = input.figures.flatMap(({ target, week, month }) => [
    `${target}: this week ${percent(week)}, this month to date ${percent(month)} (target ${month.targetPercent}%)`,
    ...week.incidents.map((i) => `${target} was down from ${when(i.start)}, ${minutesText(i.minutes)}`),
  ]);
  const orNone = (lines: readonly string[]) => (lines.length ? lines : ['None']);
  const subject = `[Hypercare update] ${profile.name}: ${occasion.id === 'go-live' ? 'go-live' : `week to ${dateText(at, zone)}`}`;
  const letter = writeLetter(
    {
      subject,
      action: state.criteria.customerSignoff.met
        ? 'Nothing to do: this is how your hypercare went this week.'
        : 'Read how your hypercare went this week, and sign off in the console once you find the system stable.',
      link: { text: 'Open hypercare', route: '#/hypercare' },
      facts: [
        ['Hypercare', `${HYPERCARE_STATUS_NAMES[state.status]}${state.overdue ? ', past its planned end' : ''}`],
        ['Planned end', when(state.plannedEndAt)],
        ['This week', `${week.opened} opened, ${week.answered} answered, ${week.resolved} resolved`],
      ],
      sections: [
        { title: 'Conditions for concluding hypercare', lines: criteria },
        { title: 'Open tickets', lines: orNone(open.map((t) => `${t.id}: ${t.title} (${PRIORITY_NAMES[t.priority]}, ${STATUS_NAMES[t.status]}; ${firstResponse(t)})`)) },
        { title: 'Availability', lines: orNone(availability) },
        { title: 'Upcoming service windows', lines: orNone(input.windows.map((w) => `${periodText(w.start, w.end, zone)}: ${w.reason}`)) },
      ],
    },
    input.consoleUrl,
  );
  return {
    id: digestId(profile.customerId, occasion.id),
    channel: 'email',
    kind: 'hypercare-digest',
    about: { type: 'customer', id: profile.customerId },
    customerId: profile.customerId,
    hypercare: state.status === 'active',
    subject,
    body: letter.body,
    html: letter.html,
    recipients: [...input.recipients],
  };
}

const percent = (figure: { availabilityPercent: number | null }) => (figure.availabilityPercent === null ? 'nothing measured yet' : `${figure.availabilityPercent.toFixed(2)}%`);
