import { describe, expect, it } from 'vitest';
import { actorFromClaims } from '../../functions/handlers/http/identity';
import { RequestError } from '../../functions/handlers/http/problem';

const clients = { 'abc123client': 'ACME' };

describe('identity from the claims API Gateway passes on', () => {
  it.each<[string, Record<string, string>, object]>([
    ['an agent (groups as "[a b]")', { sub: 'u1', 'cognito:groups': '[agents]' }, { role: 'agent', subject: 'u1' }],
    ['admin wins over agent', { sub: 'u1', 'cognito:groups': '[agents admins]' }, { role: 'admin' }],
    ['finance', { sub: 'u1', 'cognito:groups': '[finance]' }, { role: 'finance' }],
    ['a customer user (access token, customer claim from the trigger)', { sub: 'u2', client_id: 'web', customer_id: 'ACME', scope: 'sla-desk/customer' }, { role: 'customer', customerId: 'ACME' }],
    ['a provider group wins over a customer claim', { sub: 'u2', customer_id: 'ACME', 'cognito:groups': '[finance]' }, { role: 'finance' }],
    ['a machine client as Cognito issues it (sub = client_id)', { sub: 'abc123client', client_id: 'abc123client', scope: 'sla-desk/tickets', token_use: 'access' }, { role: 'customer', customerId: 'ACME' }],
  ])('%s', (_, claims, expected) => {
    expect(actorFromClaims(claims, clients)).toMatchObject(expected);
  });

  it.each<[string, Record<string, string> | undefined, number]>([
    ['no claims', undefined, 401],
    ['no subject', { 'cognito:groups': '[agents]' }, 401],
    ['a machine client without the tickets scope', { sub: 'abc123client', client_id: 'abc123client', scope: 'openid' }, 403],
    ['an unregistered machine client', { sub: 'other', client_id: 'other', scope: 'sla-desk/tickets' }, 403],
    ["a person's access token naming a client", { sub: 'u3', client_id: 'abc123client', scope: 'sla-desk/tickets' }, 403],
    ['a malformed customer id', { sub: 'u4', customer_id: 'acme; drop' }, 403],
    ["an ID token's customer attribute (only access tokens name the customer)", { sub: 'u5', 'custom:customer_id': 'ACME' }, 403],
    ['a machine client claiming a customer', { sub: 'other', client_id: 'other', customer_id: 'ACME', scope: 'sla-desk/tickets' }, 403],
  ])('refuses %s', (_, claims, status) => {
    try {
      actorFromClaims(claims, clients);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(RequestError);
      expect((error as RequestError).status).toBe(status);
    }
  });
});
