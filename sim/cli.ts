/**
 * `npm run simulate`: the run scheduler's decisions and the API budget's arithmetic at a scale no
 * local stack can run, on a virtual clock (sim/world.ts). Prints the figures (sim/report.ts).
 *
 *   npm run simulate -- --runs 10000                # polling only and with events
 *   npm run simulate -- --runs 50000 --events only
 *   npm run simulate -- --help
 */
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { figures, table, type Figures } from "./report";
import { simulate } from "./world";

/** The benchmark's `scale` scenario stretch: every run outlives the start ramp (bench/lib/scenarios.mjs). */
export function durationScaleFor(runs: number): number {
  const startRate = 0.8; // StartRun quota × headroom
  const shortestPlanSeconds = 26;
  return Math.max(10, Math.ceil(((runs / startRate) * 1.25) / shortestPlanSeconds / 5) * 5);
}

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "1000" },
    events: { type: "string", default: "both" },
    "duration-scale": { type: "string" },
    seed: { type: "string", default: "1" },
    "safety-poll-seconds": { type: "string" },
    "poll-max-seconds": { type: "string" },
    json: { type: "string" },
    help: { type: "boolean", default: false },
  },
});

if (values.help) {
  console.log(`npm run simulate -- [--runs N] [--events both|only|false] [--duration-scale S] [--seed N] [--json file]
                        [--poll-max-seconds S] [--safety-poll-seconds S]

Simulates N runs submitted at once (users and workflows as the benchmark's), with real quotas and
poll settings, on a virtual clock: the real scheduler loop and steps, HealthOmics and the API
budget in memory. Default duration scale: every run outlives the start ramp (as bench's scale
scenario). Prints calls, quota use, D1 writes and staleness beside the seed plan's 30 s loop.`);
  process.exit(0);
}

const runs = Number(values.runs);
const durationScale = values["duration-scale"] ? Number(values["duration-scale"]) : durationScaleFor(runs);
const passes = values.events === "only" ? [true] : values.events === "false" ? [false] : [false, true];
const out: Figures[] = [];
for (const events of passes) {
  const started = Date.now();
  const result = await simulate({
    runs,
    durationScale,
    events,
    seed: Number(values.seed),
    ...(values["poll-max-seconds"] ? { pollMaxMs: Number(values["poll-max-seconds"]) * 1000 } : {}),
    ...(values["safety-poll-seconds"] ? { safetyPollMs: Number(values["safety-poll-seconds"]) * 1000 } : {}),
  });
  out.push(figures(result, runs));
  console.error(`${events ? "with events" : "polling only"}: ${runs} runs simulated in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
console.log(`\n${runs} runs, duration scale ${durationScale}\n\n${table(out)}`);
if (values.json) writeFileSync(values.json, JSON.stringify(out, null, 2));
const broken = out.filter((f) => f.finished !== runs || f.startRunCreated !== runs || f.throttles > 0);
if (broken.length > 0) {
  console.error("invariant broken: every run must finish, start exactly once, and never be throttled");
  process.exit(1);
}
