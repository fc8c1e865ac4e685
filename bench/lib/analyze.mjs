/**
 * Turns what a scenario recorded (emulator request log, run timelines, d1.write lines, WES samples)
 * into figures, in real units (wall-clock ÷ scale), next to the seed plan's loop on the same
 * timelines.
 */
import { RANK } from "./observe.mjs";
import { MEASURED, SEED_STALENESS, seedOnTimeline } from "./seed-model.mjs";
import { countBy, round, sum, summary } from "./stats.mjs";

/** HealthOmics operations the service calls for a run. */
export const RUN_OPERATIONS = ["StartRun", "GetRun", "ListRunTasks", "GetRunTask", "CancelRun"];

/**
 * The emulator calls that concern the given WES runs: StartRun carrying their requestId, and every
 * call addressing the HealthOmics runs those created.
 * @returns {{byRun: Map<string, object[]>, omicsToWes: Map<string, string>, other: object[]}}
 */
export function callsOfRuns(calls, wesRunIds) {
  const wanted = new Set(wesRunIds);
  const omicsToWes = new Map();
  for (const c of calls) if (c.operation === "StartRun" && c.runId && wanted.has(c.requestId)) omicsToWes.set(c.runId, c.requestId);
  const byRun = new Map(wesRunIds.map((id) => [id, []]));
  const other = [];
  for (const c of calls) {
    const wes = c.operation === "StartRun" ? (wanted.has(c.requestId) ? c.requestId : undefined) : c.runId ? omicsToWes.get(c.runId) : undefined;
    if (wes) byRun.get(wes).push(c);
    else other.push(c);
  }
  return { byRun, omicsToWes, other };
}

/** Per-operation counts of a list of calls (all statuses), and 429s. */
function opCounts(calls) {
  const out = Object.fromEntries(RUN_OPERATIONS.map((op) => [op, 0]));
  for (const c of calls) out[c.operation] = (out[c.operation] ?? 0) + 1;
  out.throttled = calls.filter((c) => c.status === 429).length;
  out.total = calls.length;
  return out;
}

/**
 * Staleness of one run: for each measured transition, wall ms from the emulator's transition to the
 * first WES observation of that state rank (or a later one) in `seen` (rank → epoch ms).
 */
function stalenessOf(timeline, seen) {
  const out = [];
  for (const step of timeline.transitions) {
    const rank = MEASURED[step.status];
    if (rank === undefined) continue;
    const at = Date.parse(step.at);
    const t = seen?.[rank];
    out.push({ status: step.status, wallMs: t === undefined ? undefined : t - at });
  }
  return out;
}

/** First D1 write time per state rank of each run, from d1.write lines that changed a row. */
function writesByRun(d1Writes) {
  const firstWrite = new Map();
  const counts = new Map();
  for (const w of d1Writes) {
    const c = counts.get(w.runId) ?? { statements: 0, rows: 0 };
    c.statements += 1;
    c.rows += w.rows;
    counts.set(w.runId, c);
    if (w.state && w.rows > 0 && RANK[w.state] !== undefined) {
      const seen = firstWrite.get(w.runId) ?? [undefined, undefined, undefined, undefined];
      for (let r = 0; r <= RANK[w.state]; r++) if (seen[r] === undefined || w.t < seen[r]) seen[r] = w.t;
      firstWrite.set(w.runId, seen);
    }
  }
  return { firstWrite, counts };
}

function realSummary(wallMsList, scale) {
  const s = summary(wallMsList.map((ms) => ms / 1000 / scale));
  return { n: s.n, p50: round(s.p50), p95: round(s.p95), p99: round(s.p99), max: round(s.max), mean: round(s.mean) };
}

/**
 * Figures for a set of runs.
 * @param {object} o
 * @param {{runId: string, user: string, workflowId: string, submittedAt: number}[]} o.runs
 * @param {object[]} o.calls       the emulator's request log entries
 * @param {object[]} o.timelines   emulator timelines of the runs (by requestId)
 * @param {import("./stack.mjs").D1Write[]} o.d1Writes
 * @param {Map<string, number>} o.created  run.created lines (the submission inserts)
 * @param {Map<string, (number|undefined)[]>} o.firstSeen  the sampler's first observations
 * @param {number} o.scale
 * @param {number} o.sampleIntervalMs  wall-clock sampling interval
 */
