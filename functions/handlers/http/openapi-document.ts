import * as z from 'zod/mini';
import { ROUTES, type RouteSpec } from './routes';
import { AvailabilityQuery, CustomerProfileBody, MonthQuery, NewCommentBody, NewServiceWindowBody, NewTicketBody, PageQuery, TicketChangeBody, TicketListQuery } from './schemas';

const BODIES: Record<string, z.ZodMiniType> = { 'create-ticket': NewTicketBody, 'update-ticket': TicketChangeBody, 'add-comment': NewCommentBody, 'put-customer': CustomerProfileBody, 'create-service-window': NewServiceWindowBody };
const QUERIES: Record<string, z.ZodMiniObject> = {
  'list-tickets': TicketListQuery,
  'list-comments': PageQuery,
  'list-ticket-events': PageQuery,
  'list-service-windows': MonthQuery,
  'get-availability': AvailabilityQuery,
  'get-availability-samples': AvailabilityQuery,
};
const SUMMARIES: Record<string, string> = {
  health: 'Checks the service and its table',
  openapi: 'This document',
  'create-ticket': 'Open a ticket (customer). Honours Idempotency-Key.',
  'list-tickets': 'List tickets, newest first, with cursor pagination',
  'get-ticket': 'A ticket with its first-response SLA',
  'update-ticket': 'Change priority, status, title or category (agent). Honours If-Match.',
  'add-comment': "Comment; an agent's first public comment is the first response",
  'list-comments': 'Comments (customers see public ones only)',
  'list-ticket-events': 'The audit trail',
  'put-customer': "Set a customer's name, SLA alert contacts and hypercare end (admin)",
  'get-customer': 'A customer profile (the provider, or that customer)',
  'create-service-window': 'Announce an extraordinary service window (agent; admin when it has already started); notifies every customer',
  'list-service-windows': 'Service windows overlapping a month',
  'cancel-service-window': 'Cancel a window that has not started',
  'get-availability': "A target's availability for a month, to date",
  'get-availability-samples': 'The raw probe samples of a month, as JSON Lines, for audit',
};

const problem = { description: 'Problem details (RFC 9457)', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } };

function operation(route: RouteSpec) {
  const body = BODIES[route.id];
  const query = QUERIES[route.id];
  const parameters = [
    ...[...route.path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } })),
    ...Object.entries(query ? (z.toJSONSchema(query, { io: 'input' }) as { properties?: Record<string, unknown> }).properties ?? {} : {}).map(
      ([name, schema]) => ({ name, in: 'query', required: false, schema }),
    ),
    ...(route.id === 'create-ticket' ? [{ name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', maxLength: 255 } }] : []),
    ...(route.id === 'update-ticket' ? [{ name: 'If-Match', in: 'header', required: false, schema: { type: 'string' } }] : []),
  ];
  return {
    operationId: route.id,
    summary: SUMMARIES[route.id],
    ...(route.authenticated ? { security: [{ bearer: [] }] } : { security: [] }),
    ...(parameters.length ? { parameters } : {}),
    ...(body ? { requestBody: { required: true, content: { 'application/json': { schema: z.toJSONSchema(body, { io: 'input' }) } } } } : {}),
    responses: {
      ...(route.method === 'DELETE'
        ? { '204': { description: 'Done' } }
        : { [route.method === 'POST' ? '201' : '200']: { description: 'OK', content: { [route.id === 'get-availability-samples' ? 'application/jsonl' : 'application/json']: { schema: { type: 'object' } } } } }),
      '4XX': problem,
      default: problem,
    },
  };
}

/** OpenAPI 3.1, generated from the same route table and zod schemas the handlers use. */
export function openApiDocument() {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of ROUTES) (paths[route.path] ??= {})[route.method.toLowerCase()] = operation(route);
  return {
    openapi: '3.1.0',
    info: { title: 'sla-desk', version: '1.0.0', description: 'Support tickets with first-response SLAs in Danish business hours.' },
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: {
        Problem: {
          type: 'object',
          properties: { type: { type: 'string' }, title: { type: 'string' }, status: { type: 'integer' }, detail: { type: 'string' }, instance: { type: 'string' } },
          required: ['type', 'title', 'status'],
        },
      },
    },
  };
}
