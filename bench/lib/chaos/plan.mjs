/**
 * The chaos campaign's plan, drawn from one seed: who submits which workflow when, which runs are
 * cancelled and when, when the API process is killed and for how long, when run objects are
 * evicted, how often the cron sweep is triggered. The same seed gives the same plan (the faults
 * the emulator injects are drawn per call at steady rates, and timing is the machine's, so two
 * campaigns with one seed share the plan, not every individual fault).
 *
 * Every time is wall-clock milliseconds after the campaign starts.
 */

/** mulberry32: a small, good-enough seeded PRNG; returns a function giving floats in [0, 1). */
export function seededRandom(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A fresh seed (32 bits) for a campaign that was not given one. */
export function newSeed() {
  return Math.floor(Math.random() * 2 ** 32);
}

/** The three ordinary users and how much of the load each submits. */
export const USER_WEIGHTS = { alice: 0.45, bob: 0.35, carol: 0.2 };
/** The user who floods the service in the fair-use scenario (`--greedy`). */
export const GREEDY_USER = "greedy";
/** Seeded workflows (docs/emulator.md) and their share: success ×2, a task failure, a failure before running. */
export const WORKFLOW_WEIGHTS = { 1000001: 0.35, 1000002: 0.35, 1000003: 0.2, 1000004: 0.1 };
/** Approximate HealthOmics lifetime of each at duration and time scale 1 (s), to place cancels within it. */
export const PLAN_SECONDS = { 1000001: 32, 1000002: 37, 1000003: 26, 1000004: 10 };

function pick(weights, random) {
  const entries = Object.entries(weights);
  let x = random() * entries.reduce((a, [, w]) => a + w, 0);
  for (const [key, w] of entries) {
    x -= w;
    if (x < 0) return key;
  }
  return entries.at(-1)[0];
}

const between = (random, lo, hi) => lo + (hi - lo) * random();

/**
 * @typedef {object} PlannedRun
 * @property {number} index         position in the plan (also in the run's `chaos` tag)
 * @property {string} user
 * @property {string} workflowId
 * @property {number} atMs          when to submit
 * @property {string} key           its Idempotency-Key (retries reuse it)
 * @property {number} [cancelAfterMs]  cancel this long after the submission was accepted
 */

/**
 * @typedef {object} Plan
 * @property {number} seed
 * @property {PlannedRun[]} runs          ordinary users' submissions, then the greedy user's
 * @property {{atMs: number, downMs: number}[]} restarts  kill the API at atMs, start it again downMs later
 * @property {{atMs: number, pick: number}[]} evictions   evict the live run at position ⌊pick × live⌋
 * @property {number} sweepEveryMs        trigger the cron sweep this often (until the campaign ends)
 * @property {number} activeMs            restarts and evictions happen before this
 */

/**
 * Draws the plan.
 * @param {object} o
 * @param {number} o.seed
 * @param {number} o.runs            ordinary submissions
 * @param {number} o.greedy          extra submissions by the greedy user, in one burst (0 = none)
 * @param {number} o.scale           time scale
 * @param {number} o.durationScale   emulator:duration-scale of every run
 * @param {number} o.submitWindowMs  submissions arrive uniformly over this window
 * @param {number} o.cancelShare     share of runs cancelled
 * @param {number} o.restarts        API kills
 * @param {number} o.evictEveryMs    one eviction this often
 * @param {number} o.sweepEveryMs
 * @returns {Plan}
 */
export function makePlan(o) {
  const random = seededRandom(o.seed);
  const lifetimeMs = (workflowId) => PLAN_SECONDS[workflowId] * o.durationScale * o.scale * 1000;
  const times = Array.from({ length: o.runs }, () => random() * o.submitWindowMs).sort((a, b) => a - b);
  const runs = times.map((atMs, index) => {
    const workflowId = pick(WORKFLOW_WEIGHTS, random);
    const run = { index, user: pick(USER_WEIGHTS, random), workflowId, atMs: Math.round(atMs), key: `chaos-${o.seed}-${index}` };
    if (random() < o.cancelShare) {
      // A quarter right after submission (queued, or StartRun in flight), the rest anywhere in the
      // run's life or a little after it (then the cancel finds it final: 409).
      run.cancelAfterMs = Math.round(random() < 0.25 ? between(random, 0, 2000) : between(random, 0, 1.2 * lifetimeMs(workflowId)));
    }
    return run;
  });
  // The burst draws from its own stream, so a plan with and without it shares every ordinary run,
  // restart and eviction: the fair-use comparison runs exactly the same plan minus the burst.
  const greedyRandom = seededRandom(o.seed ^ 0x9e3779b9);
  const burstAt = Math.round(o.submitWindowMs * 0.2);
  for (let i = 0; i < o.greedy; i++) {
    const index = o.runs + i;
    runs.push({ index, user: GREEDY_USER, workflowId: pick(WORKFLOW_WEIGHTS, greedyRandom), atMs: burstAt + i * 20, key: `chaos-${o.seed}-${index}` });
  }
  const typicalLifetimeMs = lifetimeMs("1000001");
  const activeMs = Math.round(o.submitWindowMs + typicalLifetimeMs);
  // Restarts spread over the active period, each somewhere in its own slice.
  const restarts = Array.from({ length: o.restarts }, (_, i) => ({
    atMs: Math.round(((i + between(random, 0.2, 0.8)) / o.restarts) * activeMs),
    downMs: Math.round(between(random, 1000, 6000)),
  }));
  const evictions = [];
  for (let at = o.evictEveryMs; at < activeMs; at += o.evictEveryMs) evictions.push({ atMs: Math.round(at), pick: random() });
  return { seed: o.seed, runs, restarts, evictions, sweepEveryMs: o.sweepEveryMs, activeMs };
}

/** The same plan without the greedy user's burst: the fair-use comparison pass. */
export function withoutGreedy(plan) {
  return { ...plan, runs: plan.runs.filter((r) => r.user !== GREEDY_USER) };
}
