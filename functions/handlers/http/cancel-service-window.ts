import { httpRoute } from './http-route';

/** Only a window that has not started can be cancelled; the customers it was announced to are told. */
export const handler = httpRoute({ roles: ['agent', 'admin'] }, async ({ actor, params, deps }) => {
  await deps.serviceWindows.cancel(actor, params.id ?? '');
  return { statusCode: 204 };
});
