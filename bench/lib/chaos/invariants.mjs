/**
 * The chaos campaign's invariants, as pure functions of what it recorded: the plan and what the
 * clients got, the service's final view of every run (as an admin), the emulator's request log and
 * run timelines (HealthOmics' truth), and when the API process was down. Each broken invariant is
 * one line in `failures`; `figures` are the counts behind them. docs/reliability.md explains each.
 */
import { callsOfRuns } from "../analyze.mjs";
import { FINAL } from "../observe.mjs";
import { GREEDY_USER } from "./plan.mjs";

/** The WES state HealthOmics' final status must have become (status-map.ts), per seeded workflow. */
export function expectedState(omicsStatus, workflowId) {
  if (omicsStatus === "COMPLETED") return "COMPLETE";
  if (omicsStatus === "CANCELLED") return "CANCELED";
  // 1000004 fails with IMPORT_FAILED (a system failure); 1000003 with RUN_TASK_FAILED (the workflow's).
  if (omicsStatus === "FAILED") return workflowId === "1000004" ? "SYSTEM_ERROR" : "EXECUTOR_ERROR";
  return undefined;
}

/** The HealthOmics run (id, uuid) each "Submitted to AWS HealthOmics" line of a run's system log names. */
export function submittedLines(systemLogs) {
  const out = [];
  for (const line of systemLogs ?? []) {
    const m = /Submitted to AWS HealthOmics as run (\S+) \(uuid ([^,)]+)/.exec(line);
    if (m) out.push({ id: m[1], uuid: m[2] });
  }
  return out;
}

/** Whether [from, to] overlaps a window when the API was down (from its kill until it answered again). */
export function duringDowntime(from, to, downs) {
  return downs.some((d) => from <= d.readyAt && to >= d.killAt);
}

/** Milliseconds of [from, to] during which the API was up. */
export function upTimeBetween(from, to, downs) {
  let up = Math.max(0, to - from);
  for (const d of downs) up -= Math.max(0, Math.min(to, d.readyAt) - Math.max(from, d.killAt));
  return up;
}

/** How long (API up) after its accepted cancel a run may still finish without any CancelRun attempt (wall ms). */
export const CANCEL_GRACE_MS = 60_000;

const examples = (list, n = 3) => list.slice(0, n).join("; ") + (list.length > n ? `; … (${list.length} in all)` : "");

/**
 * Checks every invariant.
 * @param {object} o
 * @param {import("./driver.mjs").Submission[]} o.submissions
 * @param {Map<string, {state: string, tags?: Record<string,string>}>} o.listed  the admin's final GET /runs
 * @param {Map<string, {state: string, systemLogs: string[]}>} o.final  GET /runs/{id} as admin, per accepted run (404s absent)
 * @param {{operation: string, at: string, status: number, requestId?: string, runId?: string}[]} o.calls  the emulator's request log
 * @param {{requestId: string, runId: string, uuid: string, status: string, final: boolean, transitions: {status: string, at: string}[]}[]} o.timelines
 * @param {import("./process.mjs").DownWindow[]} o.downs
 * @param {import("../clients.mjs").ClientResponse[]} o.responses
 * @param {boolean} o.limitsOn   per-user limits are configured (the greedy user must meet them)
 * @returns {{failures: string[], figures: Record<string, any>}}
 */
