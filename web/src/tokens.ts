/** PKCE and the access token's claims: no DOM here, so the tests run them in Node too. */

type Role = 'customer' | 'agent' | 'finance' | 'admin';

export interface Session {
  readonly role: Role;
  readonly customerId?: string;
  readonly label: string;
  /** The person's name, as the token carries it. */
  readonly name?: string;
}

export const base64url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');

/** RFC 7636's S256: base64url(SHA-256(verifier)). */
export async function challengeOf(verifier: string): Promise<string> {
  return base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
}

/** A random verifier (32 bytes, 43 characters), and its challenge. */
export async function pkcePair(): Promise<{ verifier: string; challenge: string }> {
  const verifier = base64url(crypto.getRandomValues(new Uint8Array(32)));
  return { verifier, challenge: await challengeOf(verifier) };
}

/** Who an access token names: its role scope (`sla-desk/<role>`) and, for a customer, `customer_id`. */
export function sessionOf(token: string): Session {
  const payload = token.split('.')[1] ?? '';
  // UTF-8, so that a name such as Søren reads as written.
  const bytes = Uint8Array.from(atob(payload.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
  const claims = JSON.parse(new TextDecoder().decode(bytes)) as { scope?: string; customer_id?: string; name?: string };
  const role = (claims.scope ?? '')
    .split(' ')
    .find((s) => s.startsWith('sla-desk/'))
    ?.slice('sla-desk/'.length);
  if (role !== 'customer' && role !== 'agent' && role !== 'finance' && role !== 'admin') throw new Error('this account has no sla-desk role');
  if (role === 'customer' && !claims.customer_id) throw new Error('this customer account names no customer');
  return {
    role,
    ...(claims.customer_id ? { customerId: claims.customer_id } : {}),
    label: role === 'customer' ? `customer ${claims.customer_id}` : role,
    ...(claims.name ? { name: claims.name } : {}),
  };
}
