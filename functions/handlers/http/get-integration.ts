import { integrationsOf } from '../services';
import { httpRoute, json } from './http-route';
import { integrationView } from './integration-view';
import { getIntegration } from './routes';

/** An admin reads an integration: its customer, key and whether it is revoked. */
export const handler = httpRoute(getIntegration, async ({ actor, params, deps }) => {
  return json(200, integrationView(await integrationsOf(deps).get(actor, params.id!), deps.calendar));
});
