import type { Instant } from './calendar/business-calendar';
import type { AlertMessage } from './notifications/alerts';

/**
 * How long each kind of data is kept once it is done with (docs/privacy.md):
 * a stage may set others (context `retention`, variable RETENTION). Raw
 * inbound emails (30 days), logs and reports keep their own settings.
 */
export interface Retention {
  /** A closed ticket and everything in its partition (events, comments, messages), from its closing. */
  readonly closedTickets: Period;
  /** An attachment, its record and its bytes together, from its ticket's closing. */
  readonly attachments: Period;
  /** A message the outbox delivered, from its delivery. */
  readonly deliveredOutbox: Period;
}

/** Calendar years (a year after 29 February is 1 March), or days. */
interface Period {
  readonly amount: number;
  readonly unit: 'y' | 'd';
}

type RetentionKind = keyof Retention;
const KINDS: readonly RetentionKind[] = ['closedTickets', 'attachments', 'deliveredOutbox'];

export const DEFAULT_RETENTION: Retention = {
  // The Danish Bookkeeping Act keeps billing records 5 years; a ticket's times are what the SLA was billed by.
  closedTickets: { amount: 5, unit: 'y' },
  attachments: { amount: 1, unit: 'y' },
  deliveredOutbox: { amount: 90, unit: 'd' },
};

const DAY = 86_400_000;
const PERIOD = /^([1-9]\d{0,4})([yd])$/;

/**
 * Periods as a stage writes them, `closedTickets=5y,attachments=1y,deliveredOutbox=90d`;
 * each left out keeps its default. An attachment is part of its ticket, so it
 * is never kept longer than the ticket.
 */
export function parseRetention(text: string | undefined): Retention {
  const retention: Record<RetentionKind, Period> = { ...DEFAULT_RETENTION };
  for (const part of (text ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [name, value, ...extra] = part.split('=').map((s) => s.trim());
    const period = PERIOD.exec(value ?? '');
    if (!(KINDS as readonly string[]).includes(name!) || extra.length || !period) {
      throw new RangeError(`retention is kind=period (${KINDS.join(', ')}; a whole number of years or days, e.g. 5y or 90d), comma-separated: not "${part}"`);
    }
    retention[name as RetentionKind] = { amount: Number(period[1]), unit: period[2] as Period['unit'] };
  }
  if (after(retention.attachments, 0) > after(retention.closedTickets, 0))
    throw new RangeError('retention of attachments may not be longer than of closed tickets: an attachment is part of its ticket');
  return retention;
}

/** Periods as a stage's functions read them (the inverse of `parseRetention`). */
export const retentionText = (retention: Retention): string => KINDS.map((kind) => `${kind}=${retention[kind].amount}${retention[kind].unit}`).join(',');

/** The instant a period after `from` ends. */
function after(period: Period, from: Instant): Instant {
  if (period.unit === 'd') return from + period.amount * DAY;
  const end = new Date(from);
  end.setUTCFullYear(end.getUTCFullYear() + period.amount);
  return end.getTime();
}

/** An instant as DynamoDB's time to live reads it: whole seconds since the epoch, never before the instant. */
const ttlOf = (instant: Instant): number => Math.ceil(instant / 1000);

/** When a closed ticket's items expire: the ticket, its events, comments and messages. */
export const closedTicketExpiry = (retention: Retention, closedAt: Instant): number => ttlOf(after(retention.closedTickets, closedAt));

/** When a closed ticket's attachments expire, record and bytes. */
export const attachmentExpiry = (retention: Retention, closedAt: Instant): number => ttlOf(after(retention.attachments, closedAt));

/**
 * When a delivered message expires; a hypercare digest is kept (the monthly
 * report counts the digests sent, and may be made again for a month).
 */
export function deliveredExpiry(retention: Retention, kind: AlertMessage['kind'], sentAt: Instant): number | undefined {
  return kind === 'hypercare-digest' ? undefined : ttlOf(after(retention.deliveredOutbox, sentAt));
}
