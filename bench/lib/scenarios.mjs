/**
 * The benchmark scenarios. Each returns a result object (written to bench/results/*.json) with a
 * `failures` list (invariants that broke) and `rows` for the summary table.
 *
 *  - runs:     N realistic runs, polling only; service vs the seed plan's 30 s loop (issue 4).
 *  - scale:    many concurrent long runs at the default quotas, polling only and with events (issue 5).
 *  - burst:    many submissions within seconds from three users: latency, exactly-once, fairness.
 *  - unscaled: the same small workload at scale 1 and at --scale, to show the scaling holds.
 *  - overhead: req/s of three read routes against a bare route in the same workerd (overhead.mjs).
 */
import { burstFigures, burstPlan } from "./burst.mjs";
import { evenPlan, runFleet } from "./fleet.mjs";
export { overheadScenario } from "./overhead.mjs";
import { realBudget, REAL_QUOTAS } from "./scaling.mjs";
import { round } from "./stats.mjs";

/** Longest seeded plan (1000002, ≈ 37 s at duration scale 1) and shortest (1000003, ≈ 26 s). */
const LONGEST_PLAN_S = 37;
const SHORTEST_PLAN_S = 26;
/** StartRun pace of the service: quota × headroom, real starts per second. */
const START_RATE = realBudget("StartRun");

/** A generous deadline (real s): the start ramp, the longest run, and slack. */
function deadlineFor(n, durationScale) {
  return Math.round((n / START_RATE) * 1.3 + LONGEST_PLAN_S * durationScale * 1.5 + 600);
}

/** Leaves out bulky fields from a fleet result for the JSON file. */
function lean(fleet) {
  const { emulatorCalls, submissions, t0, ...rest } = fleet;
  return rest;
}

/** Issue 4: N realistic runs through the API, polling only, beside the seed plan's loop. */
export async function runsScenario(opts, say) {
  const n = opts.runs;
  say(`\n== runs: ${n} runs, duration scale ${opts.runsDuration}, scale ${opts.scale} ==`);
  const fleet = await runFleet({
    root: opts.root,
    label: "runs",
    scale: opts.scale,
    events: false,
    plan: evenPlan(n),
    durationScale: opts.runsDuration,
    concurrency: opts.concurrency,
    sampleMs: opts.sampleMs,
    deadlineRealSeconds: deadlineFor(n, opts.runsDuration),
    say,
  });
  // The seed plan on the same load: every StartRun at submission, then one GetRun per run every 30 s.
  const seed = { getRunPerSecondAtPeak: round(n / 30, 2), getRunFractionOfQuota: round(n / 30 / REAL_QUOTAS.GetRun, 2), startRunAtOnce: n };
  return { scenario: "runs", ...lean(fleet), seedLoad: seed };
}

/** Issue 5: many concurrent long runs at the default quotas; polling only, then with events. */
export async function scaleScenario(opts, say) {
  const n = opts.scaleRuns;
  // Every run must outlive the start ramp (n / 0.8 s), so that all n are live together.
  const durationScale = opts.scaleDuration ?? Math.max(10, Math.ceil(((n / START_RATE) * 1.25) / SHORTEST_PLAN_S / 5) * 5);
  const passes = [];
  for (const events of opts.events === "only" ? [true] : opts.events ? [false, true] : [false]) {
    say(`\n== scale: ${n} concurrent runs, duration scale ${durationScale}, ${events ? "with events" : "polling only"}, scale ${opts.scale} ==`);
    const fleet = await runFleet({
      root: opts.root,
      label: events ? "scale-events" : "scale-polling",
      scale: opts.scale,
      events,
      plan: evenPlan(n),
      durationScale,
      concurrency: opts.concurrency,
      sampleMs: opts.sampleMs,
      deadlineRealSeconds: deadlineFor(n, durationScale),
      say,
    });
    if (fleet.analysis.maxConcurrentLive < n) {
      fleet.failures.push(`only ${fleet.analysis.maxConcurrentLive} of ${n} runs were live at the same time (runs too short for the start ramp)`);
    }
    passes.push({ events, ...lean(fleet) });
  }
  // The seed plan's loop on the same load: one GetRun per run every 30 s, no pacing.
  const seedGetRunTps = n / 30;
  const seed = {
    getRunPerSecond: round(seedGetRunTps, 2),
    fractionOfQuota: round(seedGetRunTps / REAL_QUOTAS.GetRun, 2),
    throttledPerSecond: round(Math.max(0, seedGetRunTps - REAL_QUOTAS.GetRun), 2),
    throttledShare: round(Math.max(0, seedGetRunTps - REAL_QUOTAS.GetRun) / seedGetRunTps, 3),
    startRunBurst: `${n} StartRun calls at submission against a quota of ${REAL_QUOTAS.StartRun}/s`,
  };
  return {
    scenario: "scale",
    runs: n,
    durationScale,
    passes,
    seed,
    failures: passes.flatMap((p) => p.failures.map((f) => `${p.events ? "events" : "polling"}: ${f}`)),
  };
}

