import { Logger } from '@aws-lambda-powertools/logger';
import middy from '@middy/core';
import { z } from 'zod';
import { TIMER_KINDS } from '../../domain/sla/sla-timers';
import { dependencies } from '../dependencies';
import { awsAlertSender } from './aws-alert-sender';

const logger = new Logger({ serviceName: 'sla-desk' });

/** What every schedule sends: its timer. */
export const TimerEvent = z.strictObject({
  ticketId: z.string().regex(/^[A-Z][A-Z0-9]{1,15}-[1-9]\d{0,9}$/),
  customerId: z.string().regex(/^[A-Z][A-Z0-9]{1,15}$/),
  kind: z.enum(TIMER_KINDS),
  dueAt: z.iso.datetime(),
});

/**
 * The target of every SLA timer. A malformed event is logged and dropped (a
 * retry could not fix it); anything else that fails is thrown, so Scheduler
 * retries and finally parks the event on the dead-letter queue.
 */
export const handler = middy(async (event: unknown) => {
  const parsed = TimerEvent.safeParse(event);
  if (!parsed.success) {
    logger.error('malformed timer event', { event: JSON.stringify(event).slice(0, 2000), issues: parsed.error.issues });
    return { action: 'ignore', reason: 'malformed timer event' };
  }
  const firing = await (await dependencies(awsAlertSender)).timers.fire(parsed.data);
  logger.info('sla timer fired', { timer: parsed.data, firing });
  return firing;
});
