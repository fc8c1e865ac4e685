/**
 * The burst scenario's submission plan and its own figures: submit latency, how long the start
 * ramp took, exactly-once StartRun, and whether starts went round-robin across users while several
 * users had runs waiting.
 */
import { round, summary } from "./stats.mjs";

/**
 * `total` submissions within `windowMs` (wall), three users, interleaved and bursty: alice sends
 * half in two bursts, bob a steady stream, carol two short bursts in between.
 */
export function burstPlan(total, windowMs) {
  const alice = Math.round(total * 0.5);
  const bob = Math.round(total * 0.3);
  const carol = total - alice - bob;
  const plan = [];
  const spread = (user, count, from, to, workflows) => {
    for (let i = 0; i < count; i++) {
      plan.push({ user, workflowId: workflows[i % workflows.length], atMs: Math.round(from + ((to - from) * i) / Math.max(1, count)) });
    }
  };
  const w = windowMs;
  spread("alice", Math.ceil(alice * 0.6), 0, 0.2 * w, ["1000001", "1000002"]);
  spread("alice", alice - Math.ceil(alice * 0.6), 0.6 * w, 0.8 * w, ["1000001", "1000002"]);
  spread("bob", bob, 0, 0.95 * w, ["1000002", "1000003"]);
  spread("carol", Math.ceil(carol / 2), 0.3 * w, 0.5 * w, ["1000003", "1000001"]);
  spread("carol", carol - Math.ceil(carol / 2), 0.8 * w, 0.95 * w, ["1000003", "1000001"]);
  return plan.sort((a, b) => a.atMs - b.atMs);
}

/**
 * Start order and fairness from the emulator's log. A "repeat" is a start by the same user as the
 * start before it; it is unfair when another user then had a run waiting: stored (run.created)
 * at least `toleranceMs` before that previous start, and started later. The tolerance is one
 * wall-clock second: the budget may grant a second's worth of starts at once (its burst), and a
 * granted run calls StartRun when its own alarm fires, so StartRun order lags grant order by up to
 * that much. The longest streak counts consecutive starts of one user, each repeat unfair.
 * @param {{runId: string, user: string, submittedAt: number}[]} runs
 * @param {{operation: string, at: string, status: number, requestId?: string}[]} calls
 */
export function burstFigures(runs, calls, submissions, scale, toleranceMs = 1000) {
  const byId = new Map(runs.map((r) => [r.runId, r]));
  const starts = calls
    .filter((c) => c.operation === "StartRun" && c.status === 201 && byId.has(c.requestId))
    .map((c) => ({ at: Date.parse(c.at), run: byId.get(c.requestId) }))
    .sort((a, b) => a.at - b.at);
  const startedAt = new Map(starts.map((s) => [s.run.runId, s.at]));
  let longest = starts.length ? 1 : 0;
  let streak = 1;
  let unfairRepeats = 0;
  for (let k = 1; k < starts.length; k++) {
    const user = starts[k].run.user;
    if (user !== starts[k - 1].run.user) {
      streak = 1;
      continue;
    }
    const prev = starts[k - 1].at;
    const othersWaiting = runs.some((r) => r.user !== user && r.submittedAt < prev - toleranceMs && (startedAt.get(r.runId) ?? Infinity) > starts[k].at);
    if (othersWaiting) {
      unfairRepeats += 1;
      streak += 1;
      longest = Math.max(longest, streak);
    } else streak = 1;
  }
  const first = Math.min(...submissions.map((s) => s.sentAt));
  const lastSent = Math.max(...submissions.map((s) => s.sentAt));
  const latencies = submissions.filter((s) => s.status === 200).map((s) => s.ms);
  const lat = summary(latencies);
  const perUser = {};
  for (const r of runs) {
    const u = (perUser[r.user] ??= { submitted: 0, firstStartIndex: null, lastStartIndex: null });
    u.submitted += 1;
  }
  starts.forEach((s, i) => {
    const u = perUser[s.run.user];
    if (u.firstStartIndex === null) u.firstStartIndex = i;
    u.lastStartIndex = i;
  });
  const starts201 = calls.filter((c) => c.operation === "StartRun" && c.status === 201 && byId.has(c.requestId));
  return {
    submissions: submissions.length,
    accepted: latencies.length,
    submitWindowWallSeconds: round((lastSent - first) / 1000, 2),
    // HTTP latency is not a time-dependent setting: wall-clock milliseconds, not scaled.
    submitLatencyMs: { p50: round(lat.p50), p99: round(lat.p99), max: round(lat.max) },
    startRun201: starts201.length,
    distinctRequestIds: new Set(starts201.map((c) => c.requestId)).size,
    firstStartRealSeconds: starts.length ? round((starts[0].at - first) / 1000 / scale) : null,
    lastStartRealSeconds: starts.length ? round((starts.at(-1).at - first) / 1000 / scale) : null,
    startRateRealPerSecond: starts.length > 1 ? round((starts.length - 1) / ((starts.at(-1).at - starts[0].at) / 1000 / scale), 3) : null,
    fairness: { longestStreakWhileOthersWait: longest, unfairRepeats, toleranceWallMs: toleranceMs, perUser },
    startOrder: starts.map((s) => s.run.user[0]).join(""),
  };
}
