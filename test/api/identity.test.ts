import { describe, expect, it } from 'vitest';
import { integrationActor } from '#domain/integrations/integration';
import { actorFromAuthorizer, authorizerContext, personActor } from '#handlers/http/identity';
import { RequestError } from '#handlers/http/problem';

describe("a person's actor, from the claims of a verified access token", () => {
  it.each<[string, Record<string, unknown>, object]>([
    ['an agent', { sub: 'u1', 'cognito:groups': ['agents'], scope: 'sla-desk/agent' }, { role: 'agent', subject: 'u1' }],
    ['admin wins over agent', { sub: 'u1', 'cognito:groups': ['agents', 'admins'], scope: 'sla-desk/admin' }, { role: 'admin' }],
    ['finance', { sub: 'u1', 'cognito:groups': ['finance'], scope: 'aws.cognito.signin.user.admin sla-desk/finance' }, { role: 'finance' }],
    ['a customer user (the customer claim from the trigger)', { sub: 'u2', client_id: 'web', customer_id: 'ACME', scope: 'sla-desk/customer' }, { role: 'customer', customerId: 'ACME' }],
    ['a provider group wins over a customer claim', { sub: 'u2', customer_id: 'ACME', 'cognito:groups': ['finance'], scope: 'sla-desk/finance' }, { role: 'finance' }],
  ])('%s', (_, claims, expected) => {
    expect(personActor(claims)).toMatchObject(expected);
  });

  it.each<[string, Record<string, unknown>]>([
    ['no subject', { 'cognito:groups': ['agents'], scope: 'sla-desk/agent' }],
    ['no API scope (an ID token, or a person the trigger gave none)', { sub: 'u1', 'cognito:groups': ['agents'] }],
    ['a malformed customer id', { sub: 'u4', customer_id: 'acme; drop', scope: 'sla-desk/customer' }],
    ["an ID token's customer attribute (only access tokens name the customer)", { sub: 'u5', 'custom:customer_id': 'ACME', scope: 'sla-desk/customer' }],
  ])('refuses %s', (_, claims) => {
    expect(personActor(claims)).toEqual({ refused: expect.any(String) });
  });
});

describe("who is calling, as a route's function reads it from the authorizer's context", () => {
  it('reads back what the authorizer gave, for a person and an integration', () => {
    const agent = { subject: 'u1', role: 'agent' as const };
    expect(actorFromAuthorizer(authorizerContext(agent))).toEqual(agent);
    const erp = integrationActor({ integrationId: 'acme-erp', customerId: 'ACME' });
    expect(erp).toEqual({ subject: 'integration:acme-erp', role: 'customer', customerId: 'ACME' });
    expect(actorFromAuthorizer(authorizerContext(erp))).toEqual(erp);
  });

  it.each<[string, unknown]>([
    ['no context (a route without the authorizer)', undefined],
    ['no subject', { role: 'agent' }],
    ['an unknown role', { subject: 'u1', role: 'system' }],
    ['a customer without its customer', { subject: 'u1', role: 'customer' }],
    ['a provider role naming a customer', { subject: 'u1', role: 'agent', customerId: 'ACME' }],
    ['a malformed customer', { subject: 'u1', role: 'customer', customerId: 'acme' }],
  ])('refuses %s with 401', (_, context) => {
    try {
      actorFromAuthorizer(context);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(RequestError);
      expect((error as RequestError).status).toBe(401);
    }
  });
});
