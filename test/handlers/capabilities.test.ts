import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CAPABILITIES, capabilityEntry, ROUTES } from '#handlers/http/routes';
import type { CapabilityHandler } from '#handlers/http/capability';
import { capabilityHandler } from '#handlers/http/capability';
import { serving } from '#handlers/http/http-route';

/* Each function loads only its own routes, so the route table is not there to check it at load: this test does. */

describe('the capability functions', () => {
  it.each(CAPABILITIES)('%s serves exactly the routes the table declares as its own', async (capability) => {
    const { handler } = (await import(/* @vite-ignore */ resolve(capabilityEntry(capability)))) as { handler: CapabilityHandler };
    expect([...handler.routes].sort()).toEqual(
      ROUTES.filter((r) => r.capability === capability)
        .map((r) => r.id)
        .sort(),
    );
  });

  it('refuses a handler for another capability’s route, and two handlers for one route', () => {
    const ticket = ROUTES.find((r) => r.id === 'get-ticket')!;
    const answer = serving(ticket, async () => ({ statusCode: 200 }));
    expect(() => capabilityHandler('customers', [answer])).toThrow(/get-ticket is declared as tickets/);
    expect(() => capabilityHandler('tickets', [answer, answer])).toThrow(/two handlers for GET \/tickets\/\{id\}/);
  });

  it('dispatches on the route key, and a key it does not serve is a wiring error', async () => {
    const ticket = ROUTES.find((r) => r.id === 'get-ticket')!;
    const handler = capabilityHandler('tickets', [serving(ticket, async () => ({ statusCode: 299 }))]);
    expect(await handler({ routeKey: 'GET /tickets/{id}' } as never)).toEqual({ statusCode: 299 });
    await expect(handler({ routeKey: 'GET /customers' } as never)).rejects.toThrow(/serves no route GET \/customers/);
  });
});
