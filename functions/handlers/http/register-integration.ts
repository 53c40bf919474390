import { integrationsOf } from '../services';
import { httpRoute, json } from './http-route';
import { integrationView } from './integration-view';
import { registerIntegration } from './routes';

/**
 * An admin registers a customer's system and its public key: 201 the first
 * time, 200 with the same registration again; the id taken otherwise is 409.
 * It takes effect at once: no deploy.
 */
export const handler = httpRoute(registerIntegration, async ({ actor, params, body, deps }) => {
  const { integration, created } = await integrationsOf(deps).register(actor, params.id!, body);
  return json(created ? 201 : 200, integrationView(integration, deps.calendar));
});
