import { authorize } from '../policy';
import { DateTime } from 'luxon';
import type { BusinessCalendar, Instant } from '../calendar/business-calendar';
import { contactsFor, type CustomerProfile } from '../customers/customer';
import { InvalidInputError } from '../errors';
import type { AlertMessage } from '../notifications/alerts';
import { writeLetter } from '../notifications/message-text';
import { counted, periodText, timeText } from '../wording';
import type { Actor } from '../actor';
import type { IdempotencyClaim } from '../idempotency';
import type { ServiceWindow } from './availability';

/** A window as recorded: who entered it, when, and how much notice customers were given. */
export interface ScheduledWindow extends ServiceWindow {
  readonly id: string;
  readonly createdAt: Instant;
  readonly createdBy: string;
  /** Minutes between the notice and the window's start; 0 for a retroactive window. */
  readonly noticeMinutes: number;
  /** Set once cancelled (before it started). */
  readonly cancelledAt?: Instant;
  readonly retroactive: boolean;
}

export const MAX_WINDOW_MS = 7 * 24 * 3_600_000;

class InvalidWindowError extends InvalidInputError {
  readonly type = 'invalid-service-window';
}

/** Notices still to be written for a window: its announcement, or its cancellation. */
export type FanOut = 'announced' | 'cancelled';

export interface ServiceWindowStore {
  /**
   * Records the window and its notices (the outbox), claiming the
   * Idempotency-Key with it. Notices past one transaction follow; until they
   * are all written the window is marked as a pending fan-out.
   */
  createWindow(window: ScheduledWindow, notices: readonly AlertMessage[], idempotency?: IdempotencyClaim): Promise<'created' | 'idempotency-key-taken'>;
  /** Windows overlapping [from, to), cancelled ones left out. */
  windowsOverlapping(from: Instant, to: Instant): Promise<ScheduledWindow[]>;
  getWindow(id: string): Promise<ScheduledWindow | undefined>;
  /** Cancels a window that has not started yet, marking its cancellation notices as pending, in one write. */
  cancelWindow(id: string, now: Instant): Promise<'cancelled' | 'started' | 'not-found'>;
  /** The customers a window's announcement was sent to, and to whom. */
  toldCustomers(windowId: string): Promise<{ customerId: string; recipients: readonly string[] }[]>;
  /** Windows whose notices are not all written yet, oldest first. */
  pendingFanOuts(limit: number): Promise<{ window: ScheduledWindow; fanOut: FanOut }[]>;
  /** Writes notices not written yet (each once), then clears the pending mark. */
  completeFanOut(window: ScheduledWindow, fanOut: FanOut, notices: readonly AlertMessage[], at: Instant): Promise<void>;
}

/**
 * An extraordinary service window, as the contract allows it "if deemed
 * necessary to ensure the security or stability". Entered after its start it
 * is retroactive: only an admin may do that, and every figure shows it.
 */
export function scheduleWindow(input: { start: Instant; end: Instant; reason: string; targets?: readonly string[] }, actor: Actor, now: Instant, id: string): ScheduledWindow {
  authorize(actor, 'service-window.announce');
  if (!(input.end > input.start)) throw new InvalidWindowError('a service window must end after it starts');
  if (input.end - input.start > MAX_WINDOW_MS) throw new InvalidWindowError('a service window may last at most 7 days');
  // Announced at most a year ahead, entered at most a year after: anything else is a typo.
  if (Math.abs(input.start - now) > 366 * 86_400_000) throw new InvalidWindowError('a service window must start within a year of now');
  const retroactive = input.start < now;
  if (retroactive) authorize(actor, 'service-window.announce-retroactive');
  return {
    id,
    start: input.start,
    end: input.end,
    reason: input.reason,
    ...(input.targets?.length ? { targets: input.targets } : {}),
    retroactive,
    createdAt: now,
    createdBy: actor.subject,
    noticeMinutes: retroactive ? 0 : Math.floor((input.start - now) / 60_000),
  };
}

/** The notice given, in words: "7 days 3 hours", "45 minutes". */
function noticeText(minutes: number): string {
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const rest = minutes % 60;
  return [days && counted(days, 'day'), hours && counted(hours, 'hour'), (rest || (!days && !hours)) && counted(rest, 'minute')].filter(Boolean).join(' ');
}

const affected = (window: ServiceWindow) => (window.targets?.length ? window.targets.join(', ') : 'all services');

