/**
 * Vite build of the dashboard (static assets of the API Worker: wrangler.toml [assets]). Preact
 * with the automatic JSX runtime; no inline scripts (the CSP in public/_headers forbids them);
 * scripts/build-dashboard.mjs runs this and then adds the API reference (/docs).
 */
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const here = fileURLToPath(new URL(".", import.meta.url));

export default defineConfig({
  root: here,
  base: "/",
  publicDir: "public",
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    // The polyfill would be injected inline; every browser the dashboard targets has modulepreload.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    sourcemap: false,
    reportCompressedSize: false,
  },
});
