import { type Capability, routeKey } from './routes';
import type { HttpHandler, RouteHandler } from './http-route';

/** A capability's function, and the ids of the routes it serves (a test holds them to the route table). */
export type CapabilityHandler = HttpHandler & { readonly routes: readonly string[] };

/**
 * One capability's function: its routes' handlers, chosen by the route key
 * API Gateway (or the twin) says the request matched. Each handler names the
 * route it serves, so the function loads only its own routes' declarations
 * and schemas, never the whole table. `$default` is answered by `noRoute`
 * where it is given.
 */
export function capabilityHandler(capability: Capability, handlers: readonly RouteHandler[], noRoute?: HttpHandler): CapabilityHandler {
  const byKey = new Map<string, HttpHandler>();
  for (const handler of handlers) {
    const { route } = handler;
    if (route.capability !== capability) throw new Error(`capability ${capability}: route ${route.id} is declared as ${route.capability}'s`);
    if (byKey.has(routeKey(route))) throw new Error(`capability ${capability}: two handlers for ${routeKey(route)}`);
    byKey.set(routeKey(route), handler);
  }
  if (noRoute) byKey.set('$default', noRoute);
  const dispatch: HttpHandler = (event, context) => {
    const handler = byKey.get(event.routeKey);
    // Only a wiring mistake gets here: API Gateway sends a function only the routes integrated with it.
    if (!handler) return Promise.reject(new Error(`capability ${capability} serves no route ${event.routeKey}`));
    return handler(event, context);
  };
  return Object.assign(dispatch, { routes: handlers.map((h) => h.route.id) });
}
