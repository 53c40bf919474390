import { json, publicRoute } from './http-route';

/** No auth: the probe and load balancers call it. It answers ok only when the table answers. */
export const handler = publicRoute(async ({ store }) => {
  await store.ping();
  return json(200, { status: 'ok' }, { 'cache-control': 'no-store' });
});
