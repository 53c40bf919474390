import { assignablePeople, peopleWithEmail } from '../../domain/people/people';
import { httpRoute, json } from './http-route';
import { listPeople } from './routes';

export const handler = httpRoute(listPeople, async ({ actor, query, deps }) =>
  json(200, query.email !== undefined ? await peopleWithEmail(deps.people, actor, query.email) : await assignablePeople(deps.people, actor, query.limit, query.cursor)),
);
