import { describe, expect, it } from 'vitest';
import { CALLER_ROLES, type CallerRole } from '#domain/actor';
import { ForbiddenError } from '#domain/errors';
import { type Action, authorize, may, POLICY } from '#domain/policy';
import { ROUTES } from '#handlers/http/routes';

/** Who may do what, written out from the contract and the roles' purposes, independently of the table. */
const EXPECTED: Record<Action, readonly CallerRole[]> = {
  'ticket.open': ['customer'],
  'ticket.read': ['customer', 'agent', 'finance', 'admin'],
  'ticket.comment': ['customer', 'agent', 'admin'],
  'ticket.work': ['agent', 'admin'],
  'ticket.assign': ['agent', 'admin'],
  'ticket.read-assignee': ['agent', 'finance', 'admin'],
  'people.list': ['agent', 'finance', 'admin'],
  'customer.read': ['customer', 'agent', 'finance', 'admin'],
  'customer.list': ['agent', 'finance', 'admin'],
  'customer.manage': ['admin'],
  'hypercare.sign-off': ['customer', 'agent', 'admin'],
  'hypercare.decide': ['admin'],
  'availability.read': ['customer', 'agent', 'finance', 'admin'],
  'service-window.announce': ['agent', 'admin'],
  'service-window.announce-retroactive': ['admin'],
  'consultancy.read': ['customer', 'agent', 'finance', 'admin'],
  'consultancy.propose': ['customer', 'agent', 'admin'],
  'consultancy.decide': ['customer'],
  'consultancy.deliver': ['agent', 'admin'],
  'consultancy.bill': ['customer', 'finance', 'admin'],
  'report.read': ['customer', 'finance', 'admin'],
  'report.generate': ['finance', 'admin'],
  'integration.manage': ['admin'],
  'person.data': ['admin'],
};

describe('the authorization policy', () => {
  it.each(Object.keys(EXPECTED) as Action[])('%s: exactly the roles it should have', (action) => {
    expect(CALLER_ROLES.filter((role) => may({ role }, action))).toEqual(CALLER_ROLES.filter((role) => EXPECTED[action].includes(role)));
  });

  it('refuses with the sentence people read, and lets the desk’s own timers (system) do nothing by it', () => {
    expect(() => authorize({ role: 'finance' }, 'ticket.comment')).toThrow(new ForbiddenError(POLICY['ticket.comment'].refused));
    expect((Object.keys(POLICY) as Action[]).filter((action) => may({ role: 'system' }, action))).toEqual([]);
  });

  it('every route that takes a token names an action, and its roles are that action’s', () => {
    for (const route of ROUTES.filter((r) => r.authenticated)) expect([route.id, route.roles]).toEqual([route.id, POLICY[route.action!].roles]);
    expect(ROUTES.filter((r) => !r.authenticated).map((r) => [r.id, r.action])).toEqual([
      ['health', undefined],
      ['openapi', undefined],
    ]);
  });
});