/** Many submissions within a few seconds from three users. */
export async function burstScenario(opts, say) {
  const n = opts.burstRuns;
  say(`\n== burst: ${n} submissions within ${opts.burstWindow} s (wall), 3 users, scale ${opts.scale} ==`);
  const plan = burstPlan(n, opts.burstWindow * 1000);
  const fleet = await runFleet({
    root: opts.root,
    label: "burst",
    scale: opts.scale,
    events: false,
    plan,
    durationScale: 1,
    concurrency: opts.burstConcurrency,
    sampleMs: opts.sampleMs,
    deadlineRealSeconds: deadlineFor(n, 1),
    say,
  });
  const runs = fleet.analysis.perRun.map((r) => ({ runId: r.runId, user: r.user }));
  const submittedAt = new Map(fleet.analysis.perRun.map((r) => [r.runId, r.submittedAt]));
  const figures = burstFigures(
    runs.map((r) => ({ ...r, submittedAt: submittedAt.get(r.runId) })),
    fleet.emulatorCalls,
    fleet.submissions,
    opts.scale,
  );
  const failures = [...fleet.failures];
  if (figures.startRun201 !== n || figures.distinctRequestIds !== n)
    failures.push(`StartRun 201 ×${figures.startRun201} for ${figures.distinctRequestIds} distinct requestIds; expected ${n}`);
  // Not an invariant: how fast the local API takes submissions depends on the machine (≈ 20/s here).
  figures.submitWindowRealSeconds = round(figures.submitWindowWallSeconds / opts.scale, 1);
  figures.targetWindowWallSeconds = opts.burstWindow;
  if (figures.fairness.longestStreakWhileOthersWait > 2)
    failures.push(`one user got ${figures.fairness.longestStreakWhileOthersWait} starts in a row while others waited`);
  const seedStartRps = n / opts.burstWindow;
  return {
    scenario: "burst",
    ...lean(fleet),
    burst: figures,
    seed: {
      startRunPerSecond: seedStartRps,
      fractionOfQuota: seedStartRps / REAL_QUOTAS.StartRun,
      throttledFirstAttempts: Math.max(0, n - Math.ceil(opts.burstWindow * REAL_QUOTAS.StartRun) - 1),
    },
    failures,
  };
}

/** The same workload at scale 1 and at --scale: calls per run and staleness should agree. */
export async function unscaledScenario(opts, say) {
  const n = opts.unscaledRuns;
  const out = [];
  for (const scale of [1, opts.scale]) {
    say(`\n== unscaled check: ${n} runs, duration scale ${opts.unscaledDuration}, scale ${scale} ==`);
    const fleet = await runFleet({
      root: opts.root,
      label: `check-${scale}`,
      scale,
      events: false,
      plan: evenPlan(n),
      durationScale: opts.unscaledDuration,
      concurrency: opts.concurrency,
      sampleMs: scale === 1 ? 1000 : opts.sampleMs,
      deadlineRealSeconds: deadlineFor(n, opts.unscaledDuration),
      say,
    });
    out.push({ ...lean(fleet) });
  }
  return {
    scenario: "unscaled",
    runs: n,
    durationScale: opts.unscaledDuration,
    passes: out,
    failures: out.flatMap((p) => p.failures.map((f) => `scale ${p.scale}: ${f}`)),
  };
}
