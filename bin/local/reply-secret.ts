import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The local stack's inbound domain: its ticket emails' Reply-To addresses are at it. */
export const LOCAL_INBOUND_DOMAIN = 'inbound.sla-desk.local';

/**
 * The local stand-in for the stage's reply-address secret: made once per
 * DATA_DIR and kept there, so the Reply-To of an email sent before a restart
 * still verifies after it.
 */
export async function localReplySecret(dataDir: string): Promise<string> {
  const path = join(dataDir, 'reply-address-secret');
  const known = await readFile(path, 'utf8').catch(() => undefined);
  if (known) return known.trim();
  const secret = randomBytes(32).toString('hex');
  await mkdir(dataDir, { recursive: true });
  // Exclusive: two stacks starting on one DATA_DIR keep whichever secret was written first.
  await writeFile(path, secret, { flag: 'wx', mode: 0o600 }).catch(() => undefined);
  return (await readFile(path, 'utf8')).trim();
}
