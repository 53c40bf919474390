import type { Integration } from '../../domain/integrations/integration';

/** An integration as the API (and the onboard command) shows it. */
export function integrationView(integration: Integration, calendar: { iso(t: number): string }) {
  return {
    integrationId: integration.integrationId,
    customerId: integration.customerId,
    status: integration.revokedAt === undefined ? ('active' as const) : ('revoked' as const),
    algorithm: integration.algorithm,
    thumbprint: integration.thumbprint,
    publicKey: integration.publicKey,
    registeredAt: calendar.iso(integration.registeredAt),
    registeredBy: integration.registeredBy,
    revokedAt: integration.revokedAt === undefined ? null : calendar.iso(integration.revokedAt),
    revokedBy: integration.revokedBy ?? null,
  };
}

export type IntegrationView = ReturnType<typeof integrationView>;
