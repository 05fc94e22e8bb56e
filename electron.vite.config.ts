import { resolve } from 'node:path';
import { defineConfig, externalizeDepsPlugin } from 'electron-vite';
import react from '@vitejs/plugin-react';
import { rendererAssets } from './main/web/renderer-assets-plugin';

export default defineConfig({
  main: {
    plugins: [externalizeDepsPlugin()],
    build: {
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'main/index.ts'),
          // The bundled server and its extraction workers run from these in utilityProcesses, never in main.
          'server-host': resolve(__dirname, 'main/bundled-server/server-host.ts'),
          'worker-entry': resolve(__dirname, 'server/jobs/worker-entry.ts'),
          'sandbox-worker': resolve(__dirname, 'server/extraction/sandbox-worker.ts'),
          'embedded-store-thread': resolve(__dirname, 'server/storage/embedded-store-thread.ts'),
          'wal-sync-thread': resolve(__dirname, 'server/db/wal-sync-thread.ts'),
          'small-object-writer-thread': resolve(__dirname, 'server/storage/small-object-writer-thread.ts'),
          // The upload engine's hashing and reading threads (main/core/file-io/file-io-client.ts).
          'file-io-thread': resolve(__dirname, 'main/core/file-io/file-io-thread.ts'),
          // The watched folders' pdf.js preflight (main/core/watch/pdf-check.ts).
          'pdf-check-thread': resolve(__dirname, 'main/core/watch/pdf-check-thread.ts'),
        },
        // Shared chunks sit beside the entries: server code finds its worker files relative to itself.
        output: { chunkFileNames: '[name]-[hash].js' },
      },
    },
  },
  preload: {
    plugins: [externalizeDepsPlugin()],
    build: {
      rollupOptions: {
        input: { index: resolve(__dirname, 'preload/index.ts') },
        // Sandboxed preloads cannot load ES modules: one CommonJS file.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'renderer'),
    plugins: [react(), rendererAssets()],
    build: { rollupOptions: { input: { index: resolve(__dirname, 'renderer/index.html') } } },
  },
});
