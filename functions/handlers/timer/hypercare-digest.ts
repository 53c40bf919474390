import { dependencies } from '../dependencies';
import { lambdaHandler, logger } from '../observability';

/**
 * Every Monday at 08:00 Copenhagen time: queue each customer's hypercare
 * digest that came due, exactly once (the relay delivers it, and its minute
 * round also catches a digest this run missed, as well as go-live digests).
 */
export const handler = lambdaHandler(async () => {
  const { digests } = await dependencies();
  const queued = await digests.sendDue();
  logger.info('hypercare digests queued', { queued });
  return { queued };
});
