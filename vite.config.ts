import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import solid from 'vite-plugin-solid';

// The client build: client/ → dist/client, served by the express app.
export default defineConfig({
  root: 'client',
  publicDir: false,
  plugins: [solid()],
  build: {
    outDir: '../dist/client',
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 2000,
    // viewer-harness.html: the PDF viewer alone, for its browser test and benchmark.
    rollupOptions: { input: { index: fileURLToPath(new URL('client/index.html', import.meta.url)), 'viewer-harness': fileURLToPath(new URL('client/viewer-harness.html', import.meta.url)) } },
  },
  server: { proxy: { '/api': 'http://localhost:3000', '/socket.io': { target: 'ws://localhost:3000', ws: true } } },
});
