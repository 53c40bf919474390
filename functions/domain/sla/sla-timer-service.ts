import type { BusinessCalendar } from '../calendar/business-calendar';
import { type CustomerStore, inHypercare } from '../customers/customer';
import { ConcurrentWriteError } from '../errors';
import type { Ticket, TicketEvent } from '../tickets/ticket';
import type { TicketStore } from '../tickets/ticket-store';
import type { AlertDelivery } from './alert-delivery';
import { alertMessages } from './alert-messages';
import { type SlaTimer, slaTimers, planTimers } from './sla-timers';
import type { TimerScheduler } from './timer-scheduler';
import { type Firing, decideFiring } from './timer-firing';

export interface SlaTimerServiceDeps {
  readonly store: TicketStore;
  readonly customers: CustomerStore;
  readonly scheduler: TimerScheduler;
  readonly calendar: BusinessCalendar;
  readonly now: () => number;
  readonly onCall: readonly string[];
  readonly warningShare?: number;
  /** Where alerts are delivered right away; without it the outbox relay delivers them. */
  readonly delivery?: AlertDelivery;
}

/** Watches each ticket's first-response promise: arms its timers and acts when they fire. */
export class SlaTimerService {
  constructor(private readonly deps: SlaTimerServiceDeps) {}

  /**
   * Schedule a ticket's timers (replacing any it had); those already due, or
   * due within a minute, are checked at once.
   */
  async arm(ticket: Ticket): Promise<void> {
    const { schedule, checkNow } = planTimers(slaTimers(ticket, this.deps.calendar, this.deps.warningShare), this.deps.now());
    await this.deps.scheduler.schedule(schedule);
    for (const timer of checkNow) await this.fire(timer);
  }

  async disarm(ticketId: string): Promise<void> {
    await this.deps.scheduler.cancel(ticketId);
  }

  /**
   * A timer fired.
   * 1. Re-read the ticket and decide from it as it is now.
   * 2. Early or stale: schedule the current timer again.
   * 3. Due: record the breach or warning with its alerts in one conditional transaction.
   * 4. Deliver the ticket's queued alerts (also those a failed earlier delivery left).
   */
  async fire(timer: SlaTimer): Promise<Firing> {
    for (let attempt = 1; ; attempt++) {
      const now = this.deps.now();
      const ticket = await this.deps.store.get(timer.ticketId);
      const firing = decideFiring(ticket, timer, now, this.deps.calendar, this.deps.warningShare);
      if (firing.action === 'reschedule') await this.deps.scheduler.schedule([firing.timer]);
      if (firing.action === 'raise') {
        const profile = await this.deps.customers.getCustomer(ticket!.customerId);
        const messages = alertMessages(ticket!, firing.kind, now, this.deps.calendar, {
          onCall: this.deps.onCall,
          customerContacts: profile?.alertContacts ?? [],
          hypercare: inHypercare(profile, now),
        });
        const event: TicketEvent = {
          ticketId: ticket!.id,
          at: now,
          actor: { subject: 'sla-timer', role: 'system' },
          type: firing.kind === 'breach' ? 'sla.breached' : 'sla.warning',
          changes: { [firing.kind === 'breach' ? 'breachedAt' : 'warningSentAt']: { to: now }, dueAt: { to: ticket!.firstResponseDueAt } },
        };
        try {
          await this.deps.store.raiseAlert(ticket!, firing.kind, messages, event);
        } catch (error) {
          if (error instanceof ConcurrentWriteError && attempt < 8) continue;
          throw error;
        }
      }
      await this.deps.delivery?.deliverFor(timer.ticketId);
      return firing;
    }
  }
}
