/**
 * The server's now, as this browser's clock plus an offset: on the local stack
 * its clock may be set anywhere (`/config.json` says where); on AWS the offset
 * is nil.
 */
let offset = 0;

export async function syncClock(): Promise<void> {
  const response = await fetch('/config.json', { cache: 'no-store' });
  if (!response.ok) return;
  const config = (await response.json()) as { now?: string };
  if (config.now) offset = Date.parse(config.now) - Date.now();
}

export const serverNow = () => Date.now() + offset;
