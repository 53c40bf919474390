import { NotFoundError } from '../../domain/errors';
import { personalDataOf } from '../services';
import { httpRoute, json } from './http-route';
import { exportPersonData } from './routes';

/** A person's data, by their id (the subject `GET /people?email=` finds). */
export const handler = httpRoute(exportPersonData, async ({ actor, params, query, deps }) => {
  const subject = params.personId ?? '';
  if (subject.length < 1 || subject.length > 200) throw new NotFoundError(`no person ${subject} is known`);
  return json(200, await personalDataOf(deps).export(actor, subject, query.reason), { 'cache-control': 'no-store' });
});
