import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { AssertionAlgorithm } from '#domain/integrations/public-key';
import { CliUsageError } from './cli-error';

async function textOf(option: string, path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    throw new CliUsageError(`${option} ${path}: no such file, or not readable`);
  }
}

/** A JWK, or the one key of a JWK set. */
function jwkOf(option: string, path: string, text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new CliUsageError(`${option} ${path}: neither a PEM key nor JSON`);
  }
  const keys = (value as { keys?: unknown }).keys;
  if (Array.isArray(keys)) {
    if (keys.length !== 1) throw new CliUsageError(`${option} ${path}: a JWK set of ${keys.length} keys; give the one key`);
    value = keys[0];
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new CliUsageError(`${option} ${path}: not a JWK`);
  return value as Record<string, unknown>;
}

/**
 * An integration's public key from a file, as a JWK: a PEM public key
 * (`BEGIN PUBLIC KEY`, SPKI) or a JWK. A private key is refused before
 * anything is sent anywhere.
 */
export async function readPublicKeyFile(option: string, path: string): Promise<Record<string, unknown>> {
  const text = (await textOf(option, path)).trim();
  if (text.startsWith('-----BEGIN')) {
    if (/PRIVATE KEY-----/.test(text))
      throw new CliUsageError(`${option} ${path} is a private key: give the public key only (openssl pkey -in key.pem -pubout), and keep the private key with the system that signs`);
    try {
      return createPublicKey(text).export({ format: 'jwk' }) as Record<string, unknown>;
    } catch {
      throw new CliUsageError(`${option} ${path}: not a PEM public key`);
    }
  }
  const jwk = jwkOf(option, path, text);
  if ('d' in jwk) throw new CliUsageError(`${option} ${path} is a private key: give the public key only, and keep the private key with the system that signs`);
  return jwk;
}

/** An integration's private key from a file (PEM, PKCS#8, SEC1 or PKCS#1; or a JWK), and the algorithm it signs with. */
export async function readPrivateKeyFile(option: string, path: string): Promise<{ key: KeyObject; algorithm: AssertionAlgorithm }> {
  const text = (await textOf(option, path)).trim();
  let key: KeyObject;
  try {
    key = text.startsWith('-----BEGIN') ? createPrivateKey(text) : createPrivateKey({ key: jwkOf(option, path, text) as never, format: 'jwk' });
  } catch (error) {
    if (error instanceof CliUsageError) throw error;
    throw new CliUsageError(`${option} ${path}: not a private key (PEM or JWK)`);
  }
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return { key, algorithm: 'ES256' };
  if (key.asymmetricKeyType === 'rsa') return { key, algorithm: 'RS256' };
  throw new CliUsageError(`${option} ${path}: an integration signs with an EC P-256 key (ES256) or an RSA key (RS256)`);
}
