import type { BusinessCalendar } from '../calendar/business-calendar';
import { contactsFor, type CustomerStore } from '../customers/customer';
import { ConcurrentWriteError } from '../errors';
import type { Ticket, TicketEvent } from '../tickets/ticket';
import type { TicketStore } from '../tickets/ticket-store';
import type { AlertDelivery } from '../notifications/alert-delivery';
import type { ConsoleUrl } from '../notifications/alerts';
import { alertMessages } from './alert-messages';
import { heightened } from './sla-policy';
import { deadlineTimers, planTimers, type SlaTimer, slaTimers, sweepCutoff, timerName, warningShareOf } from './sla-timers';
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
  /** The warning share of heightened tickets (Highest and High opened in hypercare). @default 0.5 */
  readonly hypercareWarningShare?: number;
  /** The provider's hypercare escalation list: heightened tickets' alerts go here too. */
  readonly hypercareEscalation?: readonly string[];
  /** Where alerts are delivered right away; without it the outbox relay delivers them. */
  readonly delivery?: AlertDelivery;
  /** Told when the sweep could not check one ticket. */
  readonly onSweepFailure?: (ticketId: string, error: unknown) => void;
  /** Where the console is, for the alerts' links. */
  readonly consoleUrl?: ConsoleUrl;
}

/** Timers of a ticket not yet written: scheduled, and those already due, to check once it is. */
export interface ArmedTimers {
  readonly checkNow: readonly SlaTimer[];
}

/** What one sweep found and did. */
export interface SweepReport {
  /** Overdue running tickets read. */
  readonly overdue: number;
  /** Breaches the sweep recorded: their timers were lost or failed. */
  readonly recorded: readonly string[];
  /** Tickets whose outcome turned out settled already, taken off the running tickets. */
  readonly settled: number;
  /** Tickets whose check failed; the next sweep tries them again. */
  readonly failed: readonly string[];
}

const MAX_DECISIONS = 8;

/** Watches each ticket's first-response promise: arms its timers and acts when they fire. */
export class SlaTimerService {
  constructor(private readonly deps: SlaTimerServiceDeps) {}

  /**
   * Step one of arming, before the ticket (or its new deadline) is written:
   * schedule the timers, so a failure writes nothing and a retry is safe.
   */
  async prepare(ticket: Ticket): Promise<ArmedTimers> {
    const { schedule, checkNow } = planTimers(slaTimers(ticket, this.deps.calendar, this.shareFor(ticket)), this.deps.now());
    await this.deps.scheduler.schedule(schedule);
    return { checkNow };
  }

  /** Step two, once the ticket is written: deadlines already due, or due within a minute, are checked at once. */
  async checkDue(armed: ArmedTimers): Promise<void> {
    for (const timer of armed.checkNow) await this.fire(timer);
  }

  /** Both steps, for a ticket already written (a replayed request mends what a crash left). */
  async arm(ticket: Ticket): Promise<void> {
    await this.checkDue(await this.prepare(ticket));
  }

  /**
   * Deletes the timers of this (earlier) state of the ticket, except those the
   * ticket as it is now still needs: a later change may have armed the very
   * same deadline again.
   */
  async disarm(ticket: Ticket): Promise<void> {
    const now = await this.deps.store.get(ticket.id);
    const keep = new Set((now ? slaTimers(now, this.deps.calendar, this.shareFor(now)) : []).map(timerName));
    await this.deps.scheduler.cancel(deadlineTimers(ticket, this.deps.calendar, this.shareFor(ticket)).filter((t) => !keep.has(timerName(t))));
  }

  /**
   * A timer fired.
   * 1. Re-read the ticket and decide from it as it is now.
   * 2. Early or stale: schedule the current timer again.
   * 3. Due: record the breach or warning with its alerts in one transaction,
   *    conditional on the version decided from; a concurrent change decides again.
   * 4. Deliver the ticket's queued alerts (also those a failed earlier delivery left).
   *
   * The sweep fires without re-arming or delivering: the relay that runs it delivers next.
   */
  async fire(timer: SlaTimer, { sweeping = false } = {}): Promise<Firing> {
    for (let attempt = 1; ; attempt++) {
      const now = this.deps.now();
      const ticket = await this.deps.store.get(timer.ticketId);
      const firing = decideFiring(ticket, timer, now, this.deps.calendar, ticket ? this.shareFor(ticket) : this.deps.warningShare);
      if (firing.action === 'reschedule' && !sweeping) await this.deps.scheduler.schedule([firing.timer]);
      if (firing.action === 'raise') {
        try {
          await this.record(ticket!, firing.kind, now);
        } catch (error) {
          if (error instanceof ConcurrentWriteError && attempt < MAX_DECISIONS) {
            await new Promise((resolve) => setTimeout(resolve, 5 * attempt + Math.random() * 20));
            continue;
          }
          throw error;
        }
      }
      if (!sweeping) await this.deps.delivery?.deliverFor(timer.ticketId);
      return firing;
    }
  }

  /**
   * The safety net under the timers: every running ticket past its deadline
   * (by more than the timer's grace) is fired as its breach timer would be,
   * through the same exactly-once path. A timer that failed, or a schedule
   * that was lost, then costs minutes, never the breach.
   */
  async sweep(limit = 100): Promise<SweepReport> {
    const overdue = await this.deps.store.overdue(sweepCutoff(this.deps.now()), limit);
    const recorded: string[] = [];
    const failed: string[] = [];
    let settled = 0;
    // One ticket that fails must not hold up the others (the earliest due comes first every time).
    for (const ticket of overdue) {
      const breach: SlaTimer = { ticketId: ticket.id, customerId: ticket.customerId, kind: 'breach', dueAt: new Date(ticket.firstResponseDueAt).toISOString() };
      try {
        const firing = await this.fire(breach, { sweeping: true });
        if (firing.action === 'raise') recorded.push(ticket.id);
        else if (firing.action === 'ignore') {
          await this.deps.store.leaveRunning(ticket);
          settled++;
        }
      } catch (error) {
        failed.push(ticket.id);
        this.deps.onSweepFailure?.(ticket.id, error);
      }
    }
    return { overdue: overdue.length, recorded, settled, failed };
  }

  private shareFor(ticket: Ticket): number {
    return warningShareOf(ticket, this.deps);
  }

  private async record(ticket: Ticket, kind: SlaTimer['kind'], now: number): Promise<void> {
    const profile = await this.deps.customers.getCustomer(ticket.customerId);
    const messages = alertMessages(
      ticket,
      kind,
      now,
      this.deps.calendar,
      {
        onCall: [...this.deps.onCall, ...(heightened(ticket) ? (this.deps.hypercareEscalation ?? []) : [])],
        customerContacts: contactsFor(profile, 'alerts'),
        hypercare: ticket.hypercare === true,
      },
      this.deps.consoleUrl?.(),
    );
    const event: TicketEvent = {
      ticketId: ticket.id,
      at: now,
      actor: { subject: 'sla-timer', role: 'system' },
      type: kind === 'breach' ? 'sla.breached' : 'sla.warning',
      changes: { [kind === 'breach' ? 'breachedAt' : 'warningSentAt']: { to: now }, dueAt: { to: ticket.firstResponseDueAt } },
    };
    await this.deps.store.raiseAlert(ticket, kind, messages, event);
  }
}
