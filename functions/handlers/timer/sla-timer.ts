import '../tracing';
import * as z from 'zod/mini';
import { MAX_REARMS, TIMER_KINDS } from '../../domain/sla/sla-timers';
import { dependencies } from '../dependencies';
import { timersOf } from '../services';
import { correlationIdOfEvent, count, lambdaHandler, logger, METRIC } from '../observability';
import { awsAlertSender } from './aws-alert-sender';
import { awsScheduler } from './aws-scheduler';
import { CUSTOMER_ID, TICKET_ID } from '../../domain/identifiers';

/** What every schedule sends: its timer, and the correlation id of the request that armed it. */
export const TimerEvent = z.strictObject({
  ticketId: z.string().check(z.regex(TICKET_ID)),
  customerId: z.string().check(z.regex(CUSTOMER_ID)),
  kind: z.enum(TIMER_KINDS),
  dueAt: z.iso.datetime(),
  rearmed: z.optional(z.int().check(z.minimum(1), z.maximum(MAX_REARMS))),
  // Only for the logs: an odd one is ignored (the invocation's id is used), never a reason to drop the timer.
  correlationId: z.optional(z.string()),
});

/**
 * The target of every SLA timer. Scheduler invokes it asynchronously, so its
 * dead-letter queue only sees invocations it could not deliver. A malformed
 * event is logged and dropped (a retry could not fix it); anything else that
 * fails is thrown: Lambda retries twice, then sends the event to the function's
 * on-failure queue, and the relay's sweep records the breach regardless.
 */
export const handler = lambdaHandler(
  async (event: unknown, context) => {
    const parsed = TimerEvent.safeParse(event);
    if (!parsed.success) {
      logger.error('malformed timer event', { event: JSON.stringify(event).slice(0, 2000), issues: parsed.error.issues });
      return { action: 'ignore', reason: 'malformed timer event' };
    }
    // An early firing re-arms its deadline.
    const firing = await timersOf(await dependencies({ sender: awsAlertSender, scheduler: awsScheduler }, context)).fire(parsed.data);
    if (firing.action === 'raise') count(firing.kind === 'breach' ? METRIC.slaBreaches : METRIC.slaWarnings);
    logger.info('sla timer fired', { timer: parsed.data, firing });
    return firing;
  },
  { correlationIdOf: correlationIdOfEvent },
);
