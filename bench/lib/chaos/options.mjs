/** Command-line options of `npm run chaos` (defaults: the full campaign, about 20 min on 2 cores). */
import { parseArgs, switchValue, usageOf } from "../cli.mjs";
import { DEFAULT_RATES } from "./faults.mjs";

/** Option name → [key, default, description]. */
const OPTIONS = {
  seed: ["seed", undefined, "seed of the plan (default: a new one, printed); the same seed gives the same plan"],
  runs: ["runs", 300, "runs submitted by the three users"],
  scale: ["scale", 0.25, "time scale of every time-dependent setting (0.25 = 4× faster), as in the benchmark"],
  "duration-scale": ["durationScale", 8, "emulator:duration-scale of every run (8 ≈ 1–1.2 min wall per run at scale 0.25)"],
  "submit-window": ["submitWindow", 240, "seconds (wall) over which the submissions arrive"],
  "cancel-share": ["cancelShare", 0.25, "share of runs cancelled at a random point of their lives"],
  restarts: ["restarts", 4, "times the API process is killed (SIGKILL) and started again"],
  "evict-every": ["evictEvery", 4, "seconds (wall) between two evictions of a random live run object"],
  "sweep-every": ["sweepEvery", undefined, "seconds (wall) between two cron sweeps (default: 5 min × scale)"],
  "error-rate": ["error", DEFAULT_RATES.error, "share of HealthOmics calls answered 500"],
  "throttle-rate": ["throttle", DEFAULT_RATES.throttle, "share answered ThrottlingException"],
  "drop-rate": ["drop", DEFAULT_RATES.drop, "share whose connection drops"],
  "latency-rate": ["latency", DEFAULT_RATES.latency, "share delayed by --latency-ms"],
  "latency-ms": ["latencyMs", DEFAULT_RATES.latencyMs, "the latency spike (wall ms)"],
  "lost-answer-rate": ["lostAnswer", DEFAULT_RATES.lostAnswer, "share of StartRun/CancelRun performed but answered 500 or dropped"],
  events: ["events", true, "the emulator posts EventBridge events to the API (--no-events: polling only)"],
  baseline: ["baseline", true, "also run the fault-free pass of the same plan, for calls per run (--no-baseline to skip)"],
  greedy: ["greedy", 0, "fair use: a fourth user submits this many runs in one burst"],
  limits: ["limits", undefined, "per-user limit settings for the API, NAME=value[,NAME=value] (the greedy user must then get 429s)"],
  "drain-minutes": ["drainMinutes", 20, "after the last planned action, wait at most this long (wall) for every run to end"],
  out: ["out", undefined, "results file (default bench/results/chaos-<time>.json)"],
};

const COUNTS = new Set(["seed", "runs", "restarts", "greedy", "latencyMs"]);
const SHARES = new Set(["cancelShare", "error", "throttle", "drop", "latency", "lostAnswer"]);

/** Help text. */
export function usage() {
  return usageOf("npm run chaos -- [options]   (docs/reliability.md)", OPTIONS);
}

/** `NAME=value[,NAME=value]` → {NAME: value}. */
function limitSettings(value) {
  const limits = {};
  for (const pair of value.split(",").filter(Boolean)) {
    const m = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(pair.trim());
    if (!m) throw new Error(`--limits: '${pair}' is not NAME=value`);
    limits[m[1]] = m[2];
  }
  return limits;
}

/** The value of one option. */
function convert(key, value, name) {
  if (key === "events" || key === "baseline") return switchValue(value);
  if (key === "out") return value;
  if (key === "limits") return limitSettings(value);
  const n = Number(value);
  const zeroOk = COUNTS.has(key) || SHARES.has(key);
  if (!Number.isFinite(n) || n < 0 || (n === 0 && !zeroOk)) throw new Error(`--${name} must be a ${zeroOk ? "non-negative" : "positive"} number`);
  if (COUNTS.has(key) && !Number.isInteger(n)) throw new Error(`--${name} must be an integer`);
  if (SHARES.has(key) && n > 1) throw new Error(`--${name} must be at most 1`);
  if (key === "seed" && n >= 2 ** 32) throw new Error("--seed must be below 2^32");
  return n;
}

/** Parses argv into options; throws on unknown or malformed ones. */
export function parseOptions(argv) {
  const opts = parseArgs(argv, OPTIONS, { switches: ["events", "baseline"], convert });
  if (opts.scale > 1) throw new Error("--scale must be at most 1 (1 = real time)");
  if (opts.runs < 1) throw new Error("--runs must be at least 1");
  opts.sweepEvery ??= 300 * opts.scale;
  opts.rates = { error: opts.error, throttle: opts.throttle, drop: opts.drop, latency: opts.latency, latencyMs: opts.latencyMs, lostAnswer: opts.lostAnswer };
  return opts;
}
