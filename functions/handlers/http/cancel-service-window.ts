import { serviceWindowsOf } from '../services';
import { httpRoute } from './http-route';
import { cancelServiceWindow } from './routes';

/** Only a window that has not started can be cancelled; the customers it was announced to are told. */
export const handler = httpRoute(cancelServiceWindow, async ({ actor, params, deps }) => {
  await serviceWindowsOf(deps).cancel(actor, params.id ?? '');
  return { statusCode: 204 };
});
