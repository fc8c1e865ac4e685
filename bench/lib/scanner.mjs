/**
 * The `scanner` scenario (issue 11): wall-clock cost of the storage-URI scanner and of the whole
 * data-access check on 1 MiB strings of the worst shapes, as a ratio to a baseline measured in
 * the same run on the same input — one plain regular-expression pass counting `s3://`. CPU only,
 * no stack: the TypeScript modules are bundled with esbuild (wrangler's bundler) into a temporary
 * file and imported. Invariant: no scan takes a second (the isolate must stay responsive).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { round } from "./stats.mjs";

const MIB = 1024 * 1024;
const REPEATS = 5;

/** The worst shapes (issue 11), each exactly `n` characters. */
const SHAPES = {
  "10,000-style comma list": (n) =>
    Array.from({ length: Math.ceil(n / 44) }, (_, i) => `s3://lab-bucket/project/sample_${String(i).padStart(5, "0")}.bam`)
      .join(",")
      .slice(0, n),
  '"x" + "s3://" × k': (n) => `x${"s3://".repeat(Math.ceil(n / 5))}`.slice(0, n),
  "percent-encoded schemes": (n) => `x${"s3%253A%252F%252Fb%252F".repeat(Math.ceil(n / 23))}`.slice(0, n),
  backslashes: (n) => `x${"s3:\\\\b\\".repeat(Math.ceil(n / 7))}`.slice(0, n),
  "tabs in schemes": (n) => `x${"s\t3:/\t/b/".repeat(Math.ceil(n / 10))}`.slice(0, n),
  "endpoint URLs and ARNs": (n) => `x${"https://b.s3.amazonaws.com/k arn:aws:s3:::b/k ".repeat(Math.ceil(n / 46))}`.slice(0, n),
  prose: (n) => "The quick brown fox jumps over the lazy dog. ".repeat(Math.ceil(n / 45)).slice(0, n),
};

async function loadModules(root) {
  const { build } = await import("esbuild");
  const dir = mkdtempSync(join(tmpdir(), "wes-bench-scanner-"));
  const outfile = join(dir, "scanner.mjs");
  await build({
    stdin: {
      contents: 'export { mentions } from "./src/wes/storage-uri.ts"; export { checkInputs } from "./src/wes/data-access.ts";',
      resolveDir: root,
      loader: "ts",
    },
    bundle: true,
    format: "esm",
    platform: "neutral",
    outfile,
    logLevel: "error",
  });
  try {
    return await import(pathToFileURL(outfile).href);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Best of REPEATS wall-clock runs of `fn`, ms. */
function best(fn) {
  let min = Number.POSITIVE_INFINITY;
  for (let i = 0; i < REPEATS; i++) {
    const t0 = performance.now();
    fn();
    min = Math.min(min, performance.now() - t0);
  }
  return min;
}

/** Runs the scenario. */
export async function scannerScenario(opts, say) {
  say("\n== scanner: storage-URI scan and data-access check on 1 MiB inputs ==");
  const { mentions, checkInputs } = await loadModules(opts.root);
  const policy = { user: "demo", outputPrefix: "s3://wes-local-outputs/", allowed: null };
  const rows = [];
  const failures = [];
  for (const [shape, make] of Object.entries(SHAPES)) {
    const input = make(MIB);
    const baselineMs = best(() => [...input.matchAll(/s3:\/\//g)].length);
    const meter = { examined: 0 };
    const scanMs = best(() => {
      meter.examined = 0;
      mentions(input, meter);
    });
    const checkMs = best(() => checkInputs({ input }, policy));
    rows.push({
      shape,
      baselineMs: round(baselineMs, 2),
      scanMs: round(scanMs, 1),
      checkMs: round(checkMs, 1),
      scanRatio: round(scanMs / Math.max(baselineMs, 0.01), 1),
      checkRatio: round(checkMs / Math.max(baselineMs, 0.01), 1),
      examinedPerChar: round(meter.examined / input.length, 1),
    });
    say(`${shape}: scan ${round(scanMs, 1)} ms, check ${round(checkMs, 1)} ms, regex baseline ${round(baselineMs, 2)} ms`);
    if (scanMs > 1000 || checkMs > 1000) failures.push(`${shape}: a 1 MiB scan took ${round(Math.max(scanMs, checkMs), 0)} ms (limit 1000 ms)`);
  }
  return { scenario: "scanner", inputBytes: MIB, repeats: REPEATS, rows, failures };
}
