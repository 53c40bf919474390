import type { Instant } from '../calendar/business-calendar';

/** What the provider keeps about a customer: who to alert, and whether hypercare runs. */
export interface CustomerProfile {
  readonly customerId: string;
  readonly name: string;
  /** The customer's contacts for SLA breach alerts. */
  readonly alertContacts: readonly string[];
  /** The end of the customer's hypercare period, when one is agreed. */
  readonly hypercareUntil?: Instant;
  readonly updatedAt: Instant;
}

export function inHypercare(profile: CustomerProfile | undefined, now: Instant): boolean {
  return profile?.hypercareUntil !== undefined && now < profile.hypercareUntil;
}

/** The port for customer profiles. */
export interface CustomerStore {
  getCustomer(customerId: string): Promise<CustomerProfile | undefined>;
  putCustomer(profile: CustomerProfile): Promise<void>;
  /** Every customer, for notices that go to all of them. */
  allCustomers(): Promise<CustomerProfile[]>;
}
