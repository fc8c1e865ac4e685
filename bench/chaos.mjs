/**
 * `npm run chaos`: the chaos campaign (docs/reliability.md). Runs a seeded plan of a few hundred
 * runs from three users against the real local stack while the emulator injects faults at steady
 * rates, the API process is killed and restarted, run objects are evicted and the cron sweep is
 * triggered; then checks that no run was lost, stranded, started twice or wrongly finished, that
 * every cancel was honoured and that clients saw no 5xx while the API was up. A fault-free pass of
 * the same plan gives the calls-per-run baseline. Exits 1 when an invariant breaks.
 *
 * Usage: npm run chaos -- [--seed N] [--runs 300] …   npm run chaos -- --help
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { runPass } from "./lib/chaos/campaign.mjs";
import { checkRates } from "./lib/chaos/faults.mjs";
import { compareProgress, progressOfOthers } from "./lib/chaos/fairuse.mjs";
import { compareCalls } from "./lib/chaos/figures.mjs";
import { parseOptions, usage } from "./lib/chaos/options.mjs";
import { makePlan, newSeed, withoutGreedy } from "./lib/chaos/plan.mjs";
import { summarize } from "./lib/chaos/report.mjs";
import { round, sum } from "./lib/stats.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
let opts;
try {
  opts = parseOptions(process.argv.slice(2));
  checkRates(opts.rates);
} catch (error) {
  console.error(`${error instanceof Error ? error.message : String(error)}\n\n${usage()}`);
  process.exit(2);
}
if (opts.help) {
  console.log(usage());
  process.exit(0);
}
opts.root = root;
const seed = opts.seed ?? newSeed();

function commit() {
  try {
    const head = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: root, encoding: "utf8" }).trim();
    const changed = execFileSync("git", ["status", "--porcelain"], { cwd: root, encoding: "utf8" }).split("\n").filter(Boolean).length;
    return { commit: head, uncommittedFiles: changed };
  } catch {
    return null;
  }
}

const started = Date.now();
const loadBefore = loadavg();
const say = (m) => console.log(`[${((Date.now() - started) / 1000).toFixed(0).padStart(5)} s] ${m}`);
say(`chaos campaign: seed ${seed} (repeat with --seed ${seed}); ${cpus().length} CPUs`);
const plan = makePlan({
  seed,
  runs: opts.runs,
  greedy: opts.greedy,
  scale: opts.scale,
  durationScale: opts.durationScale,
  submitWindowMs: opts.submitWindow * 1000,
  cancelShare: opts.cancelShare,
  restarts: opts.restarts,
  evictEveryMs: opts.evictEvery * 1000,
  sweepEveryMs: opts.sweepEvery * 1000,
});
const code = commit();
// With a greedy user, each pass is followed by the same pass of the same plan without it: the
// other users' progress is compared between the two (bench/lib/chaos/fairuse.mjs).
const schedule = [];
for (const chaos of opts.baseline ? [true, false] : [true]) {
  const name = chaos ? "chaos" : "fault-free";
  schedule.push({ name, chaos, plan });
  if (opts.greedy > 0) schedule.push({ name: `${name} without greedy`, chaos, plan: withoutGreedy(plan) });
}
const passes = [];
for (const { name, chaos, plan: passPlan } of schedule) {
  const load = [];
  const loadTimer = setInterval(() => load.push(loadavg()[0]), 15_000);
  try {
    passes.push(await runPass({ opts, plan: passPlan, chaos, name, say }));
  } catch (error) {
    say(`!! ${error instanceof Error ? error.stack : String(error)}`);
    passes.push({ pass: name, chaos, failures: [`crashed: ${error instanceof Error ? error.message : String(error)}`] });
  }
  clearInterval(loadTimer);
  // The machine is shared: the 1-minute load average during the pass goes with its figures.
  passes.at(-1).loadavg1 = load.length > 0 ? { min: Math.min(...load), mean: round(sum(load) / load.length, 2), max: Math.max(...load) } : undefined;
}
const chaosPass = passes.find((p) => p.pass === "chaos");
const baseline = passes.find((p) => p.pass === "fault-free");
const comparison = chaosPass?.figures && baseline?.figures ? compareCalls(chaosPass.figures.callsPerRun, baseline.figures.callsPerRun) : undefined;
const cancelled = new Set(plan.runs.flatMap((r) => (r.cancelAfterMs === undefined ? [] : [r.index])));
const fairUse = {};
for (const name of ["chaos", "fault-free"]) {
  const withGreedy = passes.find((p) => p.pass === name && p.perRun);
  const without = passes.find((p) => p.pass === `${name} without greedy` && p.perRun);
  if (!withGreedy || !without) continue;
  const a = progressOfOthers(withGreedy.perRun, cancelled);
  const b = progressOfOthers(without.perRun, cancelled);
  fairUse[name] = { withGreedy: a, withoutGreedy: b, ratios: compareProgress(a, b) };
}

const finished = new Date();
const file = opts.out ?? join(root, "bench", "results", `chaos-${finished.toISOString().replace(/[:.]/g, "-")}.json`);
mkdirSync(dirname(file), { recursive: true });
writeFileSync(
  file,
  JSON.stringify(
    {
      command: `npm run chaos -- ${process.argv.slice(2).join(" ")}`.trim(),
      seed,
      options: { ...opts, root: undefined },
      plan: {
        runs: plan.runs.length,
        cancels: plan.runs.filter((r) => r.cancelAfterMs !== undefined).length,
        restarts: plan.restarts,
        evictions: plan.evictions.length,
        activeMs: plan.activeMs,
      },
      machine: {
        cpus: cpus().length,
        cpuModel: cpus()[0]?.model,
        memoryGiB: Math.round(totalmem() / 2 ** 30),
        node: process.version,
        loadavgBefore: loadBefore,
        loadavgAfter: loadavg(),
      },
      code,
      startedAt: new Date(started).toISOString(),
      finishedAt: finished.toISOString(),
      wallSeconds: Math.round((finished.getTime() - started) / 1000),
      passes,
      callsPerRunComparison: comparison,
      fairUseComparison: opts.greedy > 0 ? fairUse : undefined,
    },
    null,
    1,
  ),
);
const printable = passes.filter((p) => p.figures);
if (printable.length > 0) console.log(summarize({ seed, opts, passes: printable, comparison, fairUse }));
const failures = passes.flatMap((p) => p.failures.map((f) => `${p.pass}: ${f}`));
console.log(`\nresults: ${file}\nseed: ${seed}\nwall time: ${Math.round((Date.now() - started) / 1000)} s`);
if (failures.length > 0) {
  console.error(`\n${failures.length} invariant(s) broken:\n${failures.map((f) => `  - ${f}`).join("\n")}`);
  process.exit(1);
}
console.log("all invariants held");