export function checkInvariants({ submissions, listed, final, calls, timelines, downs, responses, limitsOn }) {
  const failures = [];
  const fail = (what, list) => {
    if (list.length > 0) failures.push(`${what}: ${list.length} (${examples(list)})`);
  };
  const accepted = submissions.filter((s) => s.runId);
  const ids = accepted.map((s) => s.runId);
  const byId = new Map(accepted.map((s) => [s.runId, s]));
  const timelineOf = new Map(timelines.map((t) => [t.requestId, t]));
  const { byRun } = callsOfRuns(calls, ids);

  // Every planned submission was accepted (the greedy user's may be refused by the per-user limits).
  fail(
    "submissions never accepted",
    submissions.filter((s) => !s.runId && !(s.user === GREEDY_USER && limitsOn && s.refused429 > 0)).map((s) => `#${s.index} ${s.user}: ${s.gaveUp}`),
  );
  // One WES run per submission: an Idempotency-Key retry never stores a second run.
  const tagged = new Map();
  for (const [runId, r] of listed) {
    const index = r.tags?.chaos;
    if (index !== undefined) tagged.set(index, [...(tagged.get(index) ?? []), runId]);
  }
  fail(
    "submissions stored as more than one WES run",
    [...tagged].filter(([, runs]) => runs.length > 1).map(([index, runs]) => `#${index}: ${runs.join(", ")}`),
  );
  fail(
    "WES runs no client was told about",
    [...listed.keys()].filter((id) => !byId.has(id)),
  );
  // 0 lost, 0 stranded.
  const lost = ids.filter((id) => !listed.has(id) || !final.has(id));
  fail("lost runs (accepted, then unknown to the service)", lost);
  const stranded = ids.filter((id) => final.has(id) && !FINAL.has(final.get(id).state));
  fail(
    "stranded runs (not final at the end)",
    stranded.map((id) => `${id} ${final.get(id).state}`),
  );
  // The faults hit HealthOmics only: the emulated S3 always answers, so every COMPLETE run's
  // outputs must have been read (a note here once meant the stack pointed S3 at AWS).
  fail(
    "COMPLETE runs whose outputs could not be read",
    ids.filter((id) => final.get(id)?.state === "COMPLETE" && final.get(id).systemLogs.some((l) => l.includes("Outputs could not be read"))),
  );

  // Final states agree with HealthOmics; one HealthOmics run per WES run, the one the run's log names.
  const wrong = [];
  const orphans = [];
  const uuidMismatch = [];
  for (const id of ids) {
    const f = final.get(id);
    if (!f || !FINAL.has(f.state)) continue;
    const t = timelineOf.get(id);
    const s = byId.get(id);
    const lines = submittedLines(f.systemLogs);
    if (!t) {
      if (f.state !== "CANCELED" || !s.cancel) wrong.push(`${id} is ${f.state} but HealthOmics never had a run for it`);
      if (lines.length > 0) uuidMismatch.push(`${id} names HealthOmics run ${lines[0].id}, which does not exist`);
      continue;
    }
    if (!t.final) orphans.push(`${id} is ${f.state} while its HealthOmics run ${t.runId} is still ${t.status}`);
    else if (f.state !== expectedState(t.status, s.workflowId)) wrong.push(`${id} is ${f.state}, its HealthOmics run ended ${t.status}`);
    if (lines.length === 0 || lines.some((l) => l.uuid !== t.uuid || l.id !== t.runId))
      uuidMismatch.push(`${id}: log names ${JSON.stringify(lines)}, HealthOmics has ${t.runId} (${t.uuid})`);
  }
  fail("final states that disagree with HealthOmics", wrong);
  fail("HealthOmics runs still live after their WES run ended", orphans);
  fail("run logs not naming exactly the run's one HealthOmics run", uuidMismatch);

  // StartRun: one HealthOmics run per requestId, no StartRun for anything but an accepted run.
  const createdBy = new Map();
  const stray = [];
  const starts = calls.filter((c) => c.operation === "StartRun");
  for (const c of starts) {
    if (!c.runId) continue;
    if (!byId.has(c.requestId)) stray.push(`requestId ${c.requestId} → run ${c.runId}`);
    createdBy.set(c.requestId, new Set([...(createdBy.get(c.requestId) ?? []), c.runId]));
  }
  fail("HealthOmics runs started for no accepted WES run", stray);
  fail(
    "WES runs with more than one HealthOmics run",
    [...createdBy].filter(([, runs]) => runs.size > 1).map(([requestId, runs]) => `${requestId}: ${[...runs].join(", ")}`),
  );
  // A StartRun that HealthOmics performed but whose answer was lost (the log names the run it
  // created, the status is not 201), and the StartRuns with the same requestId after it.
  let lostAnswers = 0;
  let repeatsAfterLostAnswer = 0;
  let replays = 0;
  const seen = new Map();
  for (const c of starts) {
    const before = seen.get(c.requestId);
    if (before?.lost) repeatsAfterLostAnswer += 1;
    if (c.runId && before?.created && c.status === 201) replays += 1;
    const lostNow = Boolean(c.runId) && c.status !== 201;
    if (lostNow) lostAnswers += 1;
    seen.set(c.requestId, { created: Boolean(before?.created || c.runId), lost: Boolean(before?.lost || lostNow) });
  }

  // Every cancel honoured: CANCELED, unless HealthOmics had already finished the run.
  const cancels = { requested: 0, accepted: 0, canceled: 0, finishedFirst: 0, alreadyFinal: 0, unanswered: 0 };
  const ignored = [];
  const refusedCancels = [];
  for (const s of accepted) {
    if (!s.cancel) continue;
    cancels.requested += 1;
    if (s.cancel.status === undefined) {
      cancels.unanswered += 1;
      refusedCancels.push(`${s.runId}: no answer`);
      continue;
    }
    if (s.cancel.status === 409) {
      cancels.alreadyFinal += 1;
      continue;
    }
    if (s.cancel.status !== 200) {
      refusedCancels.push(`${s.runId}: ${s.cancel.status}`);
      continue;
    }
    cancels.accepted += 1;
    const state = final.get(s.runId)?.state;
    if (state === "CANCELED") {
      cancels.canceled += 1;
      continue;
    }
    if (!state || !FINAL.has(state)) continue; // stranded: counted above
    cancels.finishedFirst += 1;
    const t = timelineOf.get(s.runId);
    const end = t?.final ? Date.parse(t.transitions.at(-1).at) : undefined;
    const attempted = (byRun.get(s.runId) ?? []).some((c) => c.operation === "CancelRun");
    if (end !== undefined && !attempted && upTimeBetween(s.cancel.answeredAt, end, downs) > CANCEL_GRACE_MS) {
      ignored.push(`${s.runId} ended ${t.status} ${((end - s.cancel.answeredAt) / 1000).toFixed(1)} s after its cancel was accepted, without a CancelRun`);
    }
  }
  fail("cancels refused or unanswered", refusedCancels);
  fail("cancels ignored", ignored);

  // No 5xx to clients except while the process is down; every 429 says when to come back.
  const serverErrors = responses.filter((r) => r.status >= 500);
  const networkErrors = responses.filter((r) => r.status === 0);
  const outside = (list) => list.filter((r) => !duringDowntime(r.sentAt, r.at, downs));
  fail(
    "5xx answers while the API was up",
    outside(serverErrors).map((r) => `${r.kind} as ${r.user} at ${new Date(r.at).toISOString()}: ${r.status} ${r.error ?? ""}`.trim()),
  );
  fail(
    "network errors while the API was up",
    outside(networkErrors).map((r) => `${r.kind} as ${r.user} at ${new Date(r.at).toISOString()}: ${r.error ?? ""}`),
  );
  const tooMany = responses.filter((r) => r.status === 429);
  fail(
    "429 answers without Retry-After or an ErrorResponse",
    tooMany.filter((r) => r.retryAfter === undefined || !/"status_code":\s*429/.test(r.error ?? "")).map((r) => `${r.kind} as ${r.user}`),
  );
  fail(
    "429 answers to users within their limits",
    tooMany.filter((r) => r.user !== GREEDY_USER).map((r) => `${r.kind} as ${r.user}: ${r.error ?? ""}`),
  );
  const greedy = submissions.filter((s) => s.user === GREEDY_USER);
  if (limitsOn && greedy.length > 0 && !greedy.some((s) => s.refused429 > 0)) failures.push("the greedy user never met a per-user limit (no 429)");

  const states = {};
  for (const id of ids) {
    const state = final.get(id)?.state ?? "missing";
    states[state] = (states[state] ?? 0) + 1;
  }
  return {
    failures,
    figures: {
      planned: submissions.length,
      accepted: accepted.length,
      submitAttempts: submissions.reduce((a, s) => a + s.attempts, 0),
      finalStates: states,
      lost: lost.length,
      stranded: stranded.length,
      healthOmicsRuns: createdBy.size,
      startRun: { calls: starts.length, lostAnswers, repeatsAfterLostAnswer, replaysAnswered201: replays },
      cancels,
      clients: {
        responses: responses.length,
        serverErrors: serverErrors.length,
        serverErrorsWhileDown: serverErrors.length - outside(serverErrors).length,
        networkErrors: networkErrors.length,
        networkErrorsWhileDown: networkErrors.length - outside(networkErrors).length,
        tooManyRequests: tooMany.length,
      },
      greedy:
        greedy.length > 0
          ? { planned: greedy.length, accepted: greedy.filter((s) => s.runId).length, refused429: greedy.reduce((a, s) => a + s.refused429, 0) }
          : undefined,
    },
  };
}
