import * as z from 'zod/mini';
import { CUSTOMER_ID } from '../../domain/identifiers';
import { ASSERTION_ALGORITHMS } from '../../domain/integrations/public-key';
import { worded } from '../zod-messages';
import { CUSTOMER } from './schemas';

/**
 * The integrations' requests and answers (the admin routes at the end of the
 * route table, and the onboard command): a customer's system and the public
 * key it signs its assertions with.
 */
const base64url = z.string().check(z.regex(/^[A-Za-z0-9_-]+$/), z.maxLength(1400));

/** A public key as a JWK (RFC 7517): EC P-256 or RSA; members beyond the key's own (kid, use, alg…) are ignored. */
const PublicKeyJwk = z.union([
  z.looseObject({ kty: z.literal('EC'), crv: z.string().check(z.maxLength(20)), x: base64url, y: base64url }),
  z.looseObject({ kty: z.literal('RSA'), n: base64url, e: base64url }),
]);

const KEY_FORM = 'Give the public key as a JWK: an EC key on curve P-256 with its x and y, or an RSA key with its n and e';
const keyPart = (name: string) => ({ label: `the key's ${name}`, form: `Give the key's ${name} in base64url` });

export const IntegrationRegistrationBody = worded(
  z.strictObject({
    /** The customer whose system it is: it acts as that customer. */
    customerId: z.string().check(z.regex(CUSTOMER_ID)),
    publicKey: PublicKeyJwk,
  }),
  {
    customerId: { ...CUSTOMER, missing: 'Name the customer whose system it is' },
    publicKey: { label: 'the public key', form: KEY_FORM },
    'publicKey.kty': { label: 'the key type', form: KEY_FORM },
    'publicKey.crv': { label: "the key's curve" },
    ...Object.fromEntries(['x', 'y', 'n', 'e'].map((name) => [`publicKey.${name}`, keyPart(name)])),
  },
);

export const IntegrationResponse = z.strictObject({
  integrationId: z.string(),
  customerId: z.string(),
  status: z.enum(['active', 'revoked']),
  /** What its assertions are signed with. */
  algorithm: z.enum(ASSERTION_ALGORITHMS),
  /** RFC 7638 thumbprint of the key: compare it with the customer's. */
  thumbprint: z.string(),
  publicKey: z.union([z.strictObject({ kty: z.literal('EC'), crv: z.literal('P-256'), x: z.string(), y: z.string() }), z.strictObject({ kty: z.literal('RSA'), n: z.string(), e: z.string() })]),
  registeredAt: z.iso.datetime({ offset: true }),
  registeredBy: z.string(),
  revokedAt: z.nullable(z.iso.datetime({ offset: true })),
  revokedBy: z.nullable(z.string()),
});
