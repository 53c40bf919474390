import '../tracing';
import { dependencies } from '../dependencies';
import { lambdaHandler } from '../observability';
import { deliveryOf } from '../services';
import { awsAlertSender } from './aws-alert-sender';
import { relaySteps, runRelaySteps } from './relay-steps';

/**
 * The relay, every minute: its steps (`./relay-steps`) one after another,
 * each logged and counted under its own name. Delivery runs whatever the
 * steps before it met; a failed fan-out, sweep or delivery fails the run at
 * the end, so the Errors alarm pages.
 */
export const handler = lambdaHandler(async (_event: unknown, context) => {
  const deps = await dependencies({ sender: awsAlertSender, probeTargets: true }, context);
  const delivery = deliveryOf(deps);
  if (!delivery) throw new Error('sla-desk configuration: BREACH_TOPIC_ARN and ALERT_FROM_EMAIL are required to deliver alerts');
  return runRelaySteps(relaySteps(deps, delivery));
});
