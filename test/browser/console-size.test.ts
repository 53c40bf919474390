import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

/*
 * What a person's browser fetches before the console can draw: the page's
 * module script and whatever it preloads, and its stylesheet. The budget is
 * gzipped bytes, as they travel (the console-setup builds it from the sources).
 */
const DIST = 'web/dist';
const KiB = 1024;

async function initial(kind: 'script' | 'style'): Promise<number> {
  const page = await readFile(join(DIST, 'index.html'), 'utf8');
  const pattern = kind === 'script' ? /<(?:script type="module"[^>]*src|link rel="modulepreload"[^>]*href)="\/([^"]+)"/g : /<link rel="stylesheet"[^>]*href="\/([^"]+)"/g;
  const files = [...page.matchAll(pattern)].map((m) => m[1]!);
  expect(files.length, `the page names its ${kind}`).toBeGreaterThan(0);
  let bytes = 0;
  for (const file of files) bytes += gzipSync(await readFile(join(DIST, file)), { level: 9 }).length;
  return bytes;
}

describe('the console stays small', () => {
  it('its initial JavaScript is at most 60 KiB gzipped', async () => {
    expect(await initial('script')).toBeLessThanOrEqual(60 * KiB);
  });

  it('its one stylesheet is at most 6 KiB gzipped', async () => {
    expect(await initial('style')).toBeLessThanOrEqual(6 * KiB);
  });
});
