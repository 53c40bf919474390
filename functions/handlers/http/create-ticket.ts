import { ticketsOf } from '../services';
import { priorityForImpact } from '../../domain/sla/sla-policy';
import { idempotencyKeyOf, replayedHeader } from './idempotency-key';
import { ARMS_TIMERS } from '../timer/aws-scheduler';
import { httpRoute, json } from './http-route';
import { createTicket } from './routes';
import { etagOf } from './etag';
import { count, METRIC } from '../observability';

export const handler = httpRoute(
  createTicket,
  async ({ actor, body, headers, deps }) => {
    const key = idempotencyKeyOf(headers);
    const priority = body.priority ?? priorityForImpact(body.impact);
    const { view, replayed } = await ticketsOf(deps).create(
      actor,
      { title: body.title, description: body.description, category: body.category, priority, ...(body.impact ? { impact: body.impact } : {}) },
      key,
    );
    // A replay opened nothing.
    if (!replayed) count(METRIC.ticketsOpened);
    return json(201, view, { location: `/tickets/${view.id}`, etag: etagOf(view.version), ...replayedHeader(replayed) });
  },
  ARMS_TIMERS,
);
