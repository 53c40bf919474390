import { ConflictError, NotFoundError } from '../../domain/errors';
import { httpRoute } from './http-route';

/** Only a window that has not started can be cancelled: one that has is part of the record. */
export const handler = httpRoute({ roles: ['agent', 'admin'] }, async ({ params, deps }) => {
  const id = params.id ?? '';
  const outcome = /^SW-[0-9A-F]{8}$/.test(id) ? await deps.windows.cancelWindow(id, deps.now()) : 'not-found';
  if (outcome === 'not-found') throw new NotFoundError(`service window ${id} not found`);
  if (outcome === 'started') throw new ConflictError(`service window ${id} has already started and cannot be cancelled`);
  return { statusCode: 204 };
});
