import type { Priority } from '../sla/sla-policy';
import type { TimerKind } from '../sla/sla-timers';

const ALERT_CHANNELS = ['email', 'sns'] as const;
export type AlertChannel = (typeof ALERT_CHANNELS)[number];

/** `breach-notice`: a breach told to the customer's alert contacts, beside the desk's `breach`. */
type AlertKind =
  | TimerKind
  | 'service-window'
  | 'service-window-cancelled'
  | 'hypercare-overdue'
  | 'hypercare-digest'
  | 'incident'
  | 'consultancy-approval'
  | 'report-ready'
  | 'breach-notice'
  | 'ticket-assigned'
  | 'inbound-refused'
  | TicketMailKind;

/** The emails of a ticket's life to the people involved: its requester and contacts, the desk. */
export type TicketMailKind = 'ticket-received' | 'ticket-reply' | 'ticket-status' | 'ticket-urgent' | 'ticket-customer-reply';

/** What a message is about: one reference, whatever the kind of thing (more kinds join as they come). */
interface MessageSubject {
  readonly type: 'ticket' | 'service-window' | 'customer' | 'target' | 'report' | 'inbound';
  readonly id: string;
}

/**
 * One message on one channel, about a ticket (warning, breach) or a service
 * window (its notice). Its id is deterministic, so each is recorded and sent once.
 */
export interface AlertMessage {
  /** `<subject id>:<kind>:<channel>` (and `:<customer>` for a notice's email) */
  readonly id: string;
  readonly channel: AlertChannel;
  readonly kind: AlertKind;
  /** What it is about (`subject` is the email's subject line). */
  readonly about: MessageSubject;
  /** The customer a ticket alert concerns; notices go to every customer. */
  readonly customerId?: string;
  readonly priority?: Priority;
  /** Whether the customer is in hypercare when the alert is raised. */
  readonly hypercare: boolean;
  readonly subject: string;
  /** Plain text. */
  readonly body: string;
  /** Email only. */
  readonly html?: string;
  /** Email only: who receives it. */
  readonly recipients?: readonly string[];
  /** Email about a ticket: where a reply goes, its signed reply address (set on the way out, where an inbound domain is configured). */
  readonly replyTo?: string;
  /** Email: its Message-ID without angle brackets, made from its id (set on the way out). */
  readonly messageId?: string;
  /** Email about a ticket: the id its emails thread under (`ACME-12@<domain>`), which replies carry in References. */
  readonly thread?: string;
  /** The request it traces back to, for the deliverer's logs. */
  readonly correlationId?: string;
}

/** Where the console is (its origin), for the links in messages; undefined while it is not known. */
export type ConsoleUrl = () => string | undefined;

/** Delivers one message; throws when the channel did not accept it, so the outbox keeps it. */
export interface AlertSender {
  send(message: AlertMessage): Promise<void>;
}
