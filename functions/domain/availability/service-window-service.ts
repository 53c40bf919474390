import type { Actor } from '../actor';
import type { BusinessCalendar } from '../calendar/business-calendar';
import type { CustomerStore } from '../customers/customer';
import { ConflictError, ForbiddenError, NotFoundError } from '../errors';
import { cancellationNotices, type FanOut, type ScheduledWindow, type ServiceWindowStore, windowNotices } from './service-windows';

const WINDOW_ID = /^SW-[0-9A-F]{8}$/;

/** The service-window use cases beyond announcing: cancelling, and making sure every notice is written. */
export class ServiceWindowService {
  constructor(
    private readonly deps: { readonly windows: ServiceWindowStore; readonly customers: CustomerStore; readonly calendar: BusinessCalendar; readonly now: () => number },
  ) {}

  /**
   * Cancel a window that has not started (one that has is part of the record),
   * and tell the customers its announcement reached. The store's condition
   * guards the rule against a race; the notices are pending until written.
   */
  async cancel(actor: Actor, id: string): Promise<void> {
    if (actor.role !== 'agent' && actor.role !== 'admin') throw new ForbiddenError('only the provider cancels service windows');
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
    const notices =
      fanOut === 'announced' ? windowNotices(window, await customers.allCustomers(), calendar) : cancellationNotices(window, await windows.toldCustomers(window.id), calendar);
    await windows.completeFanOut(window, fanOut, notices, this.deps.now());
  }
}
