import { customersOf } from '../services';
import type * as z from 'zod/mini';
import type { CustomerProfile } from '../../domain/customers/customer';
import { hypercareState } from '../../domain/hypercare/hypercare';
import { rateOf } from '../../domain/consultancy/money';
import { rateView } from './consultancy-view';
import { customerIdOf } from './customer-id';
import { etagOf, versionOf } from './etag';
import { httpRoute, json } from './http-route';
import { putCustomer } from './routes';
import type { CustomerProfileBody } from './schemas';

/** An admin sets a customer's name, contacts by purpose, go-live and hypercare weeks, at the version read (If-Match). */
export const handler = httpRoute(putCustomer, async ({ actor, params, body, headers, deps }) => {
  const profile = await customersOf(deps).put(actor, customerIdOf(params, actor), customerInput(body), versionOf(headers['if-match']));
  return json(200, customerView(profile, deps.now(), deps.calendar), { etag: etagOf(profile.version) });
});

/** What a body asks the customer service to set (the onboard command sets a profile the same way). */
export function customerInput(body: z.infer<typeof CustomerProfileBody>) {
  return {
    name: body.name,
    contacts: body.contacts,
    ...(body.goLiveAt ? { goLiveAt: Date.parse(body.goLiveAt) } : {}),
    ...(body.hypercareWeeks ? { hypercareWeeks: body.hypercareWeeks } : {}),
    ...(body.consultancyRate ? { consultancyRate: rateOf(body.consultancyRate.hourly, body.consultancyRate.currency) } : {}),
  };
}

/** A customer as the API shows it, with its hypercare as it stands now. */
export function customerView(profile: CustomerProfile, now: number, calendar: { iso(t: number): string; timeZone: string }) {
  const iso = (t: number) => calendar.iso(t);
  const state = profile.hypercare ? hypercareState(profile.hypercare, now, calendar.timeZone) : undefined;
  return {
    customerId: profile.customerId,
    name: profile.name,
    contacts: profile.contacts.map((c) => ({ email: c.email, ...(c.name ? { name: c.name } : {}), receives: c.receives })),
    goLiveAt: profile.hypercare ? iso(profile.hypercare.goLiveAt) : null,
    hypercareWeeks: profile.hypercare?.weeks ?? null,
    consultancyRate: profile.consultancyRate ? rateView(profile.consultancyRate) : null,
    hypercare: state ? { status: state.status, plannedEndAt: iso(state.plannedEndAt), overdue: state.overdue, ...(state.concludedAt ? { concludedAt: iso(state.concludedAt) } : {}) } : null,
    updatedAt: iso(profile.updatedAt),
    version: profile.version,
  };
}
