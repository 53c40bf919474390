import { createHash, randomUUID } from 'node:crypto';
import { scheduleWindow, windowNotices } from '../../domain/availability/service-windows';
import { ConflictError } from '../../domain/errors';
import { idempotencyScope } from '../../domain/tickets/ticket-service';
import { httpRoute, json } from './http-route';
import { idempotencyKeyOf, replayedHeader } from './idempotency-key';
import { NewServiceWindowBody } from './schemas';
import { serviceWindowView } from './service-window-view';

/**
 * Announce an extraordinary service window.
 * 1. A known Idempotency-Key replays its first answer: a retry never notifies twice.
 * 2. Decide: retroactive if it has started (admins only), with the notice given.
 * 3. Record the window and a notice to every customer (the outbox) with the key.
 * 4. The outbox relay delivers the notices by email and SNS.
 */
export const handler = httpRoute({ roles: ['agent', 'admin'], body: NewServiceWindowBody }, async ({ actor, body, headers, deps }) => {
  const key = idempotencyKeyOf(headers);
  const scope = idempotencyScope(actor);
  const requestHash = createHash('sha256').update(JSON.stringify(body)).digest('base64url');
  for (let attempt = 1; attempt <= 5; attempt++) {
    const known = await deps.tickets.knownAnswer(scope, key, requestHash);
    if (known) return json(201, JSON.parse(known.response), { location: `/service-windows/${known.resourceId}`, ...replayedHeader(true) });
    const now = deps.now();
    const window = scheduleWindow(
      { start: Date.parse(body.start), end: Date.parse(body.end), reason: body.reason, ...(body.targets ? { targets: body.targets } : {}) },
      actor,
      now,
      `SW-${randomUUID().slice(0, 8).toUpperCase()}`,
    );
    const view = serviceWindowView(window, deps.calendar);
    const claim = key ? { scope, key, requestHash, resourceId: window.id, response: JSON.stringify(view) } : undefined;
    const outcome = await deps.windows.createWindow(window, windowNotices(window, await deps.customers.allCustomers(), deps.calendar), claim);
    if (outcome === 'created') return json(201, view, { location: `/service-windows/${window.id}` });
  }
  throw new ConflictError('this Idempotency-Key is being used by a request still in progress; retry shortly');
});
