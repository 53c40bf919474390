import { describe, expect, it } from 'vitest';
import { challengeOf, pkcePair, sessionOf } from '../../web/src/tokens';

const token = (claims: object) => `e30.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`;

describe("the console's sign-in on AWS", () => {
  it("derives the PKCE challenge as RFC 7636's own example does", async () => {
    expect(await challengeOf('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
    const { verifier, challenge } = await pkcePair();
    expect(verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(challenge).toBe(await challengeOf(verifier));
  });

  it('reads the role and customer from the access token the pre token trigger made', () => {
    expect(sessionOf(token({ scope: 'aws.cognito.signin.user.admin sla-desk/customer', customer_id: 'ACME' }))).toEqual({ role: 'customer', customerId: 'ACME', label: 'customer ACME' });
    expect(sessionOf(token({ scope: 'sla-desk/agent openid' }))).toEqual({ role: 'agent', label: 'agent' });
    expect(sessionOf(token({ scope: 'sla-desk/agent', name: 'Ada Agent' }))).toEqual({ role: 'agent', label: 'agent', name: 'Ada Agent' });
    expect(sessionOf(token({ scope: 'sla-desk/customer', customer_id: 'ACME', name: 'Søren Ølgaard' })).name).toBe('Søren Ølgaard');
    expect(() => sessionOf(token({ scope: 'openid' }))).toThrow('no sla-desk role');
    expect(() => sessionOf(token({ scope: 'sla-desk/customer' }))).toThrow('names no customer');
  });
});
