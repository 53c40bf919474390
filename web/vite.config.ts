import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

/** The console: one page, built into web/dist, which the local stack serves at / (and CloudFront on AWS). */
export default defineConfig({
  root: import.meta.dirname,
  plugins: [preact()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, reportCompressedSize: false },
});
