import type { AlertMessage } from './alerts';

/** An alert recorded with the breach or warning that raised it, waiting to be delivered. */
export interface QueuedAlert {
  readonly message: AlertMessage;
  readonly attempts: number;
}

/**
 * The transactional outbox: alerts are written in the same transaction that
 * records the breach or warning, then delivered and marked sent. A claim keeps
 * two deliverers from sending the same alert at once.
 */
/** A message as the outbox keeps it: when it was queued, and when it went out. */
export interface QueuedRecord {
  readonly id: string;
  readonly queuedAt: number;
  readonly sentAt?: number;
}

export interface AlertOutbox {
  pendingFor(ticketId: string): Promise<QueuedAlert[]>;
  /** Whether this message was ever queued (sent or not). */
  isQueued(message: Pick<AlertMessage, 'id' | 'about'> & Partial<Pick<AlertMessage, 'kind' | 'channel' | 'customerId'>>): Promise<boolean>;
  /** The messages about a customer whose ids start with `idPrefix` (its digests), oldest first. */
  queuedFor(customerId: string, idPrefix: string): Promise<QueuedRecord[]>;
  /** Queues messages that are not part of another write; one already queued (the same id) is left as it is. */
  enqueue(messages: readonly AlertMessage[], at: number): Promise<void>;
  /** Alerts due for an attempt at `now`, those waiting longest first. */
  pending(limit: number, now: number): Promise<QueuedAlert[]>;
  /** When the oldest undelivered alert was queued; undefined when none waits. */
  oldestPendingSince(): Promise<number | undefined>;
  /** Takes the alert for `leaseMs`; undefined when it is sent or someone else holds it. */
  claim(alert: QueuedAlert, now: number, leaseMs: number): Promise<number | undefined>;
  markSent(alert: QueuedAlert, lease: number, now: number): Promise<void>;
  /** Gives the alert back after a failed send, keeping the reason, to be tried again at `retryAt`. */
  release(alert: QueuedAlert, lease: number, reason: string, retryAt: number): Promise<void>;
}
