/**
 * The renderer built for `npm run web` (out/web). Same sources as the Electron renderer; the CSP
 * meta tag and pdf.js's standard fonts come from the shared plugin.
 */
import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { rendererAssets } from './main/web/renderer-assets-plugin';

export default defineConfig({
  root: resolve(import.meta.dirname, 'renderer'),
  base: './',
  plugins: [react(), rendererAssets()],
  build: {
    outDir: resolve(import.meta.dirname, 'out/web'),
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 2000,
  },
});
