import { createHash, createPublicKey } from 'node:crypto';
import { InvalidInputError } from '../errors';

/** What an integration's assertions may be signed with: ECDSA P-256 or RSA (2048 bits or more). */
export const ASSERTION_ALGORITHMS = ['ES256', 'RS256'] as const;
export type AssertionAlgorithm = (typeof ASSERTION_ALGORITHMS)[number];

/** A public key as stored and served: only the members that make the key (RFC 7517), nothing private. */
export type PublicJwk = { readonly kty: 'EC'; readonly crv: 'P-256'; readonly x: string; readonly y: string } | { readonly kty: 'RSA'; readonly n: string; readonly e: string };

/** The key a customer registered, as the authorizer verifies with it. */
export interface RegisteredKey {
  readonly algorithm: AssertionAlgorithm;
  readonly publicKey: PublicJwk;
  /** RFC 7638 thumbprint (SHA-256, base64url): how people compare keys without reading them out. */
  readonly thumbprint: string;
}

export class InvalidPublicKeyError extends InvalidInputError {
  readonly type = 'invalid-public-key';
}

const MIN_RSA_BITS = 2048;
const B64URL = /^[A-Za-z0-9_-]+$/;

/**
 * A public key as a JWK, checked: an EC P-256 key (ES256) or an RSA key of at
 * least 2048 bits (RS256). A private key is refused outright, so a private key
 * sent by mistake is never stored.
 */
export function registeredKey(jwk: unknown): RegisteredKey {
  if (!jwk || typeof jwk !== 'object' || Array.isArray(jwk)) throw new InvalidPublicKeyError('the public key must be a JWK object');
  const key = jwk as Record<string, unknown>;
  if (['d', 'p', 'q', 'dp', 'dq', 'qi', 'k'].some((member) => member in key)) {
    throw new InvalidPublicKeyError('this is a private key: register the public key only, and keep the private key with the system that signs');
  }
  let publicKey: PublicJwk;
  let algorithm: AssertionAlgorithm;
  if (key.kty === 'EC') {
    if (key.crv !== 'P-256') throw new InvalidPublicKeyError(`an EC key must be on curve P-256 (ES256), not ${String(key.crv)}`);
    if (typeof key.x !== 'string' || typeof key.y !== 'string' || !B64URL.test(key.x) || !B64URL.test(key.y)) throw new InvalidPublicKeyError('an EC key needs its x and y, base64url');
    publicKey = { kty: 'EC', crv: 'P-256', x: key.x, y: key.y };
    algorithm = 'ES256';
  } else if (key.kty === 'RSA') {
    if (typeof key.n !== 'string' || typeof key.e !== 'string' || !B64URL.test(key.n) || !B64URL.test(key.e)) throw new InvalidPublicKeyError('an RSA key needs its n and e, base64url');
    const bits = Buffer.from(key.n, 'base64url').length * 8;
    if (bits < MIN_RSA_BITS) throw new InvalidPublicKeyError(`an RSA key must have at least ${MIN_RSA_BITS} bits, not ${bits}`);
    publicKey = { kty: 'RSA', n: key.n, e: key.e };
    algorithm = 'RS256';
  } else {
    throw new InvalidPublicKeyError(`the key type must be EC (P-256, ES256) or RSA (RS256), not ${String(key.kty)}`);
  }
  if (key.alg !== undefined && key.alg !== algorithm) throw new InvalidPublicKeyError(`a ${publicKey.kty} key here signs with ${algorithm}, not ${String(key.alg)}`);
  try {
    // The point must lie on the curve, the modulus be a modulus: what the runtime will verify with.
    createPublicKey({ key: publicKey as never, format: 'jwk' });
  } catch {
    throw new InvalidPublicKeyError('the public key is not a valid key');
  }
  return { algorithm, publicKey, thumbprint: thumbprintOf(publicKey) };
}

/** RFC 7638: the required members in lexicographic order, no whitespace, hashed with SHA-256. */
function thumbprintOf(key: PublicJwk): string {
  const canonical = key.kty === 'EC' ? { crv: key.crv, kty: key.kty, x: key.x, y: key.y } : { e: key.e, kty: key.kty, n: key.n };
  return createHash('sha256').update(JSON.stringify(canonical)).digest('base64url');
}
