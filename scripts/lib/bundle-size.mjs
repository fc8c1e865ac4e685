/**
 * The API Worker's bundle size budget, checked by `npm test` (through `npm run deploy -- --dry-run`)
 * on what `wrangler deploy --dry-run --outdir` writes.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

/**
 * Most the API Worker may weigh, gzip-compressed, in KiB. Raise it only together with a line in
 * docs/performance.md ("Bundle size") that names what paid for the raise.
 */
export const BUNDLE_LIMIT_KIB = 144;

/** Sizes of the Worker modules in a `--outdir` (source maps and wrangler's README left out), in KiB. */
export function measureBundle(outdir) {
  let raw = 0;
  let gzip = 0;
  const files = readdirSync(outdir).filter((name) => /\.(m?js|wasm)$/.test(name));
  for (const name of files) {
    const bytes = readFileSync(join(outdir, name));
    raw += bytes.length;
    gzip += gzipSync(bytes).length;
  }
  return { files, rawKiB: raw / 1024, gzipKiB: gzip / 1024 };
}

/** One line for the console: the size, the limit, and whether it fits. */
export function describeBundle(size, limit = BUNDLE_LIMIT_KIB) {
  const verdict = size.gzipKiB <= limit ? "within" : "OVER";
  return `API Worker bundle: ${size.gzipKiB.toFixed(1)} KiB gzip (${size.rawKiB.toFixed(1)} KiB raw), ${verdict} the limit of ${limit} KiB gzip (scripts/lib/bundle-size.mjs)`;
}