export function analyzeRuns({ runs, calls, timelines, d1Writes, created, firstSeen, scale, sampleIntervalMs }) {
  const ids = runs.map((r) => r.runId);
  const { byRun } = callsOfRuns(calls, ids);
  const tl = new Map(timelines.map((t) => [t.requestId, t]));
  const { firstWrite, counts } = writesByRun(d1Writes.filter((w) => byRun.has(w.runId)));

  const perRun = [];
  const sampled = [];
  const exact = [];
  const seedStale = [];
  const byKind = {};
  let seedCalls = { StartRun: 0, GetRun: 0 };
  let seedD1 = { statements: 0, rows: 0 };
  const notObserved = [];
  const inconsistent = [];
  for (const run of runs) {
    const timeline = tl.get(run.runId);
    const ops = opCounts(byRun.get(run.runId));
    const writes = counts.get(run.runId) ?? { statements: 0, rows: 0 };
    const insert = created.has(run.runId) ? 1 : 0;
    const entry = {
      runId: run.runId,
      user: run.user,
      workflowId: run.workflowId,
      submittedAt: run.submittedAt,
      calls: ops,
      d1: { statements: writes.statements + insert, rows: writes.rows + insert },
    };
    if (timeline) {
      entry.omicsStatus = timeline.status;
      const s = stalenessOf(timeline, firstSeen.get(run.runId));
      const e = stalenessOf(timeline, firstWrite.get(run.runId));
      for (const x of s) {
        if (x.wallMs === undefined) notObserved.push(`${run.runId} ${x.status}`);
        else {
          sampled.push(x.wallMs);
          (byKind[x.status === "STARTING" || x.status === "RUNNING" ? x.status : "final"] ??= []).push(x.wallMs);
        }
      }
      // A D1 write cannot come after the sampler saw its effect: if it seems to, a d1.write line was
      // lost or mis-timed; count it and leave it out of the exact figures.
      e.forEach((x, i) => {
        if (x.wallMs === undefined) return;
        const seenMs = s[i]?.wallMs;
        if (seenMs !== undefined && x.wallMs > seenMs + 50) inconsistent.push(`${run.runId} ${x.status}`);
        else exact.push(x.wallMs);
      });
      const seed = seedOnTimeline(timeline, scale);
      seedCalls = { StartRun: seedCalls.StartRun + seed.calls.StartRun, GetRun: seedCalls.GetRun + seed.calls.GetRun };
      seedD1 = { statements: seedD1.statements + seed.d1.statements, rows: seedD1.rows + seed.d1.rows };
      for (const x of seed.staleness) seedStale.push(x.wallMs);
      const finalSeen = firstSeen.get(run.runId)?.[3];
      entry.realSeconds = {
        queued: round((Date.parse(timeline.transitions[0].at) - run.submittedAt) / 1000 / scale),
        omicsLifetime: round((Date.parse(timeline.transitions.at(-1).at) - Date.parse(timeline.transitions[0].at)) / 1000 / scale),
        submitToFinalSeen: finalSeen === undefined ? null : round((finalSeen - run.submittedAt) / 1000 / scale),
      };
      entry.staleness = s.map((x) => ({ status: x.status, realSeconds: x.wallMs === undefined ? null : round(x.wallMs / 1000 / scale) }));
    }
    perRun.push(entry);
  }

  const n = runs.length;
  const totalCalls = opCounts(ids.flatMap((id) => byRun.get(id)));
  const startRun201 = ids.flatMap((id) => byRun.get(id)).filter((c) => c.operation === "StartRun" && c.status === 201);
  const distinctStarts = new Set(startRun201.map((c) => c.requestId)).size;
  const d1 = { statements: sum(perRun.map((r) => r.d1.statements)), rows: sum(perRun.map((r) => r.d1.rows)) };
  const d1ByTable = countBy(
    d1Writes.filter((w) => byRun.has(w.runId)),
    (w) => w.table,
  );
  const lifetimes = perRun.map((r) => r.realSeconds?.omicsLifetime).filter((x) => x !== undefined);
  const submitted = Math.min(...runs.map((r) => r.submittedAt));
  const lastFinalSeen = Math.max(...runs.map((r) => firstSeen.get(r.runId)?.[3] ?? NaN));
  // The seed starts each run at submission (no queue), so its runs end that much earlier.
  const seedLastFinal = Math.max(
    ...runs
      .filter((r) => tl.has(r.runId))
      .map((r) => {
        const t = tl.get(r.runId);
        return r.submittedAt + (seedOnTimeline(t, scale).finalSeenAt - Date.parse(t.transitions[0].at));
      }),
  );
  const per = (x) => round(x / n, 2);
  // Most HealthOmics runs live at once (StartRun → final status).
  const edges = timelines
    .filter((t) => tl.get(t.requestId) === t && byRun.has(t.requestId))
    .flatMap((t) => [
      [Date.parse(t.transitions[0].at), 1],
      [t.final ? Date.parse(t.transitions.at(-1).at) : Infinity, -1],
    ])
    .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let live = 0;
  let maxConcurrentLive = 0;
  for (const [, d] of edges) maxConcurrentLive = Math.max(maxConcurrentLive, (live += d));
  return {
    runs: n,
    outcomes: countBy(perRun, (r) => r.omicsStatus ?? "unknown"),
    runLengthRealSeconds: realSummary(
      lifetimes.map((s) => s * 1000 * scale),
      scale,
    ),
    maxConcurrentLive,
    service: {
      calls: totalCalls,
      callsPerRun: Object.fromEntries(Object.entries(totalCalls).map(([k, v]) => [k, per(v)])),
      startRun201: startRun201.length,
      distinctStartedRuns: distinctStarts,
      d1,
      d1PerRun: { statements: per(d1.statements), rows: per(d1.rows) },
      d1WriteLinesByTable: d1ByTable,
      stalenessRealSeconds: {
        sampled: realSummary(sampled, scale),
        byTransition: Object.fromEntries(Object.entries(byKind).map(([k, v]) => [k, realSummary(v, scale)])),
        exactFromD1Writes: realSummary(exact, scale),
        exactInconsistent: inconsistent.length,
        samplingErrorRealSeconds: round(sampleIntervalMs / 1000 / scale, 2),
        notObserved: notObserved.length,
      },
      wallRealSeconds: round((lastFinalSeen - submitted) / 1000 / scale),
    },
    seed: {
      calls: seedCalls,
      callsPerRun: { StartRun: per(seedCalls.StartRun), GetRun: per(seedCalls.GetRun) },
      d1: seedD1,
      d1PerRun: { statements: per(seedD1.statements), rows: per(seedD1.rows) },
      stalenessRealSeconds: { ...SEED_STALENESS, n: seedStale.length, onTheseTimelines: realSummary(seedStale, scale) },
      // Optimistic: every StartRun at submission, as if the StartRun quota never throttled it.
      wallRealSeconds: round((seedLastFinal - submitted) / 1000 / scale),
    },
    perRun,
  };
}
