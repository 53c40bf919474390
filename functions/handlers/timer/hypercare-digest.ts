import '../tracing';
import { dependencies, READS_PROBE_TARGETS } from '../dependencies';
import { lambdaHandler, logger } from '../observability';
import { digestsOf } from '../services';

/**
 * Every Monday at 08:00 Copenhagen time: queue each customer's hypercare
 * digest that came due, exactly once (the relay delivers it, and its minute
 * round also catches a digest this run missed, as well as go-live digests).
 * This is the one run that reads every customer: it also puts on the relay's
 * minute round any customer with a go-live that is neither on it nor settled
 * (a profile saved before the round kept its own list).
 */
export const handler = lambdaHandler(async (_event: unknown, context) => {
  const deps = await dependencies(READS_PROBE_TARGETS, context);
  const queued = await digestsOf(deps).sendDue();
  logger.info('hypercare digests queued', { queued });
  const watched = await deps.customers.watchUnwatched();
  if (watched.length) logger.info('customers put on the relay\'s minute round', { customers: watched });
  return { queued, watched };
});
