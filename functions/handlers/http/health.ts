import { json, publicRoute } from './http-route';
import { RequestError } from './problem';
import { health } from './routes';

/** No auth: the probe and load balancers call it. It answers ok only when the table answers. */
export const handler = publicRoute(health, async ({ store }) => {
  try {
    await store.ping();
  } catch {
    throw new RequestError(503, 'unavailable', 'Service Unavailable', 'the ticket store does not answer');
  }
  return json(200, { status: 'ok' }, { 'cache-control': 'no-store' });
});
