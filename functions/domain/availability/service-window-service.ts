import { authorize } from '../policy';
import { randomUUID } from 'node:crypto';
import type { Actor } from '../actor';
import type { BusinessCalendar } from '../calendar/business-calendar';
import type { CustomerStore } from '../customers/customer';
import { ConflictError, NotFoundError } from '../errors';
import { idempotencyScope, idempotent, type IdempotencyStore, KEY_TAKEN } from '../idempotency';
import { type ProbeTarget, windowTargets } from './probe';
import type { ConsoleUrl } from '../notifications/alerts';
import { cancellationNotices, type FanOut, type ScheduledWindow, scheduleWindow, serviceWindowView, type ServiceWindowStore, windowNotices } from './service-windows';

export type ServiceWindowView = ReturnType<typeof serviceWindowView>;

const WINDOW_ID = /^SW-[0-9A-F]{8}$/;

/** The service-window use cases: announcing, cancelling, and making sure every notice is written. */
export class ServiceWindowService {
  constructor(
    private readonly deps: {
      readonly windows: ServiceWindowStore;
      readonly customers: CustomerStore;
      readonly idempotency: IdempotencyStore;
      readonly calendar: BusinessCalendar;
      readonly now: () => number;
      /** Where the console is, for the notices' links. */
      readonly consoleUrl?: ConsoleUrl;
      /** What the probe measures: a window may only name these. */
      readonly probeTargets: readonly Pick<ProbeTarget, 'name'>[];
    },
  ) {}

  /**
   * Announce an extraordinary service window.
   * 1. A known Idempotency-Key replays its first answer: a retry never notifies twice.
   * 2. Decide: retroactive if it has started (admins only), with the notice given.
   * 3. Record the window and a notice to every customer (the outbox) with the key.
   * 4. The relay delivers the notices by email and SNS.
   */
  async announce(actor: Actor, input: { start: number; end: number; reason: string; targets?: readonly string[] }, idempotencyKey?: string): Promise<{ view: ServiceWindowView; replayed: boolean }> {
    return idempotent<{ view: ServiceWindowView; replayed: boolean }>({
      answers: this.deps.idempotency,
      scope: idempotencyScope(actor),
      key: idempotencyKey,
      request: input,
      replay: (known) => ({ view: JSON.parse(known.response) as ServiceWindowView, replayed: true }),
      run: async (claim) => {
        const targets = windowTargets(input.targets, this.deps.probeTargets);
        const window = scheduleWindow({ ...input, ...(targets ? { targets } : {}) }, actor, this.deps.now(), `SW-${randomUUID().slice(0, 8).toUpperCase()}`);
        const view = serviceWindowView(window, this.deps.calendar);
        const notices = windowNotices(window, await this.deps.customers.allCustomers(), this.deps.calendar, this.deps.consoleUrl?.());
        const outcome = await this.deps.windows.createWindow(window, notices, claim(window.id, view));
        return outcome === 'created' ? { view, replayed: false } : KEY_TAKEN;
      },
    });
  }

  /**
   * Cancel a window that has not started (one that has is part of the record),
   * and tell the customers its announcement reached. The store's condition
   * guards the rule against a race; the notices are pending until written.
   */
  async cancel(actor: Actor, id: string): Promise<void> {
    authorize(actor, 'service-window.announce');
    const window = WINDOW_ID.test(id) ? await this.deps.windows.getWindow(id) : undefined;
    if (!window || window.cancelledAt !== undefined) throw new NotFoundError(`service window ${id} not found`);
    const now = this.deps.now();
    if (window.start <= now) throw new ConflictError(`service window ${id} has already started and cannot be cancelled`);
    const outcome = await this.deps.windows.cancelWindow(id, now);
    if (outcome === 'not-found') throw new NotFoundError(`service window ${id} not found`);
    if (outcome === 'started') throw new ConflictError(`service window ${id} has already started and cannot be cancelled`);
    await this.writeNotices(window, 'cancelled');
  }

  /** The relay's round: every window whose notices an interrupted request left unwritten is completed. */
  async completeFanOuts(limit = 20): Promise<number> {
    const pending = await this.deps.windows.pendingFanOuts(limit);
    for (const { window, fanOut } of pending) await this.writeNotices(window, fanOut);
    return pending.length;
  }

  private async writeNotices(window: ScheduledWindow, fanOut: FanOut): Promise<void> {
    const { windows, customers, calendar } = this.deps;
    const link = this.deps.consoleUrl?.();
    const notices =
      fanOut === 'announced' ? windowNotices(window, await customers.allCustomers(), calendar, link) : cancellationNotices(window, await windows.toldCustomers(window.id), calendar, link);
    await windows.completeFanOut(window, fanOut, notices, this.deps.now());
  }
}
