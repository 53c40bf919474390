import { integrationsOf } from '../services';
import { httpRoute, json } from './http-route';
import { integrationView } from './integration-view';
import { revokeIntegration } from './routes';

/** An admin revokes an integration, for ever; again is the first revocation. Refused within a minute on AWS. */
export const handler = httpRoute(revokeIntegration, async ({ actor, params, deps }) => {
  return json(200, integrationView((await integrationsOf(deps).revoke(actor, params.id!)).integration, deps.calendar));
});
