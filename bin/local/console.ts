import { existsSync } from 'node:fs';
import { readFile, rename, rm } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import type { HttpResult } from '#handlers/http/http-route';

const ROOT = resolve(import.meta.dirname, '../..');
/** Where the console is built: `npm run build:console`, or the local stack's first start. */
const CONSOLE_DIR = join(ROOT, 'web/dist');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
};

/** Files the build keeps under their own names (from web/public): served as they are, but never cached for good. */
const NAMED_FILES = new Set(['favicon.ico', 'favicon.svg']);

/** The console's own security headers, as CloudFront sets them on AWS. */
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

/**
 * Builds the console into a fresh folder, then moves it into place, so two
 * starts never see half a build. `npm start` builds it only when it is not
 * built yet; the CDK app and the test run always build (`rebuild`), so a
 * deploy or a browser test never takes a build older than `web/src`.
 */
export async function ensureConsole(log: (line: string) => void = console.log, { rebuild = false } = {}): Promise<void> {
  const built = existsSync(join(CONSOLE_DIR, 'index.html'));
  if (built && !rebuild) return;
  log(built ? 'building the console (web/)…' : 'building the console (web/) once…');
  const { build } = await import('vite');
  const staging = `${CONSOLE_DIR}.${process.pid}`;
  await build({ configFile: join(ROOT, 'web/vite.config.ts'), logLevel: 'warn', build: { outDir: staging, emptyOutDir: true } });
  if (rebuild) await rm(CONSOLE_DIR, { recursive: true, force: true });
  try {
    await rename(staging, CONSOLE_DIR);
  } catch {
    // Another start built it meanwhile.
    await rm(staging, { recursive: true, force: true });
  }
}

/** The console's files: `/` and `/index.html` are the page, `/assets/*` what it loads; anything else is the API's. */
export async function consoleFile(path: string): Promise<HttpResult | undefined> {
  const file = path === '/' || path === '/index.html' ? 'index.html' : path.startsWith('/assets/') ? normalize(path.slice(1)) : NAMED_FILES.has(path.slice(1)) ? path.slice(1) : undefined;
  if (!file || file.startsWith('..')) return undefined;
  let body: Buffer;
  try {
    body = await readFile(join(CONSOLE_DIR, file));
  } catch {
    return file === 'index.html' ? { statusCode: 503, headers: { 'content-type': 'text/plain' }, body: 'The console is not built: npm run build:console' } : undefined;
  }
  return {
    statusCode: 200,
    headers: {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'cache-control': file.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
      ...SECURITY_HEADERS,
    },
    body: body.toString('base64'),
    isBase64Encoded: true,
  };
}
