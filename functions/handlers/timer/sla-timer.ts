import { Logger } from '@aws-lambda-powertools/logger';
import middy from '@middy/core';
import * as z from 'zod/mini';
import { MAX_REARMS, TIMER_KINDS } from '../../domain/sla/sla-timers';
import { dependencies } from '../dependencies';
import { awsAlertSender } from './aws-alert-sender';
import { awsScheduler } from './aws-scheduler';
import { CUSTOMER_ID, TICKET_ID } from '../../domain/identifiers';

const logger = new Logger({ serviceName: 'sla-desk' });

/** What every schedule sends: its timer. */
export const TimerEvent = z.strictObject({
  ticketId: z.string().check(z.regex(TICKET_ID)),
  customerId: z.string().check(z.regex(CUSTOMER_ID)),
  kind: z.enum(TIMER_KINDS),
  dueAt: z.iso.datetime(),
  rearmed: z.optional(z.int().check(z.minimum(1), z.maximum(MAX_REARMS))),
});

/**
 * The target of every SLA timer. Scheduler invokes it asynchronously, so its
 * dead-letter queue only sees invocations it could not deliver. A malformed
 * event is logged and dropped (a retry could not fix it); anything else that
 * fails is thrown: Lambda retries twice, then sends the event to the function's
 * on-failure queue, and the relay's sweep records the breach regardless.
 */
export const handler = middy(async (event: unknown) => {
  const parsed = TimerEvent.safeParse(event);
  if (!parsed.success) {
    logger.error('malformed timer event', { event: JSON.stringify(event).slice(0, 2000), issues: parsed.error.issues });
    return { action: 'ignore', reason: 'malformed timer event' };
  }
  // An early firing re-arms its deadline.
  const firing = await (await dependencies({ sender: awsAlertSender, scheduler: awsScheduler })).timers.fire(parsed.data);
  logger.info('sla timer fired', { timer: parsed.data, firing });
  return firing;
});
