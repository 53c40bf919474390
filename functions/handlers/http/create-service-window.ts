import { randomUUID } from 'node:crypto';
import { windowTargets } from '../../domain/availability/probe';
import { scheduleWindow, windowNotices } from '../../domain/availability/service-windows';
import { idempotent, KEY_TAKEN } from '../../domain/idempotency';
import { idempotencyScope } from '../../domain/tickets/ticket-service';
import { httpRoute, json } from './http-route';
import { createServiceWindow } from './routes';
import { idempotencyKeyOf, replayedHeader } from './idempotency-key';
import { serviceWindowView } from './service-window-view';

/**
 * Announce an extraordinary service window.
 * 1. A known Idempotency-Key replays its first answer: a retry never notifies twice.
 * 2. Decide: retroactive if it has started (admins only), with the notice given.
 * 3. Record the window and a notice to every customer (the outbox) with the key.
 * 4. The outbox relay delivers the notices by email and SNS.
 */
export const handler = httpRoute(createServiceWindow, async ({ actor, body, headers, deps }) =>
  idempotent({
    answers: deps.idempotency,
    scope: idempotencyScope(actor),
    key: idempotencyKeyOf(headers),
    request: body,
    replay: (known) => json(201, JSON.parse(known.response), { location: `/service-windows/${known.resourceId}`, ...replayedHeader(true) }),
    run: async (claim) => {
      const targets = windowTargets(body.targets, deps.probeTargets);
      const window = scheduleWindow(
        { start: Date.parse(body.start), end: Date.parse(body.end), reason: body.reason, ...(targets ? { targets } : {}) },
        actor,
        deps.now(),
        `SW-${randomUUID().slice(0, 8).toUpperCase()}`,
      );
      const view = serviceWindowView(window, deps.calendar);
      const outcome = await deps.windows.createWindow(window, windowNotices(window, await deps.customers.allCustomers(), deps.calendar), claim(window.id, view));
      return outcome === 'created' ? json(201, view, { location: `/service-windows/${window.id}` }) : KEY_TAKEN;
    },
  }),
);
