/**
 * Web build of the renderer into dist-web/. `base: './'` so Electron's app:// protocol loads the
 * very same files. Everything (libsodium's WASM, pdf.js's worker) is bundled locally: no CDN.
 */
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  base: './',
  plugins: [react()],
  build: {
    outDir: 'dist-web',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    chunkSizeWarningLimit: 4096,
  },
  worker: { format: 'es' },
  preview: { host: '127.0.0.1', strictPort: true },
});
