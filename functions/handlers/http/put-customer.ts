import type { CustomerProfile } from '../../domain/customers/customer';
import { customerIdOf } from './customer-id';
import { etagOf, versionOf } from './etag';
import { httpRoute, json } from './http-route';
import { putCustomer } from './routes';

/** An admin sets a customer's name, alert contacts and hypercare end, at the version read (If-Match). */
export const handler = httpRoute(putCustomer, async ({ actor, params, body, headers, deps }) => {
  const profile = await deps.customerService.put(
    actor,
    customerIdOf(params, actor),
    { name: body.name, alertContacts: body.alertContacts, ...(body.hypercareUntil ? { hypercareUntil: Date.parse(body.hypercareUntil) } : {}) },
    versionOf(headers['if-match']),
  );
  return json(200, customerView(profile, (t) => deps.calendar.iso(t)), { etag: etagOf(profile.version) });
});

export function customerView(profile: CustomerProfile, iso: (t: number) => string) {
  return {
    customerId: profile.customerId,
    name: profile.name,
    alertContacts: profile.alertContacts,
    hypercareUntil: profile.hypercareUntil === undefined ? null : iso(profile.hypercareUntil),
    updatedAt: iso(profile.updatedAt),
    version: profile.version,
  };
}
