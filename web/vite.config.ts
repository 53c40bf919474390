import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

/** The console: one page, built into web/dist, which the local stack serves at / (and CloudFront on AWS). */
export default defineConfig({
  root: import.meta.dirname,
  // No devtools hook: the console is only ever built for use, never served by a dev server.
  plugins: [preact({ devToolsEnabled: false })],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, reportCompressedSize: false },
});
