import type { AlertOutbox, QueuedAlert } from './alert-outbox';
import type { AlertSender } from './alerts';

/** How long a deliverer holds an alert before another may try it; the senders time out well before. */
const CLAIM_MS = 60_000;
/** A failing alert waits 1, 2, 4, … minutes, at most an hour, so it never crowds out newer ones. */
const backoffMs = (attempts: number) => Math.min(3_600_000, 60_000 * 2 ** Math.max(0, attempts - 1));

export interface DeliveryReport {
  readonly sent: number;
  readonly failed: number;
  readonly skipped: number;
}

/**
 * Delivers queued alerts: claim, send, mark sent. A failed send gives the alert
 * back untouched for the next round, so it is neither lost nor sent twice.
 */
export class AlertDelivery {
  constructor(private readonly deps: { outbox: AlertOutbox; sender: AlertSender; now: () => number; onFailure?: (alert: QueuedAlert, error: unknown) => void }) {}

  async deliverFor(ticketId: string): Promise<DeliveryReport> {
    return this.deliver(await this.deps.outbox.pendingFor(ticketId));
  }

  async deliverPending(limit = 100): Promise<DeliveryReport> {
    return this.deliver(await this.deps.outbox.pending(limit, this.deps.now()));
  }

  /** How long the oldest undelivered alert has waited, in ms; 0 when none waits. */
  async oldestPendingAge(): Promise<number> {
    const since = await this.deps.outbox.oldestPendingSince();
    return since === undefined ? 0 : Math.max(0, this.deps.now() - since);
  }

  private async deliver(alerts: readonly QueuedAlert[]): Promise<DeliveryReport> {
    const outcomes = await Promise.all(alerts.map((alert) => this.deliverOne(alert)));
    return {
      sent: outcomes.filter((o) => o === 'sent').length,
      failed: outcomes.filter((o) => o === 'failed').length,
      skipped: outcomes.filter((o) => o === 'skipped').length,
    };
  }

  private async deliverOne(alert: QueuedAlert): Promise<'sent' | 'failed' | 'skipped'> {
    const { outbox, sender, now } = this.deps;
    const lease = await outbox.claim(alert, now(), CLAIM_MS);
    if (lease === undefined) return 'skipped';
    try {
      await sender.send(alert.message);
    } catch (error) {
      this.deps.onFailure?.(alert, error);
      await outbox.release(alert, lease, error instanceof Error ? error.message : String(error), now() + backoffMs(alert.attempts + 1));
      return 'failed';
    }
    await outbox.markSent(alert, lease, now());
    return 'sent';
  }
}
