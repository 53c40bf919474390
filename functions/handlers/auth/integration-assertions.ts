import { randomUUID } from 'node:crypto';
import type { CryptoKey, KeyObject } from 'jose';
import { SignJWT } from 'jose/jwt/sign';
import type { AssertionAlgorithm } from '../../domain/integrations/public-key';

/**
 * How a customer's system proves who it is (the `private_key_jwt` pattern,
 * RFC 7523, sent straight to the API as its bearer token): a JWT it signs with
 * its own private key, whose public key the provider registered for it.
 *
 *   header   alg ES256 or RS256, kid = the integration's id
 *   payload  iss = sub = the integration's id, aud = the API's audience,
 *            iat and exp, exp at most 5 minutes after iat
 */
export const MAX_ASSERTION_LIFETIME_SECONDS = 5 * 60;

/** Clocks disagree a little: iat may lie this far ahead of ours, exp this far behind. */
export const CLOCK_TOLERANCE_SECONDS = 30;

/**
 * The audience an assertion must name: one per stage, so an assertion made for
 * one deployment (or the local stack, `local`) is refused by every other.
 */
export const integrationAudience = (stage: string) => `urn:sla-desk:${stage}`;

/**
 * Revocation, within a minute. Two caches stand between a revocation and the
 * first refusal:
 *
 *   1. a warm authorizer reuses an integration's record for at most
 *      INTEGRATION_CACHE_SECONDS after reading it, so from 30 s after the
 *      revocation every invocation reads the revoked record (strongly
 *      consistent reads);
 *   2. API Gateway reuses an authorizer's answer for the same Authorization
 *      header for at most AUTHORIZER_RESULT_TTL_SECONDS, so an answer given just
 *      before that moment lasts at most 30 s more.
 *
 * 30 + 30: every request is refused at most 60 s after the revocation. An
 * erased person's tokens are refused the same way: their record is read
 * again after at most INTEGRATION_CACHE_SECONDS.
 */
export const INTEGRATION_CACHE_SECONDS = 30;
export const AUTHORIZER_RESULT_TTL_SECONDS = 30;
export const REVOCATION_EFFECTIVE_WITHIN_SECONDS = INTEGRATION_CACHE_SECONDS + AUTHORIZER_RESULT_TTL_SECONDS;

/** An assertion as a customer's system makes one (the token command and the tests make them the same way). */
export function signAssertion(
  privateKey: CryptoKey | KeyObject,
  options: { integrationId: string; audience: string; algorithm: AssertionAlgorithm; lifetimeSeconds?: number; now?: number },
): Promise<string> {
  const iat = Math.floor((options.now ?? Date.now()) / 1000);
  return new SignJWT({ jti: randomUUID() })
    .setProtectedHeader({ alg: options.algorithm, kid: options.integrationId, typ: 'JWT' })
    .setIssuer(options.integrationId)
    .setSubject(options.integrationId)
    .setAudience(options.audience)
    .setIssuedAt(iat)
    .setExpirationTime(iat + (options.lifetimeSeconds ?? MAX_ASSERTION_LIFETIME_SECONDS))
    .sign(privateKey);
}
