/** Command-line options of `npm run bench` (defaults sized so that all scenarios take ≈ 20 min on 2 cores). */
import { parseArgs, switchValue, usageOf } from "./cli.mjs";

const SCENARIO_NAMES = ["runs", "scale", "burst", "unscaled", "scanner", "overhead"];

/** Option name → [key, default, description]. */
const OPTIONS = {
  scenarios: ["scenarios", SCENARIO_NAMES.join(","), "comma-separated: runs, scale, burst, unscaled, scanner, overhead"],
  scale: ["scale", 0.25, "time scale of every time-dependent setting (0.25 = 4× faster)"],
  runs: ["runs", 200, "runs scenario: number of runs"],
  "runs-duration": ["runsDuration", 20, "runs scenario: emulator:duration-scale of each run (20 ≈ 9–12 min runs, 60 ≈ 26–37 min)"],
  "scale-runs": ["scaleRuns", 150, "scale scenario: concurrent runs"],
  "scale-duration": ["scaleDuration", undefined, "scale scenario: duration scale (default: long enough to outlive the start ramp)"],
  events: ["events", true, "scale scenario: also run the pass with EventBridge events (--no-events to skip, --events only for that pass alone)"],
  "burst-runs": ["burstRuns", 500, "burst scenario: submissions"],
  "burst-window": ["burstWindow", 10, "burst scenario: seconds (wall clock) to submit them in"],
  "burst-concurrency": ["burstConcurrency", 16, "burst scenario: most submissions in flight"],
  "unscaled-runs": ["unscaledRuns", 30, "scaling check: runs per pass (one pass at scale 1, one at --scale)"],
  "unscaled-duration": ["unscaledDuration", 2, "scaling check: duration scale"],
  concurrency: ["concurrency", 8, "most POST /runs in flight (runs, scale, unscaled)"],
  "overhead-clients": ["overheadClients", 8, "overhead scenario: concurrent clients"],
  "overhead-rounds": ["overheadRounds", 10, "overhead scenario: rounds per target (each a bare round and a target round)"],
  "overhead-seconds": ["overheadSeconds", 2, "overhead scenario: wall seconds per round"],
  "sample-ms": ["sampleMs", undefined, "WES sampling interval, wall-clock ms (default: 1 ms per run, from 250 to 2000)"],
};

/** Options that count things (integers). */
const COUNTS = new Set(["runs", "scaleRuns", "burstRuns", "unscaledRuns", "concurrency", "burstConcurrency", "overheadClients", "overheadRounds"]);

/** Help text. */
export function usage() {
  return usageOf("npm run bench -- [options]", OPTIONS);
}

/** The value of one option. */
function convert(key, value, name) {
  if (key === "scenarios") {
    const names = value
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    const bad = names.filter((s) => !SCENARIO_NAMES.includes(s));
    if (bad.length > 0 || names.length === 0) throw new Error(`--scenarios: unknown ${bad.join(", ")} (known: ${SCENARIO_NAMES.join(", ")})`);
    return names;
  }
  if (key === "events") return value === "only" ? "only" : switchValue(value);
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number`);
  if (COUNTS.has(key) && !Number.isInteger(n)) throw new Error(`--${name} must be an integer`);
  return n;
}

/** Parses argv into options; throws on unknown or malformed ones. */
export function parseOptions(argv) {
  const opts = parseArgs(argv, OPTIONS, { switches: ["events"], convert });
  if (typeof opts.scenarios === "string") opts.scenarios = opts.scenarios.split(",");
  if (opts.scale > 1) throw new Error("--scale must be at most 1 (1 = real time)");
  return opts;
}
