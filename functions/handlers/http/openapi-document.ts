import * as z from 'zod/mini';
import { CORRELATION_ID } from '../../adapters/correlation';
import { ProblemResponse } from './responses';
import { ROUTES, type RouteSpec } from './routes';

/** A zod schema as the document embeds it (the document names the dialect once, not each schema). */
function jsonSchema(schema: z.ZodMiniType, io: 'input' | 'output'): Record<string, unknown> {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
}

const problemBody = { description: 'Problem details (RFC 9457)', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } };

const HEADERS = {
  idempotencyKey: {
    name: 'Idempotency-Key',
    in: 'header',
    required: false,
    description: 'A retry with the same key and body replays the first answer; another body is 422.',
    schema: { type: 'string', maxLength: 255 },
  },
  ifMatch: { name: 'If-Match', in: 'header', required: false, description: 'The ETag a read gave; a stale one is 409.', schema: { type: 'string' } },
  correlationId: { $ref: '#/components/parameters/CorrelationId' },
};

/** Every answer, problems included, names the correlation id its logs carry. */
const correlated = { 'x-correlation-id': { $ref: '#/components/headers/CorrelationId' } };
const problem = { ...problemBody, headers: correlated };

function operation(route: RouteSpec) {
  const query = route.query ? (jsonSchema(route.query, 'input') as { properties?: Record<string, unknown>; required?: string[] }) : {};
  const queryProperties = query.properties ?? {};
  const parameters = [
    ...[...route.path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } })),
    ...Object.entries(queryProperties).map(([name, schema]) => ({ name, in: 'query', required: (query.required ?? []).includes(name), schema })),
    ...(route.idempotencyKey ? [HEADERS.idempotencyKey] : []),
    ...(route.ifMatch ? [HEADERS.ifMatch] : []),
    HEADERS.correlationId,
  ];
  const responses = Object.fromEntries(
    Object.entries(route.responses).map(([status, answer]) => [
      status,
      {
        description: answer.description,
        headers: correlated,
        ...(answer.schema || answer.contentType
          ? {
              content: Object.fromEntries(
                [answer.contentType ?? 'application/json']
                  .flat()
                  .map((type) => [type, { schema: answer.schema ? jsonSchema(answer.schema, 'output') : type === 'application/json' ? { type: 'object' } : { type: 'string' } }]),
              ),
            }
          : {}),
      },
    ]),
  );
  return {
    operationId: route.id,
    summary: route.summary,
    ...(route.authenticated ? { security: [{ bearer: [] }], 'x-roles': route.roles } : { security: [] }),
    ...(parameters.length ? { parameters } : {}),
    ...(route.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(route.body, 'input') } } } } : {}),
    responses: { ...responses, '4XX': problem, default: problem },
  };
}

/** OpenAPI 3.1, generated from the route declarations and the zod schemas the handlers use. */
export function openApiDocument() {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of ROUTES) (paths[route.path] ??= {})[route.method.toLowerCase()] = operation(route);
  return {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: { title: 'sla-desk', version: '1.0.0', description: 'Support tickets with first-response SLAs in Danish business hours.' },
    // Relative: the document is served from the API's own root, locally and on AWS alike.
    servers: [{ url: '/', description: 'This API' }],
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'A Cognito access token (people) or client-credentials token (integrations)' } },
      schemas: { Problem: jsonSchema(ProblemResponse, 'output') },
      parameters: {
        CorrelationId: {
          name: 'X-Correlation-Id',
          in: 'header',
          required: false,
          description: "Names the request in the logs, the SLA timers it arms and the alerts they raise; without it, the gateway's request id does.",
          schema: { type: 'string', pattern: CORRELATION_ID.source },
        },
      },
      headers: { CorrelationId: { description: 'The correlation id of this request', schema: { type: 'string' } } },
    },
  };
}
