/**
 * `npm run bench`: the HealthOmics-integration benchmark (docs/performance.md).
 *
 * Starts its own stack (emulator + API, `wrangler dev`, free ports, temporary state) for every pass,
 * with every time-dependent setting scaled by `--scale`, drives runs through the WES API, and
 * reports HealthOmics calls, D1 writes, status staleness and call rates in real units next to the
 * seed plan's fixed 30 s loop. Results go to bench/results/<timestamp>.json; the exit code is
 * non-zero when an invariant breaks (a run not final, StartRun count ≠ runs, a 429, calls per
 * second above the quota).
 *
 * Usage: npm run bench -- [--scenarios runs,scale,burst,unscaled,scanner,overhead] [--scale 0.25] [--runs 200] …
 *        npm run bench -- --help
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseOptions, usage } from "./lib/options.mjs";
import { summarize } from "./lib/report.mjs";
import { scannerScenario } from "./lib/scanner.mjs";
import { burstScenario, overheadScenario, runsScenario, scaleScenario, unscaledScenario } from "./lib/scenarios.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
let opts;
try {
  opts = parseOptions(process.argv.slice(2));
} catch (error) {
  console.error(`${error instanceof Error ? error.message : String(error)}\n\n${usage()}`);
  process.exit(2);
}
if (opts.help) {
  console.log(usage());
  process.exit(0);
}
opts.root = root;

/** The code under test: commit and how many files differ from it (read-only git). */
function codeVersion() {
  try {
    const commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: root, encoding: "utf8" }).trim();
    const changed = execFileSync("git", ["status", "--porcelain"], { cwd: root, encoding: "utf8" }).split("\n").filter(Boolean).length;
    return { commit, uncommittedFiles: changed };
  } catch {
    return null;
  }
}

const started = Date.now();
const loadBefore = loadavg();
const say = (m) => console.log(`[${((Date.now() - started) / 1000).toFixed(0).padStart(5)} s] ${m}`);
const SCENARIOS = {
  runs: runsScenario,
  scale: scaleScenario,
  burst: burstScenario,
  unscaled: unscaledScenario,
  scanner: scannerScenario,
  overhead: overheadScenario,
};

say(`benchmark: scenarios ${opts.scenarios.join(", ")}; scale ${opts.scale} (all scaled settings ÷ or × ${opts.scale}); ${cpus().length} CPUs`);
const results = [];
// Read before the scenarios run: the repository may move on while they do (each pass records the
// hash of the code snapshot its Workers ran as `codeHash`).
const code = codeVersion();
let stoppedBy;
for (const name of opts.scenarios) {
  try {
    results.push(await SCENARIOS[name](opts, say));
  } catch (error) {
    stoppedBy = `${name}: ${error instanceof Error ? error.stack : String(error)}`;
    results.push({ scenario: name, failures: [`crashed: ${error instanceof Error ? error.message : String(error)}`] });
    say(`!! ${stoppedBy}`);
  }
}

const finished = new Date();
const file = join(root, "bench", "results", `${finished.toISOString().replace(/[:.]/g, "-")}.json`);
mkdirSync(dirname(file), { recursive: true });
writeFileSync(
  file,
  JSON.stringify(
    {
      command: `npm run bench -- ${process.argv.slice(2).join(" ")}`.trim(),
      options: { ...opts, root: undefined },
      machine: {
        cpus: cpus().length,
        cpuModel: cpus()[0]?.model,
        memoryGiB: Math.round(totalmem() / 2 ** 30),
        node: process.version,
        platform: `${process.platform}-${process.arch}`,
        loadavgBefore: loadBefore,
        loadavgAfter: loadavg(),
      },
      code,
      startedAt: new Date(started).toISOString(),
      finishedAt: finished.toISOString(),
      wallSeconds: Math.round((finished.getTime() - started) / 1000),
      results,
    },
    null,
    1,
  ),
);

console.log(summarize(results));
const failures = results.flatMap((r) => r.failures.map((f) => `${r.scenario}: ${f}`));
console.log(`\nresults: ${file}\nwall time: ${Math.round((Date.now() - started) / 1000)} s`);
if (failures.length > 0) {
  console.error(`\n${failures.length} invariant(s) broken:\n${failures.map((f) => `  - ${f}`).join("\n")}`);
  process.exit(1);
}
console.log("all invariants held");