/** The cancellation, to every customer the announcement reached, and one SNS message. */
export function cancellationNotices(window: ScheduledWindow, told: readonly { customerId: string; recipients: readonly string[] }[], calendar: BusinessCalendar, consoleUrl?: string): AlertMessage[] {
  const local = (t: Instant) => DateTime.fromMillis(t, { zone: calendar.timeZone });
  const subject = `[Service window cancelled] ${local(window.start).toFormat('d LLL HH:mm')} (Copenhagen): ${window.reason}`.slice(0, 200);
  const letter = writeLetter(
    {
      subject,
      action: `Nothing to do: the service window of ${periodText(window.start, window.end, calendar.timeZone)} (Copenhagen time) will not take place, and ${affected(window)} run as usual.`,
      link: { text: 'See availability', route: '#/availability' },
      facts: [
        ['Reason it was planned', window.reason],
        ['Would have affected', affected(window)],
      ],
    },
    consoleUrl,
  );
  const base = { kind: 'service-window-cancelled' as const, about: { type: 'service-window' as const, id: window.id }, hypercare: false, subject, body: letter.body };
  return [
    ...told.map(
      (c): AlertMessage => ({ ...base, id: `${window.id}:service-window-cancelled:email:${c.customerId}`, channel: 'email', customerId: c.customerId, html: letter.html, recipients: c.recipients }),
    ),
    { ...base, id: `${window.id}:service-window-cancelled:sns`, channel: 'sns' },
  ];
}

/** The notice to every customer with alert contacts (one email each, so no one sees another's contacts), and one SNS message. */
export function windowNotices(window: ScheduledWindow, customers: readonly CustomerProfile[], calendar: BusinessCalendar, consoleUrl?: string): AlertMessage[] {
  const local = (t: Instant) => DateTime.fromMillis(t, { zone: calendar.timeZone });
  const sameDay = local(window.start).hasSame(local(window.end), 'day');
  const span = `${local(window.start).toFormat('d LLL HH:mm')}–${local(window.end).toFormat(sameDay ? 'HH:mm' : 'd LLL HH:mm')}`;
  const subject = `[Service window] ${span} (Copenhagen): ${window.reason}`.slice(0, 200);
  const letter = writeLetter(
    {
      subject,
      action: window.retroactive
        ? `Nothing to do: ${affected(window)} had a service window ${periodText(window.start, window.end, calendar.timeZone)} (Copenhagen time), entered after it started.`
        : `Plan around this: ${affected(window)} may be unavailable ${periodText(window.start, window.end, calendar.timeZone)} (Copenhagen time).`,
      link: { text: 'See availability', route: '#/availability' },
      facts: [
        ['Starts', timeText(window.start, calendar.timeZone)],
        ['Ends', timeText(window.end, calendar.timeZone)],
        ['Reason', window.reason],
        ['Affects', affected(window)],
        window.retroactive ? ['Entered', 'after it started (retroactive): it is flagged in every availability figure'] : ['Notice given', noticeText(window.noticeMinutes)],
      ],
      closing: ['Extraordinary service windows are excluded from the availability measurement, as the support agreement provides.'],
    },
    consoleUrl,
  );
  const base = { kind: 'service-window' as const, about: { type: 'service-window' as const, id: window.id }, hypercare: false, subject, body: letter.body };
  // SNS first: it always goes in the announcing transaction, so it never hears of a cancellation alone.
  return [
    { ...base, id: `${window.id}:service-window:sns`, channel: 'sns' },
    ...customers
      .map((c) => ({ customerId: c.customerId, recipients: contactsFor(c, 'notices') }))
      .filter((c) => c.recipients.length > 0)
      .map((c): AlertMessage => ({ ...base, id: `${window.id}:service-window:email:${c.customerId}`, channel: 'email', customerId: c.customerId, html: letter.html, recipients: c.recipients })),
  ];
}

/** A window as the API shows it: instants in ISO 8601 with the calendar's offset. */
export function serviceWindowView(window: ScheduledWindow, calendar: BusinessCalendar) {
  return {
    id: window.id,
    start: calendar.iso(window.start),
    end: calendar.iso(window.end),
    reason: window.reason,
    targets: window.targets ?? null,
    retroactive: window.retroactive,
    noticeMinutes: window.noticeMinutes,
    createdAt: calendar.iso(window.createdAt),
    createdBy: window.createdBy,
  };
}
