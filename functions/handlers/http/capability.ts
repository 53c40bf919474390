import type { Context } from 'aws-lambda';
import type { HttpEvent, HttpResult } from './http-route';
import { type Capability, ROUTES, routeKey } from './routes';

export type HttpHandler = (event: HttpEvent, context?: Context) => Promise<HttpResult>;

/**
 * One capability's function: each of its declared routes' handlers, chosen by
 * the route key API Gateway (or the twin) says the request matched. The
 * handlers given must be exactly the capability's declared routes, so a route
 * added to the table but not here fails at load, not on its first request.
 * `$default` is answered by `noRoute` where it is given.
 */
export function capabilityHandler(capability: Capability, handlers: Readonly<Record<string, HttpHandler>>, noRoute?: HttpHandler): HttpHandler {
  const declared = ROUTES.filter((route) => route.capability === capability);
  const ids = new Set(declared.map((route) => route.id));
  const missing = [...ids].filter((id) => !handlers[id]);
  const extra = Object.keys(handlers).filter((id) => !ids.has(id));
  if (missing.length || extra.length) {
    throw new Error(`capability ${capability}: ${[missing.length ? `no handler for ${missing.join(', ')}` : '', extra.length ? `${extra.join(', ')} not declared as ${capability} routes` : ''].filter(Boolean).join('; ')}`);
  }
  const byKey = new Map<string, HttpHandler>(declared.map((route) => [routeKey(route), handlers[route.id]!]));
  if (noRoute) byKey.set('$default', noRoute);
  return (event, context) => {
    const handler = byKey.get(event.routeKey);
    // Only a wiring mistake gets here: API Gateway sends a function only the routes integrated with it.
    if (!handler) return Promise.reject(new Error(`capability ${capability} serves no route ${event.routeKey}`));
    return handler(event, context);
  };
}
