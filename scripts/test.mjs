/**
 * `npm test`: every check CI runs, in order, stopping at the first failure.
 *  1. the generated Env types of both Workers are up to date (`wrangler types --check`);
 *  2. the migrations match src/db/schema.ts (`drizzle-kit check` + a dry `generate`);
 *  3. the WES layer imports no executor internals (check-boundary.mjs);
 *  4. formatting and lint rules (Biome, biome.json);
 *  5. TypeScript, strict, for the API Worker, the emulator and the tests;
 *  6. `vitest run`: the workers, emulator and node test projects (vitest.config.ts).
 * Extra arguments go to vitest, e.g. `npm test -- test/unit`. `--checks-only` (`npm run check`)
 * runs every step but the tests.
 */
import { spawnSync } from "node:child_process";
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
  ["Tests (vitest: workers, emulator, node)", bin("vitest"), ["run", ...extra]],
];

const selected = checksOnly ? steps.slice(0, -1) : extra.length > 0 ? steps.slice(-1) : steps;
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
