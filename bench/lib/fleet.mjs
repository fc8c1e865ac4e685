/**
 * One benchmark pass: start a fresh stack, submit a planned set of runs through the WES API,
 * watch until every run is final (or a deadline passes), collect the emulator's request log, the
 * runs' timelines and the API's d1.write lines, stop the stack, and compute the figures.
 */
import { analyzeRuns } from "./analyze.mjs";
import { EmulatorClient, WesClient, mapLimit, sleep } from "./clients.mjs";
import { FINAL, startCpuMonitor, startLogDrain, startSampler, waitAllFinal } from "./observe.mjs";
import { aboveQuota, rateFigures } from "./rates.mjs";
import { startStack } from "./stack.mjs";
import { round, summary } from "./stats.mjs";

/**
 * Budget slots booked (GET /admin/metrics `calls_booked`) against calls made (the emulator's log):
 * a slot booked and never used still holds back every later booking on that operation's line.
 */
function slotUse(metrics, rates) {
  const out = {};
  for (const o of metrics?.healthomics_budget?.operations ?? []) {
    const made = rates.operations[o.operation]?.calls ?? 0;
    if (o.calls_booked === 0 && made === 0) continue;
    out[o.operation] = { booked: o.calls_booked, made, unused: o.calls_booked - made, throttlesSeenByBudget: o.throttles };
  }
  return out;
}

/** Each 429: when (real s after the start) and how many calls of its operation arrived in the wall second before. */
function throttleDetails(calls, scale, t0) {
  const byOp = new Map();
  for (const c of calls) {
    if (!byOp.has(c.operation)) byOp.set(c.operation, []);
    byOp.get(c.operation).push(Date.parse(c.at));
  }
  return calls
    .filter((c) => c.status === 429)
    .map((c) => {
      const t = Date.parse(c.at);
      const before = byOp.get(c.operation).filter((x) => x <= t && x > t - 1000).length;
      return { operation: c.operation, atRealSeconds: round((t - t0) / 1000 / scale, 1), callsInPrecedingWallSecond: before };
    });
}

/**
 * How late HealthOmics run events reached the API: events.received time − the transition's time
 * in the emulator timeline (same run, same status), real seconds.
 */
function eventFigures(events, timelines, scale) {
  const at = new Map();
  for (const t of timelines) for (const step of t.transitions) at.set(`${t.requestId} ${step.status}`, Date.parse(step.at));
  const lags = [];
  for (const e of events) {
    if (e.kind !== "run") continue;
    const when = at.get(`${e.runId} ${e.status}`);
    if (when !== undefined) lags.push((e.t - when) / 1000 / scale);
  }
  const s = summary(lags);
  return {
    received: events.length,
    runEvents: events.filter((e) => e.kind === "run").length,
    deliveryLagRealSeconds: { n: s.n, p50: round(s.p50), p95: round(s.p95), max: round(s.max) },
  };
}

/** The benchmark's users: three ordinary ones and an admin (who samples every run). */
export const USERS = { alice: "alice-bench-pw", bob: "bob-bench-pw", carol: "carol-bench-pw", admin: "admin-bench-pw" };
const WORKFLOW_MIX = ["1000001", "1000002", "1000003"];

/** n submissions, users round-robin, workflows 1000001/1000002/1000003 in turn, all at once. */
export function evenPlan(n) {
  const users = ["alice", "bob", "carol"];
  return Array.from({ length: n }, (_, i) => ({ user: users[i % 3], workflowId: WORKFLOW_MIX[i % 3], atMs: 0 }));
}

/**
 * @param {object} o
 * @param {string} o.root
 * @param {string} o.label
 * @param {number} o.scale
 * @param {boolean} o.events
 * @param {{user: string, workflowId: string, atMs: number}[]} o.plan  submissions; atMs = wall ms after the start
 * @param {number} o.durationScale   emulator:duration-scale of every run
 * @param {number} o.concurrency     most POST /runs in flight
 * @param {number} [o.sampleMs]      WES sampling interval (wall ms); default from the fleet size
 * @param {number} o.deadlineRealSeconds  give up waiting after this long (real s)
 * @param {(m: string) => void} o.say
 */
