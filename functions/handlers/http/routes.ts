import { API_SCOPES } from './identity';

/**
 * Every HTTP route, as data: the local stack and the CDK app both read this
 * table, so the two can never disagree about what exists or who may call it.
 */

export interface RouteSpec {
  /** Also the function's name: one Lambda function per route. */
  readonly id: string;
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** API Gateway route path, with `{name}` parameters. */
  readonly path: string;
  /** Handler module, relative to the repository root; it exports `handler`. */
  readonly entry: string;
  /** False for routes that need no token (health, the OpenAPI document). */
  readonly authenticated: boolean;
  /** Whether the function writes to the table (least privilege otherwise). */
  readonly writes: boolean;
  /** The authorizer lets a token through only with one of these scopes; none for public routes. */
  readonly authorizationScopes: readonly string[];
}

const http = (id: string, method: RouteSpec['method'], path: string, options: Partial<Pick<RouteSpec, 'authenticated' | 'writes'>> = {}): RouteSpec => ({
  id,
  method,
  path,
  entry: `functions/handlers/http/${id}.ts`,
  authenticated: options.authenticated ?? true,
  writes: options.writes ?? false,
  authorizationScopes: (options.authenticated ?? true) ? API_SCOPES : [],
});

export const ROUTES: readonly RouteSpec[] = [
  http('health', 'GET', '/health', { authenticated: false }),
  http('openapi', 'GET', '/openapi.json', { authenticated: false }),
  http('create-ticket', 'POST', '/tickets', { writes: true }),
  http('list-tickets', 'GET', '/tickets'),
  http('get-ticket', 'GET', '/tickets/{id}'),
  http('update-ticket', 'PATCH', '/tickets/{id}', { writes: true }),
  http('add-comment', 'POST', '/tickets/{id}/comments', { writes: true }),
  http('list-comments', 'GET', '/tickets/{id}/comments'),
  http('list-ticket-events', 'GET', '/tickets/{id}/events'),
  http('put-customer', 'PUT', '/customers/{id}', { writes: true }),
  http('get-customer', 'GET', '/customers/{id}'),
  http('create-service-window', 'POST', '/service-windows', { writes: true }),
  http('list-service-windows', 'GET', '/service-windows'),
  http('cancel-service-window', 'DELETE', '/service-windows/{id}', { writes: true }),
  http('get-availability', 'GET', '/availability'),
  http('get-availability-samples', 'GET', '/availability/samples'),
];
