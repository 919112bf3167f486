/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// Dev only: `INBOXD_PROXY=http://127.0.0.1:8780 npm run dev` forwards /api to an
// inboxd so the HTTP backend works same-origin.
const inboxdProxy = process.env.INBOXD_PROXY;

export default defineConfig({
  base: './',
  plugins: [svelte()],
  clearScreen: false,
  server: {
    port: 1420,
    strictPort: true,
    proxy: inboxdProxy ? { '/api': { target: inboxdProxy, changeOrigin: true } } : undefined,
  },
  build: {
    outDir: 'dist',
    target: 'es2021',
    // Keep every asset a real file: the app runs under a strict CSP.
    assetsInlineLimit: 0,
    sourcemap: false,
  },
  test: {
    include: ['tests/**/*.test.ts'],
    environment: 'node',
  },
});
