import { defineConfig } from 'vite';

/**
 * Built during `pnpm install` (scripts/build-admin-ui.mjs) into dist/, which the API serves under
 * /ui/. Hashed file names under assets/ (cached for a year); index.html is never cached. No inline
 * script anywhere, so the API's CSP can say script-src 'self'.
 */
export default defineConfig({
  base: '/ui/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  // `pnpm --filter @mailroom/admin-ui dev`: hot reload against an API running on this machine.
  server: { proxy: { '/v1': process.env.MAILROOM_API_URL ?? 'http://127.0.0.1:8080' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    // Small images or fonts as data: URIs would need img-src data:; keep every asset a file.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
    target: 'es2022',
  },
});
