import { authorize } from '../policy';
import type { Actor } from '../actor';
import { ConcurrentWriteError, ConflictError, InvalidInputError, NotFoundError } from '../errors';
import { isCustomerId } from '../identifiers';
import { type RegisteredKey, registeredKey } from './public-key';

/**
 * An integration's id: what the customer's system names itself with in every
 * assertion it signs (the header's `kid`, and `iss` and `sub`). Lower-case
 * letters, digits and dashes, 3–48, e.g. `acme-erp`.
 */
const INTEGRATION_ID = /^[a-z][a-z0-9-]{1,46}[a-z0-9]$/;
export const isIntegrationId = (value: unknown): value is string => typeof value === 'string' && INTEGRATION_ID.test(value);

/**
 * A customer's own system that calls the API: the public key it signs its
 * assertions with, registered by the provider. Revoked is for ever: a new key
 * is registered under a new id.
 */
export interface Integration extends RegisteredKey {
  readonly integrationId: string;
  readonly customerId: string;
  readonly registeredAt: number;
  readonly registeredBy: string;
  readonly revokedAt?: number;
  readonly revokedBy?: string;
}

export interface IntegrationStore {
  getIntegration(integrationId: string): Promise<Integration | undefined>;
  /** False when the id is taken already. */
  addIntegration(integration: Integration): Promise<boolean>;
  /** False when there is no such integration, or it is revoked already. */
  revokeIntegration(integrationId: string, at: number, by: string): Promise<boolean>;
}

/** Who acts when an integration calls: a customer, its own. */
export const integrationActor = (integration: Pick<Integration, 'integrationId' | 'customerId'>): Actor => ({
  subject: `integration:${integration.integrationId}`,
  role: 'customer',
  customerId: integration.customerId,
});

class InvalidIntegrationIdError extends InvalidInputError {
  readonly type = 'invalid-integration-id';
  constructor(readonly value: unknown) {
    super(`an integration id is 3–48 lower-case letters, digits and dashes, starting with a letter, e.g. acme-erp; not ${JSON.stringify(value)}`);
  }
}

/** The body names a customer with no record: an integration acts for a customer that exists. */
class UnknownCustomerError extends InvalidInputError {
  readonly type = 'unknown-customer';
  constructor(readonly customerId: string) {
    super(`customer ${customerId} has no record: onboard the customer first`);
  }
}

/** The id is registered already, otherwise. */
class IntegrationConflictError extends ConflictError {
  override readonly type = 'integration-conflict';
}

/** Registering, reading and revoking integrations: the provider's admins only (the API's route and the onboard command). */
export class IntegrationService {
  constructor(
    private readonly deps: {
      readonly integrations: IntegrationStore;
      readonly customers: { getCustomer(customerId: string): Promise<unknown> };
      readonly now: () => number;
    },
  ) {}

  async get(actor: Actor, integrationId: string): Promise<Integration> {
    this.adminOnly(actor);
    if (!isIntegrationId(integrationId)) throw new NotFoundError(`integration ${integrationId} not found`);
    const integration = await this.deps.integrations.getIntegration(integrationId);
    if (!integration) throw new NotFoundError(`integration ${integrationId} not found`);
    return integration;
  }

  /**
   * Registers the key for the customer; the same registration again changes
   * nothing (`created` false). The id taken otherwise, or revoked, is a conflict
   * that names what is there.
   */
  async register(actor: Actor, integrationId: string, input: { customerId: string; publicKey: unknown }): Promise<{ integration: Integration; created: boolean }> {
    this.adminOnly(actor);
    if (!isIntegrationId(integrationId)) throw new InvalidIntegrationIdError(integrationId);
    if (!isCustomerId(input.customerId)) throw new UnknownCustomerError(String(input.customerId));
    const key = registeredKey(input.publicKey);
    const existing = await this.deps.integrations.getIntegration(integrationId);
    if (existing) return { integration: sameRegistration(existing, input.customerId, key), created: false };
    if (!(await this.deps.customers.getCustomer(input.customerId))) throw new UnknownCustomerError(input.customerId);
    const integration: Integration = { integrationId, customerId: input.customerId, ...key, registeredAt: this.deps.now(), registeredBy: actor.subject };
    if (await this.deps.integrations.addIntegration(integration)) return { integration, created: true };
    // Registered by someone else meanwhile: the same registration is fine, another is a conflict.
    const raced = await this.deps.integrations.getIntegration(integrationId);
    if (!raced) throw new ConcurrentWriteError(integrationId);
    return { integration: sameRegistration(raced, input.customerId, key), created: false };
  }

  /** Revokes the integration; revoking again keeps the first revocation (`revoked` false). */
  async revoke(actor: Actor, integrationId: string): Promise<{ integration: Integration; revoked: boolean }> {
    const existing = await this.get(actor, integrationId);
    if (existing.revokedAt !== undefined) return { integration: existing, revoked: false };
    const at = this.deps.now();
    if (await this.deps.integrations.revokeIntegration(integrationId, at, actor.subject)) return { integration: { ...existing, revokedAt: at, revokedBy: actor.subject }, revoked: true };
    return { integration: await this.get(actor, integrationId), revoked: false };
  }

  private adminOnly(actor: Actor): void {
    authorize(actor, 'integration.manage');
  }
}

/** The stored registration when it is the one asked for; otherwise what differs, as a conflict. */
function sameRegistration(existing: Integration, customerId: string, key: RegisteredKey): Integration {
  const id = existing.integrationId;
  if (existing.customerId !== customerId) throw new IntegrationConflictError(`integration ${id} is registered to customer ${existing.customerId}, not ${customerId}`);
  if (existing.thumbprint !== key.thumbprint) {
    throw new IntegrationConflictError(`integration ${id} is registered with another key (thumbprint ${existing.thumbprint}): to change keys, register the new key under a new id, then revoke ${id}`);
  }
  if (existing.revokedAt !== undefined) {
    throw new IntegrationConflictError(`integration ${id} was revoked at ${new Date(existing.revokedAt).toISOString()}: register the key under a new id`);
  }
  return existing;
}
