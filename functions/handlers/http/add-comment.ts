import { httpRoute, json } from './http-route';
import { NewCommentBody } from './schemas';
import { ticketIdOf } from './ticket-id';

export const handler = httpRoute({ roles: ['customer', 'agent', 'admin'], body: NewCommentBody }, async ({ actor, params, body, deps }) =>
  json(201, await deps.tickets.comment(actor, ticketIdOf(params), body)),
);