export async function runFleet(o) {
  const { scale, say } = o;
  // Listing every run costs the API more as runs add up: sample less often for big fleets (the
  // exact staleness comes from the d1.write log lines, not from the sampler).
  o = { ...o, sampleMs: o.sampleMs ?? Math.min(2000, Math.max(250, o.plan.length)) };
  const stack = await startStack({ root: o.root, scale, events: o.events, users: USERS, label: o.label, say });
  const wes = new WesClient(stack.wesUrl, USERS);
  const emulator = new EmulatorClient(stack.emulatorUrl);
  const failures = [];
  try {
    const sampler = startSampler(wes, o.sampleMs, say);
    const drain = startLogDrain(emulator, 5000, say);
    const cpu = startCpuMonitor();
    const t0 = Date.now();
    say(`submitting ${o.plan.length} runs (duration scale ${o.durationScale}, concurrency ${o.concurrency})…`);
    const submissions = await mapLimit(o.plan, o.concurrency, async (p) => {
      const wait = t0 + p.atMs - Date.now();
      if (wait > 0) await sleep(wait);
      const sentAt = Date.now();
      const res = await wes.submit(p.user, p.workflowId, o.durationScale);
      return { ...p, ...res, sentAt };
    });
    const submitEnd = Date.now();
    const ok = submissions.filter((s) => s.status === 200);
    const rejected = submissions.filter((s) => s.status !== 200);
    if (rejected.length > 0) failures.push(`${rejected.length} submissions failed, e.g. ${rejected[0].status} ${rejected[0].error}`);
    say(`submitted ${ok.length}/${o.plan.length} in ${((submitEnd - t0) / 1000).toFixed(1)} s wall; waiting for every run to finish…`);
    const runs = ok.map((s) => ({ runId: s.runId, user: s.user, workflowId: s.workflowId, submittedAt: stack.created.get(s.runId) ?? s.sentAt }));
    const ids = runs.map((r) => r.runId);
    const deadline = t0 + o.deadlineRealSeconds * 1000 * scale;
    const pending = await waitAllFinal(sampler, ids, deadline, say, 30_000, stack.died);
    if (stack.died()) failures.push(stack.died());
    if (pending.length > 0)
      failures.push(`${pending.length} runs not final after ${o.deadlineRealSeconds} real s, e.g. ${pending[0]} (${sampler.latest.get(pending[0])})`);
    await sleep(Math.max(o.sampleMs * 2, 1500)); // a last sample or two, and the last log lines
    const end = Date.now();
    const samplerStats = await sampler.stop();
    await drain.stop();
    const machine = await cpu.stop();
    const metrics = await wes.metrics(stack.apiUrl);
    const timelines = await emulator.timelines(ids);
    const unfinished = timelines.filter((t) => !t.final);
    if (unfinished.length > 0) failures.push(`${unfinished.length} HealthOmics runs are not final in the emulator`);

    const gaps = summary(samplerStats.gaps);
    const analysis = analyzeRuns({
      runs,
      calls: emulator.calls,
      timelines,
      d1Writes: stack.d1Writes,
      created: stack.created,
      firstSeen: sampler.firstSeen,
      scale,
      // the sampling error is the real gap between samples (a sample takes time too)
      sampleIntervalMs: Number.isFinite(gaps.p95) ? Math.max(o.sampleMs, gaps.p95) : o.sampleMs,
    });
    const rates = rateFigures(emulator.calls, scale, t0, end);
    const budgetSlots = slotUse(metrics, rates);
    const throttles = throttleDetails(emulator.calls, scale, t0);
    const s = analysis.service;
    if (s.startRun201 !== runs.length || s.distinctStartedRuns !== runs.length) {
      failures.push(`StartRun answered 201 ${s.startRun201} times for ${s.distinctStartedRuns} distinct runs; expected exactly ${runs.length}`);
    }
    const throttled = emulator.calls.filter((c) => c.status === 429).length;
    if (throttled > 0) failures.push(`${throttled} HealthOmics calls were throttled (429)`);
    failures.push(...aboveQuota(rates).map((m) => `above the quota: ${m}`));
    const notFinalInWes = ids.filter((id) => !FINAL.has(sampler.latest.get(id) ?? ""));
    if (notFinalInWes.length > 0 && pending.length === 0) failures.push(`${notFinalInWes.length} runs not final in WES`);
    if (stack.unparsedLines() > 0) failures.push(`${stack.unparsedLines()} API log lines could not be parsed (D1 write counts may be short)`);
    const errors = stack.errorLines();
    if (errors > 0) failures.push(`the API logged ${errors} error lines`);
    return {
      label: o.label,
      codeHash: stack.codeHash,
      scale,
      durationScale: o.durationScale,
      submitted: o.plan.length,
      accepted: runs.length,
      wallSeconds: round((end - t0) / 1000),
      submissions,
      submitWallSeconds: round((submitEnd - t0) / 1000, 2),
      cpu: machine,
      events: o.events ? eventFigures(stack.events, timelines, scale) : undefined,
      sampler: { intervalMs: o.sampleMs, samples: samplerStats.samples, failures: samplerStats.failures, gapMsP50: round(gaps.p50), gapMsMax: round(gaps.max) },
      analysis,
      rates,
      budgetSlots,
      throttles,
      d1Writes: process.env.BENCH_DEBUG ? stack.d1Writes : undefined,
      emulatorCalls: emulator.calls,
      metrics,
      failures,
      t0,
    };
  } finally {
    await stack.stop();
  }
}
