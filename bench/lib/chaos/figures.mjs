/**
 * The chaos campaign's figures that are not invariants: how fast the service recovered from each
 * restart, and how many HealthOmics calls a run cost under chaos against the fault-free pass of
 * the same plan. Pure functions of what was recorded.
 */
import { callsOfRuns, RUN_OPERATIONS } from "../analyze.mjs";
import { round, summary } from "../stats.mjs";

const secs = (ms) => round(ms / 1000, 1);
const p = (list) => {
  const s = summary(list);
  return { n: s.n, p50: secs(s.p50), p95: secs(s.p95), max: secs(s.max) };
};

/**
 * Recovery after each restart (wall seconds): from the kill to the API answering again, from the
 * new process's start to answering, from answering to the first HealthOmics call of any run (the
 * run objects' alarms firing again), and per run live across the restart — its HealthOmics run
 * created before the kill and not finished before the API answered — from answering to that run's
 * next call (this includes whatever poll interval the run was in).
 * @param {import("./process.mjs").DownWindow[]} downs
 * @param {{operation: string, at: string, requestId?: string, runId?: string}[]} calls
 * @param {{requestId: string, final: boolean, transitions: {at: string}[]}[]} timelines
 * @param {string[]} runIds  the WES runs
 */
export function recoveryFigures(downs, calls, timelines, runIds) {
  const { byRun } = callsOfRuns(calls, runIds);
  const runCalls = calls.filter((c) => RUN_OPERATIONS.includes(c.operation)).map((c) => Date.parse(c.at));
  const firstCall = [];
  const perRun = [];
  for (const d of downs) {
    const next = runCalls.filter((t) => t >= d.readyAt).sort((a, b) => a - b)[0];
    if (next !== undefined) firstCall.push(next - d.readyAt);
    for (const t of timelines) {
      const created = Date.parse(t.transitions[0].at);
      const ended = t.final ? Date.parse(t.transitions.at(-1).at) : Infinity;
      if (created >= d.killAt || ended <= d.readyAt) continue;
      const own = (byRun.get(t.requestId) ?? []).map((c) => Date.parse(c.at)).filter((x) => x >= d.readyAt);
      if (own.length > 0) perRun.push(Math.min(...own) - d.readyAt);
    }
  }
  return {
    restarts: downs.length,
    killToAnswering: p(downs.map((d) => d.readyAt - d.killAt)),
    startToAnswering: p(downs.map((d) => d.readyAt - d.startAt)),
    answeringToFirstRunCall: p(firstCall),
    answeringToEachLiveRunsNextCall: p(perRun),
  };
}

/** HealthOmics calls per WES run, by operation (all answers, faults included). */
export function callsPerRun(calls, runIds) {
  const { byRun } = callsOfRuns(calls, runIds);
  const out = Object.fromEntries([...RUN_OPERATIONS, "total"].map((op) => [op, 0]));
  for (const list of byRun.values()) {
    for (const c of list) {
      out[c.operation] = (out[c.operation] ?? 0) + 1;
      out.total += 1;
    }
  }
  const n = Math.max(1, runIds.length);
  return Object.fromEntries(Object.entries(out).map(([op, v]) => [op, round(v / n, 2)]));
}

/** Chaos calls per run against the fault-free pass: {operation: {chaos, faultFree, ratio}}. */
export function compareCalls(chaos, faultFree) {
  const out = {};
  for (const op of Object.keys(chaos)) {
    const base = faultFree?.[op];
    out[op] = { chaos: chaos[op], faultFree: base ?? null, ratio: base ? round(chaos[op] / base, 2) : null };
  }
  return out;
}

/**
 * One line per planned run, for diagnosis (the results file): the submission, the cancel, the
 * final WES state and when it was written (d1.write lines), the HealthOmics run and when it ended,
 * and the run's HealthOmics calls by operation.
 */
export function perRunRecords({ submissions, final, timelines, d1Writes, calls }) {
  const ids = submissions.flatMap((s) => (s.runId ? [s.runId] : []));
  const { byRun } = callsOfRuns(calls, ids);
  const timelineOf = new Map(timelines.map((t) => [t.requestId, t]));
  const finalWrite = new Map();
  for (const w of d1Writes) {
    if (w.table === "runs" && w.rows > 0 && ["COMPLETE", "EXECUTOR_ERROR", "SYSTEM_ERROR", "CANCELED"].includes(w.state) && !finalWrite.has(w.runId))
      finalWrite.set(w.runId, w.t);
  }
  return submissions.map((s) => {
    const t = s.runId ? timelineOf.get(s.runId) : undefined;
    const ops = {};
    for (const c of byRun.get(s.runId) ?? []) ops[c.operation] = (ops[c.operation] ?? 0) + 1;
    // Every call: [operation, epoch ms, status] — the evidence when an invariant breaks.
    const trail = (byRun.get(s.runId) ?? []).map((c) => [c.operation, Date.parse(c.at), c.status]);
    return {
      index: s.index,
      user: s.user,
      workflowId: s.workflowId,
      runId: s.runId,
      acceptedAt: s.acceptedAt,
      cancel: s.cancel,
      state: s.runId ? final.get(s.runId)?.state : undefined,
      finalWrittenAt: s.runId ? finalWrite.get(s.runId) : undefined,
      omics: t
        ? { runId: t.runId, status: t.status, createdAt: Date.parse(t.transitions[0].at), endedAt: t.final ? Date.parse(t.transitions.at(-1).at) : undefined }
        : undefined,
      calls: ops,
      trail,
    };
  });
}

/** Wall seconds from HealthOmics ending a run to the service writing its final state (p50/p95/max). */
export function finalStateLag(records) {
  return p(records.filter((r) => r.omics?.endedAt && r.finalWrittenAt).map((r) => Math.max(0, r.finalWrittenAt - r.omics.endedAt)));
}

/**
 * How fast HealthOmics runs were started, in real starts per second (wall rate × scale), from the
 * first to the last first-201 StartRun: the budget allows 0.8 of the 1/s quota; throttles shrink it
 * (AIMD) and StartRun failures spend grants.
 */
export function startRate(calls, scale) {
  const firsts = new Map();
  for (const c of calls) if (c.operation === "StartRun" && c.runId && !firsts.has(c.requestId)) firsts.set(c.requestId, Date.parse(c.at));
  const times = [...firsts.values()].sort((a, b) => a - b);
  if (times.length < 2) return { started: times.length, realPerSecond: null };
  return { started: times.length, realPerSecond: round(((times.length - 1) / ((times.at(-1) - times[0]) / 1000)) * scale, 3) };
}

/**
 * The API budget over the pass, from GET /admin/metrics samples: per operation the lowest and the
 * mean share of the quota it allowed (AIMD halves it on throttles), the throttles it counted, and
 * the longest start queue seen.
 */
export function budgetFigures(samples) {
  const byOp = {};
  let longestQueue = 0;
  for (const m of samples) {
    longestQueue = Math.max(longestQueue, m.start_queue?.length ?? 0);
    for (const o of m.healthomics_budget?.operations ?? []) {
      const b = (byOp[o.operation] ??= { shares: [], throttles: 0 });
      b.shares.push(o.share_of_quota);
      b.throttles = Math.max(b.throttles, o.throttles);
    }
  }
  const operations = Object.fromEntries(
    Object.entries(byOp).map(([op, b]) => [
      op,
      { minShare: round(Math.min(...b.shares), 3), meanShare: round(b.shares.reduce((a, x) => a + x, 0) / b.shares.length, 3), throttles: b.throttles },
    ]),
  );
  return { samples: samples.length, longestStartQueue: longestQueue, operations };
}
