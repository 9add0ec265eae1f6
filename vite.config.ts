import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// The client lives in client/; the server serves dist/client in production and proxies to Vite in dev.
export default defineConfig({
  root: 'client',
  plugins: [svelte({ configFile: false })],
  build: { outDir: '../dist/client', emptyOutDir: true, target: 'es2020' },
  server: {
    proxy: {
      '/socket.io': { target: 'http://localhost:3000', ws: true },
      '/api': 'http://localhost:3000',
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
