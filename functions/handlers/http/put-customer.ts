import { customerIdOf } from './customer-id';
import { httpRoute, json } from './http-route';
import { putCustomer } from './routes';

/** An admin sets a customer's name, alert contacts and hypercare end. */
export const handler = httpRoute(putCustomer, async ({ actor, params, body, deps }) => {
  const customerId = customerIdOf(params, actor);
  const profile = {
    customerId,
    name: body.name,
    alertContacts: body.alertContacts,
    ...(body.hypercareUntil ? { hypercareUntil: Date.parse(body.hypercareUntil) } : {}),
    updatedAt: deps.now(),
  };
  await deps.customers.putCustomer(profile);
  return json(200, customerView(profile, (t) => deps.calendar.iso(t)));
});

export function customerView(profile: { customerId: string; name: string; alertContacts: readonly string[]; hypercareUntil?: number; updatedAt: number }, iso: (t: number) => string) {
  return {
    customerId: profile.customerId,
    name: profile.name,
    alertContacts: profile.alertContacts,
    hypercareUntil: profile.hypercareUntil === undefined ? null : iso(profile.hypercareUntil),
    updatedAt: iso(profile.updatedAt),
  };
}
