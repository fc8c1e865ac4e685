/**
 * Builds the dashboard into dashboard/dist (the Worker's static assets, wrangler.toml [assets]):
 *  1. `vite build` of dashboard/ (Preact app, public/_headers with the CSP);
 *  2. the API reference at /docs: Swagger UI's browser bundle and stylesheet copied from
 *     node_modules/swagger-ui-dist (with its licence), next to public/docs/;
 *  3. the standing size check: the dashboard's JavaScript must stay within 100 KiB gzip.
 * Run by wrangler before `wrangler dev` and `wrangler deploy` ([build] in wrangler.toml), so
 * `npm start`, `npm test` and deployments build it from a fresh clone.
 */
import { copyFileSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "vite";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(root, "dashboard", "dist");
/** The dashboard's JavaScript budget (gzip), docs/usage.md#the-dashboard. /docs is exempt. */
export const JS_BUDGET_BYTES = 100 * 1024;

/** Gzip size of every JavaScript file of the dashboard (dist/assets). */
export function dashboardJsBytes(folder = dist) {
  const assets = join(folder, "assets");
  return readdirSync(assets)
    .filter((name) => name.endsWith(".js"))
    .reduce((sum, name) => sum + gzipSync(readFileSync(join(assets, name)), { level: 9 }).length, 0);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await build({ configFile: join(root, "dashboard", "vite.config.ts"), logLevel: "warn" });
  const swagger = join(root, "node_modules", "swagger-ui-dist");
  for (const [from, to] of [
    ["swagger-ui-bundle.js", "swagger-ui-bundle.js"],
    ["swagger-ui.css", "swagger-ui.css"],
    ["LICENSE", "SWAGGER-UI-LICENSE.txt"],
    ["NOTICE", "SWAGGER-UI-NOTICE.txt"],
  ]) {
    copyFileSync(join(swagger, from), join(dist, "docs", to));
  }
  const bytes = dashboardJsBytes();
  const kib = (bytes / 1024).toFixed(1);
  if (bytes > JS_BUDGET_BYTES) {
    console.error(`dashboard: ${kib} KiB of JavaScript (gzip) is over the ${JS_BUDGET_BYTES / 1024} KiB budget.`);
    process.exit(1);
  }
  console.log(`dashboard: built into dashboard/dist (${kib} KiB of JavaScript, gzip; budget ${JS_BUDGET_BYTES / 1024} KiB)`);
}
