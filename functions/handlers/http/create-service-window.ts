import { randomUUID } from 'node:crypto';
import { scheduleWindow, windowNotices } from '../../domain/availability/service-windows';
import { httpRoute, json } from './http-route';
import { NewServiceWindowBody } from './schemas';
import { serviceWindowView } from './service-window-view';

/**
 * Announce an extraordinary service window.
 * 1. Decide: retroactive if it has started (admins only), with the notice given.
 * 2. Record the window and a notice to every customer in one transaction (the outbox).
 * 3. The outbox relay delivers the notices by email and SNS.
 */
export const handler = httpRoute({ roles: ['agent', 'admin'], body: NewServiceWindowBody }, async ({ actor, body, deps }) => {
  const now = deps.now();
  const window = scheduleWindow(
    { start: Date.parse(body.start), end: Date.parse(body.end), reason: body.reason, ...(body.targets ? { targets: body.targets } : {}) },
    actor,
    now,
    `SW-${randomUUID().slice(0, 8).toUpperCase()}`,
  );
  await deps.windows.createWindow(window, windowNotices(window, await deps.customers.allCustomers(), deps.calendar));
  return json(201, serviceWindowView(window, deps.calendar), { location: `/service-windows/${window.id}` });
});
