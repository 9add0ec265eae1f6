import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// The client lives in client/; the server serves dist/client in production. In development
// (`npm run dev`) Vite serves the client and passes the server's paths on to it: HTTP under /api, and
// the two WebSocket endpoints, Socket.IO and the board documents (Yjs).
const server = `http://localhost:${process.env.PORT || 3000}`;

export default defineConfig({
  root: 'client',
  plugins: [svelte({ configFile: false })],
  build: { outDir: '../dist/client', emptyOutDir: true, target: 'es2020' },
  server: {
    proxy: {
      '/socket.io': { target: server, ws: true },
      '/yjs/': { target: server, ws: true },
      '/api': server,
    },
  },
  test: {
    root: '.',
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/globalSetup.ts'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    fileParallelism: true,
    maxWorkers: 2,
  },
});
