import { priorityForImpact } from '../../domain/sla/sla-policy';
import { RequestError } from './problem';
import { httpRoute, json } from './http-route';
import { NewTicketBody } from './schemas';
import { etagOf } from './ticket-id';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

export const handler = httpRoute({ roles: ['customer'], body: NewTicketBody }, async ({ actor, body, headers, deps }) => {
  const key = headers['idempotency-key'];
  if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) {
    throw new RequestError(400, 'invalid-idempotency-key', 'Bad Request', 'Idempotency-Key must be 1–255 visible ASCII characters');
  }
  const priority = body.priority ?? priorityForImpact(body.impact);
  const { view, replayed } = await deps.tickets.create(
    actor,
    { title: body.title, description: body.description, category: body.category, priority, ...(body.impact ? { impact: body.impact } : {}) },
    key,
  );
  return json(201, view, { location: `/tickets/${view.id}`, etag: etagOf(view.version), ...(replayed ? { 'idempotent-replayed': 'true' } : {}) });
});
