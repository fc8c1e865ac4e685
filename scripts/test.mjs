/**
 * `npm test`: every check CI runs, in order, stopping at the first failure.
 *  1. the generated Env types of both Workers are up to date (`wrangler types --check`);
 *  2. the migrations match src/db/schema.ts (`drizzle-kit check` + a dry `generate`);
 *  3. the WES layer imports no executor internals (check-boundary.mjs);
 *  4. formatting and lint rules (Biome, biome.json);
 *  5. TypeScript, strict, for the API Worker, the emulator, the tests and the dashboard;
 *  6. the deploy path, dry: `npm run deploy -- --dry-run` bundles the Worker as `wrangler deploy`
 *     would and fails when it is over its size budget (scripts/lib/bundle-size.mjs);
 *  7. the browser for the dashboard tests: under CI=true Chromium is installed when missing (apt),
 *     and the run fails if it cannot be; elsewhere its absence only skips those tests, loudly;
 *  8. `vitest run`: the workers, emulator, node, repo and dashboard test projects (vitest.config.ts).
 * Extra arguments go to vitest, e.g. `npm test -- test/unit`. `--checks-only` (`npm run check`)
 * runs steps 1–5.
 */
import { spawnSync } from "node:child_process";
import { findChromium, HOW_TO_INSTALL } from "./lib/chromium.mjs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const bin = (name) => join(root, "node_modules", ".bin", name);
const checksOnly = process.argv.includes("--checks-only");
const extra = process.argv.slice(2).filter((arg) => arg !== "--checks-only");

/** @type {Array<[string, string, string[]]>} */
const steps = [
  ["API Worker types are current", bin("wrangler"), ["types", "--env-file", ".dev.vars.example", "--strict-vars=false", "--check"]],
  [
    "Emulator Worker types are current",
    bin("wrangler"),
    [
      "types",
      "-c",
      "emulator/wrangler.toml",
      "--env-file",
      "emulator/.dev.vars.example",
      "--strict-vars=false",
      "--check",
      "emulator/worker-configuration.d.ts",
    ],
  ],
  ["Migrations match the schema", process.execPath, [join(root, "scripts", "check-migrations.mjs")]],
  ["The WES layer imports no executor internals", process.execPath, [join(root, "scripts", "check-boundary.mjs")]],
  ["Formatting and lint (Biome)", bin("biome"), ["check", "--formatter-enabled=true", "--linter-enabled=true", "--assist-enabled=false", "."]],
  ["Type check: API Worker", bin("tsc"), ["-p", "tsconfig.json"]],
  ["Type check: emulator", bin("tsc"), ["-p", "emulator/tsconfig.json"]],
  ["Type check: tests and scripts", bin("tsc"), ["-p", "test/tsconfig.json"]],
  ["Type check: dashboard", bin("tsc"), ["-p", "dashboard/tsconfig.json"]],
  ["Type check: browser and dashboard tests", bin("tsc"), ["-p", "test/tsconfig.browser.json"]],
  ["Deploy dry run and bundle size (npm run deploy -- --dry-run)", process.execPath, [join(root, "scripts", "deploy.mjs"), "--dry-run"]],
  ["Tests (vitest: workers, emulator, node, repo, dashboard)", bin("vitest"), ["run", ...extra]],
];

/** Step 7: a browser for test/browser (Chromium, Debian's package). */
function ensureBrowser() {
  if (findChromium()) return 0;
  if (process.env.CI !== "true") {
    console.warn(`\n⚠ No Chromium found: the dashboard's browser tests (test/browser) will be SKIPPED.\n  ${HOW_TO_INSTALL}\n`);
    return 0;
  }
  console.log("CI=true and no Chromium: installing Debian's chromium package (apt-get).");
  const sudo = process.getuid?.() === 0 ? [] : ["sudo"];
  const run = (args) =>
    spawnSync(sudo.length ? "sudo" : args[0], sudo.length ? args : args.slice(1), {
      stdio: "inherit",
      env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
    });
  const update = run(["apt-get", "update"]);
  const install = update.status === 0 ? run(["apt-get", "install", "-y", "chromium"]) : update;
  if (install.status !== 0 || !findChromium()) {
    console.error("Could not install Chromium, which CI needs for the dashboard's browser tests.");
    return 1;
  }
  return 0;
}

const selected = checksOnly ? steps.slice(0, -2) : extra.length > 0 ? steps.slice(-1) : steps;
if (!checksOnly) {
  const status = ensureBrowser();
  if (status !== 0) process.exit(status);
}
for (const [title, command, args] of selected) {
  console.log(`\n▶ ${title}`);
  const started = Date.now();
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit", env: { ...process.env, WRANGLER_SEND_METRICS: "false" } });
  if (result.status !== 0) {
    console.error(`\n✖ ${title} failed (exit ${result.status ?? result.signal})`);
    process.exit(result.status || 1);
  }
  console.log(`✔ ${title} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}
