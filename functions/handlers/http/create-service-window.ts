import { serviceWindowsOf } from '../services';
import { READS_PROBE_TARGETS } from '../dependencies';
import { httpRoute, json } from './http-route';
import { idempotencyKeyOf, replayedHeader } from './idempotency-key';
import { createServiceWindow } from './routes';

/** Announce an extraordinary service window; every customer is told (see ServiceWindowService.announce). */
export const handler = httpRoute(
  createServiceWindow,
  async ({ actor, body, headers, deps }) => {
    const { view, replayed } = await serviceWindowsOf(deps).announce(
      actor,
      { start: Date.parse(body.start), end: Date.parse(body.end), reason: body.reason, ...(body.targets ? { targets: body.targets } : {}) },
      idempotencyKeyOf(headers),
    );
    return json(201, view, { location: `/service-windows/${view.id}`, ...replayedHeader(replayed) });
  },
  READS_PROBE_TARGETS,
);
