import { ticketsOf } from '../services';
import { ARMS_TIMERS } from '../timer/aws-scheduler';
import { httpRoute, json } from './http-route';
import { withNames } from './named';
import { addComment } from './routes';
import { idempotencyKeyOf, replayedHeader } from './idempotency-key';
import { ticketIdOf } from './ticket-id';
import { logger, METRIC, metrics, MetricUnit, safeError } from '../observability';

export const handler = httpRoute(
  addComment,
  async ({ actor, params, body, headers, deps }) => {
    const id = ticketIdOf(params);
    const { replayed, ...comment } = await ticketsOf(deps).comment(actor, id, body, idempotencyKeyOf(headers));
    if (comment.firstResponse && !replayed) {
      // Business minutes from opening to this first response: one read, once per ticket, and never
      // a reason to fail an answer whose comment is already saved.
      const ticket = await deps.store.get(id).catch((error: unknown) => void logger.warn('first response not measured', { ticketId: id, error: safeError(error) }));
      if (ticket?.firstRespondedAt !== undefined) {
        metrics().addMetric(METRIC.firstResponseBusinessMinutes, MetricUnit.Count, deps.calendar.businessTimeBetween(ticket.openedAt, ticket.firstRespondedAt) / 60_000);
      }
    }
    const [answer] = await withNames([comment], 'author', actor, deps.people);
    return json(201, answer, replayedHeader(replayed));
  },
  ARMS_TIMERS,
);
