/**
 * The chaos campaign's own logic (bench/lib/chaos/), without a stack: the seeded plan, the fault
 * rules against the emulator's real decision function, and every invariant — each shown to fail
 * on a recorded history that breaks it, so a campaign that passes means something.
 */
import { describe, expect, it } from "vitest";
import { decideFaults, type FaultRule } from "../../emulator/src/faults";
import { faultRules } from "../../bench/lib/chaos/faults.mjs";
import { compareProgress, greedyRefusals, progressOfOthers } from "../../bench/lib/chaos/fairuse.mjs";
import { checkInvariants, expectedState } from "../../bench/lib/chaos/invariants.mjs";
import { makePlan, seededRandom, withoutGreedy } from "../../bench/lib/chaos/plan.mjs";

const PLAN = {
  seed: 7,
  runs: 200,
  greedy: 10,
  scale: 0.25,
  durationScale: 8,
  submitWindowMs: 240_000,
  cancelShare: 0.25,
  restarts: 4,
  evictEveryMs: 4000,
  sweepEveryMs: 75_000,
};

describe("the plan", () => {
  it("is the same for the same seed and differs for another", () => {
    expect(makePlan(PLAN)).toEqual(makePlan(PLAN));
    expect(makePlan({ ...PLAN, seed: 8 }).runs).not.toEqual(makePlan(PLAN).runs);
  });

  it("is the same plan with and without the greedy burst, but for the burst (the fair-use comparison)", () => {
    const plain = makePlan({ ...PLAN, greedy: 0 });
    expect(withoutGreedy(makePlan(PLAN))).toEqual(plain);
    expect(withoutGreedy(makePlan({ ...PLAN, greedy: 60 }))).toEqual(plain);
  });

  it("has the asked shape: three users, the greedy burst, cancels, restarts spread over the active time", () => {
    const plan = makePlan(PLAN);
    const ordinary = plan.runs.filter((r) => r.user !== "greedy");
    expect(ordinary).toHaveLength(200);
    expect(new Set(ordinary.map((r) => r.user))).toEqual(new Set(["alice", "bob", "carol"]));
    expect(plan.runs.filter((r) => r.user === "greedy")).toHaveLength(10);
    expect(new Set(plan.runs.map((r) => r.key)).size).toBe(210);
    const cancels = ordinary.filter((r) => r.cancelAfterMs !== undefined).length;
    expect(cancels).toBeGreaterThan(25);
    expect(cancels).toBeLessThan(75);
    expect(ordinary.every((r) => r.atMs >= 0 && r.atMs <= PLAN.submitWindowMs)).toBe(true);
    expect(plan.restarts).toHaveLength(4);
    const at = plan.restarts.map((r) => r.atMs);
    expect(at).toEqual([...at].sort((a, b) => a - b));
    expect(at.every((t) => t > 0 && t < plan.activeMs)).toBe(true);
  });
});

describe("the fault rules", () => {
  it("make the emulator inject 20 % 5xx, 10 % throttling, 5 % drops, and lose 20 % of StartRun answers that get through", () => {
    const rules = faultRules({ error: 0.2, throttle: 0.1, drop: 0.05, latency: 0.05, latencyMs: 2000, lostAnswer: 0.2 }).map((r: object, i: number) => ({
      ...r,
      id: String(i),
      source: "api",
    })) as FaultRule[];
    const random = seededRandom(42);
    const n = 100_000;
    const counts = { error: 0, throttle: 0, drop: 0, latency: 0, lost: 0, through: 0 };
    for (let i = 0; i < n; i++) {
      const { decision } = decideFaults(rules, "StartRun", random);
      if (decision.before) counts[decision.before] += 1;
      else {
        counts.through += 1;
        if (decision.after) counts.lost += 1;
      }
      if (decision.latencyMs > 0) counts.latency += 1;
    }
    expect(counts.error / n).toBeCloseTo(0.2, 2);
    expect(counts.throttle / n).toBeCloseTo(0.1, 2);
    expect(counts.drop / n).toBeCloseTo(0.05, 2);
    expect(counts.latency / n).toBeCloseTo(0.05, 2);
    expect(counts.lost / counts.through).toBeCloseTo(0.2, 1);
    // GetRun gets the steady faults and never an afterProcessing one.
    expect(decideFaults(rules, "GetRun", () => 0.99).decision).toEqual({ latencyMs: 0 });
  });
});

// A healthy history: run A completed, run B was cancelled before it started, run C was cancelled
// while running; the API was down once; StartRun's answer for A was lost once and repeated.
const T = Date.parse("2026-01-01T00:00:00.000Z");
const iso = (s: number) => new Date(T + s * 1000).toISOString();
const down = { killAt: T + 50_000, startAt: T + 52_000, readyAt: T + 60_000 };

function healthy() {
  const submissions = [
    { index: 0, user: "alice", workflowId: "1000001", runId: "A", acceptedAt: T, attempts: 1, refused429: 0 },
    {
      index: 1,
      user: "bob",
      workflowId: "1000002",
      runId: "B",
      acceptedAt: T,
      attempts: 2,
      refused429: 0,
      cancel: { requestedAt: T + 1000, answeredAt: T + 1100, status: 200, attempts: 1 },
    },
    {
      index: 2,
      user: "carol",
      workflowId: "1000003",
      runId: "C",
      acceptedAt: T,
      attempts: 1,
      refused429: 0,
      cancel: { requestedAt: T + 20_000, answeredAt: T + 20_100, status: 200, attempts: 1 },
    },
  ];
  const listed = new Map([
    ["A", { state: "COMPLETE", tags: { chaos: "0" } }],
    ["B", { state: "CANCELED", tags: { chaos: "1" } }],
    ["C", { state: "CANCELED", tags: { chaos: "2" } }],
  ]);
  const submitted = (id: string, uuid: string) => [`x Submitted to AWS HealthOmics as run ${id} (uuid ${uuid}, status PENDING).`];
  const final = new Map([
    ["A", { state: "COMPLETE", systemLogs: submitted("2100001", "ua") }],
    ["B", { state: "CANCELED", systemLogs: ["Canceled by bob before it was submitted to HealthOmics."] }],
    ["C", { state: "CANCELED", systemLogs: submitted("2100002", "uc") }],
  ]);
  const calls = [
    { operation: "StartRun", at: iso(1), status: 500, requestId: "A", runId: "2100001" },
    { operation: "StartRun", at: iso(3), status: 201, requestId: "A", runId: "2100001" },
    { operation: "StartRun", at: iso(2), status: 201, requestId: "C", runId: "2100002" },
    { operation: "GetRun", at: iso(30), status: 200, runId: "2100001" },
    { operation: "CancelRun", at: iso(21), status: 202, runId: "2100002" },
  ];
  const timelines = [
    {
      requestId: "A",
      runId: "2100001",
      uuid: "ua",
      status: "COMPLETED",
      final: true,
      transitions: [
        { status: "PENDING", at: iso(1) },
        { status: "COMPLETED", at: iso(40) },
      ],
    },
    {
      requestId: "C",
      runId: "2100002",
      uuid: "uc",
      status: "CANCELLED",
      final: true,
      transitions: [
        { status: "PENDING", at: iso(2) },
        { status: "CANCELLED", at: iso(22) },
      ],
    },
  ];
  const responses: Array<{ kind: string; user: string; status: number; sentAt: number; at: number; error?: string; retryAfter?: string }> = [
    { kind: "submit", user: "alice", status: 200, sentAt: T, at: T + 100 },
    { kind: "list", user: "admin", status: 0, sentAt: T + 51_000, at: T + 51_001, error: "fetch failed" },
    { kind: "list", user: "admin", status: 502, sentAt: T + 55_000, at: T + 55_100, error: "bad gateway" },
  ];
  return { submissions, listed, final, calls, timelines, downs: [down], responses, limitsOn: false };
}

type History = ReturnType<typeof healthy>;
function broken(change: (h: History) => void): string[] {
  const h = healthy();
  change(h);
  return checkInvariants(h).failures;
}

describe("the invariants", () => {
  it("hold on a healthy history, and count what happened", () => {
    const { failures, figures } = checkInvariants(healthy());
    expect(failures).toEqual([]);
    expect(figures.finalStates).toEqual({ COMPLETE: 1, CANCELED: 2 });
    expect(figures.startRun).toEqual({ calls: 3, lostAnswers: 1, repeatsAfterLostAnswer: 1, replaysAnswered201: 1 });
    expect(figures.cancels).toMatchObject({ requested: 2, accepted: 2, canceled: 2 });
    expect(figures.clients).toMatchObject({ serverErrors: 1, serverErrorsWhileDown: 1, networkErrorsWhileDown: 1 });
  });

  it("map HealthOmics' final status as the service must", () => {
    expect(expectedState("COMPLETED", "1000001")).toBe("COMPLETE");
    expect(expectedState("FAILED", "1000003")).toBe("EXECUTOR_ERROR");
    expect(expectedState("FAILED", "1000004")).toBe("SYSTEM_ERROR");
    expect(expectedState("CANCELLED", "1000002")).toBe("CANCELED");
  });

  it("catch a lost run, a stranded one, and a submission never accepted", () => {
    expect(broken((h) => h.listed.delete("A"))).toEqual([expect.stringMatching(/^lost runs .*: 1 \(A\)/)]);
    expect(broken((h) => h.final.set("A", { state: "RUNNING", systemLogs: h.final.get("A")!.systemLogs }))).toEqual([
      expect.stringMatching(/^stranded runs .*: 1 \(A RUNNING\)/),
    ]);
    const never = broken((h) => {
      Object.assign(h.submissions[0]!, { runId: undefined, gaveUp: "still 0 at the give-up time" });
      h.listed.delete("A");
    });
    expect(never).toContainEqual(expect.stringMatching(/^submissions never accepted: 1/));
  });

  it("catch a COMPLETE run whose outputs could not be read (the emulated S3 is never faulted)", () => {
    const unread = "2026-12-07T10:00:00.000Z Outputs could not be read: fetch failed (gave up after 4 attempts).";
    const complete = (h: History) => [...h.final.entries()].find(([, f]) => f.state === "COMPLETE")!;
    expect(
      broken((h) => {
        const [id, f] = complete(h);
        h.final.set(id, { ...f, systemLogs: [...f.systemLogs, unread] });
      }),
    ).toEqual([expect.stringMatching(/^COMPLETE runs whose outputs could not be read: 1/)]);
  });

  it("catch a submission stored twice and a run no client heard of", () => {
    const failures = broken((h) => h.listed.set("D", { state: "COMPLETE", tags: { chaos: "0" } }));
    expect(failures).toContainEqual(expect.stringMatching(/^submissions stored as more than one WES run: 1 \(#0: A, D\)/));
    expect(failures).toContainEqual(expect.stringMatching(/^WES runs no client was told about: 1 \(D\)/));
  });

  it("catch a second HealthOmics run for one WES run, and one started for no WES run", () => {
    expect(broken((h) => h.calls.push({ operation: "StartRun", at: iso(5), status: 201, requestId: "A", runId: "2100009" }))).toContainEqual(
      expect.stringMatching(/^WES runs with more than one HealthOmics run: 1 \(A: 2100001, 2100009\)/),
    );
    expect(broken((h) => h.calls.push({ operation: "StartRun", at: iso(5), status: 201, requestId: "Z", runId: "2100010" }))).toEqual([
      expect.stringMatching(/^HealthOmics runs started for no accepted WES run: 1/),
    ]);
  });

  it("catch final states that disagree with HealthOmics, orphans, and logs naming another run", () => {
    expect(broken((h) => (h.timelines[0]!.status = "CANCELLED"))).toEqual([
      expect.stringMatching(/^final states that disagree.*A is COMPLETE, its HealthOmics run ended CANCELLED/),
    ]);
    expect(broken((h) => Object.assign(h.timelines[1]!, { status: "RUNNING", final: false }))).toContainEqual(
      expect.stringMatching(/^HealthOmics runs still live after their WES run ended/),
    );
    // CANCELED with no HealthOmics run, though nobody cancelled it.
    expect(broken((h) => delete h.submissions[1]!.cancel)).toContainEqual(expect.stringMatching(/B is CANCELED but HealthOmics never had a run for it/));
    expect(broken((h) => (h.final.get("A")!.systemLogs = ["Submitted to AWS HealthOmics as run 2100001 (uuid other, status PENDING)."]))).toEqual([
      expect.stringMatching(/^run logs not naming exactly/),
    ]);
  });

  it("catch a cancel the service ignored, but not one that lost the race to the run's end", () => {
    const ignored = (h: History) => {
      h.final.set("C", { state: "EXECUTOR_ERROR", systemLogs: h.final.get("C")!.systemLogs });
      Object.assign(h.timelines[1]!, {
        status: "FAILED",
        transitions: [
          { status: "PENDING", at: iso(2) },
          { status: "FAILED", at: iso(200) },
        ],
      });
      h.calls = h.calls.filter((c) => c.operation !== "CancelRun");
    };
    expect(broken(ignored)).toEqual([expect.stringMatching(/^cancels ignored: 1 \(C ended FAILED 179.9 s after/)]);
    const raced = broken((h) => {
      ignored(h);
      h.calls.push({ operation: "CancelRun", at: iso(199), status: 500, runId: "2100002" });
    });
    expect(raced).toEqual([]);
    expect(broken((h) => (h.submissions[2]!.cancel!.status = 404))).toEqual([expect.stringMatching(/^cancels refused or unanswered: 1 \(C: 404\)/)]);
  });

  it("allow 5xx and network errors only while the API was down", () => {
    expect(broken((h) => h.responses.push({ kind: "get", user: "bob", status: 500, sentAt: T + 61_000, at: T + 61_100, error: "boom" }))).toEqual([
      expect.stringMatching(/^5xx answers while the API was up: 1 \(get as bob/),
    ]);
    expect(broken((h) => h.responses.push({ kind: "submit", user: "bob", status: 0, sentAt: T + 10_000, at: T + 10_001, error: "reset" }))).toEqual([
      expect.stringMatching(/^network errors while the API was up: 1/),
    ]);
    // A request sent before the kill and failed by it is excused.
    expect(broken((h) => h.responses.push({ kind: "get", user: "bob", status: 0, sentAt: T + 49_000, at: T + 50_001 }))).toEqual([]);
  });

  it("want every 429 to carry Retry-After and an ErrorResponse, only for the greedy user, who must meet the limits when they are on", () => {
    const tooMany = { kind: "submit", status: 429, sentAt: T, at: T + 1, error: '{"msg":"limit","status_code":429}' };
    expect(broken((h) => h.responses.push({ ...tooMany, user: "greedy" }))).toEqual([expect.stringMatching(/^429 answers without Retry-After/)]);
    expect(broken((h) => h.responses.push({ ...tooMany, user: "greedy", retryAfter: "5" }))).toEqual([]);
    expect(broken((h) => h.responses.push({ ...tooMany, user: "alice", retryAfter: "5" }))).toEqual([
      expect.stringMatching(/^429 answers to users within their limits/),
    ]);
    const greedy = { index: 3, user: "greedy", workflowId: "1000001", attempts: 3, refused429: 0, gaveUp: "still 429 at the give-up time" };
    expect(broken((h) => Object.assign(h, { limitsOn: true, submissions: [...h.submissions, greedy] }))).toContainEqual(
      "the greedy user never met a per-user limit (no 429)",
    );
    expect(broken((h) => Object.assign(h, { limitsOn: true, submissions: [...h.submissions, { ...greedy, refused429: 3 }] }))).toEqual([]);
  });
});

describe("the fair-use figures", () => {
  it("count the greedy user's 429s by the limit they name, with their Retry-After, and nobody else's", () => {
    const answer = (user: string, status: number, limit?: string, retryAfter?: string) => ({
      kind: "submit",
      user,
      status,
      retryAfter,
      error: limit ? `{"msg":"… (${limit}) …","status_code":429}` : undefined,
    });
    const figures = greedyRefusals([
      answer("greedy", 429, "WES_USER_MAX_ACTIVE_RUNS", "60"),
      answer("greedy", 429, "WES_USER_MAX_ACTIVE_RUNS", "60"),
      answer("greedy", 429, "WES_USER_SUBMISSIONS_PER_MINUTE", "7"),
      answer("greedy", 200),
      answer("alice", 429, "WES_USER_MAX_ACTIVE_RUNS", "60"),
    ]);
    expect(figures).toEqual({
      answers429: 3,
      byLimit: { WES_USER_MAX_ACTIVE_RUNS: 2, WES_USER_SUBMISSIONS_PER_MINUTE: 1 },
      retryAfterSeconds: { min: 7, p50: 60, max: 60 },
    });
  });

  it("compare the other users' never-cancelled runs only, with and without the greedy user", () => {
    const run = (index: number, user: string, toStart: number, toFinal: number) => ({
      index,
      user,
      acceptedAt: 1000,
      omics: { createdAt: 1000 + toStart },
      finalWrittenAt: 1000 + toFinal,
    });
    const cancelled = new Set([2]);
    const withGreedy = progressOfOthers([run(0, "alice", 2000, 60_000), run(1, "bob", 4000, 80_000), run(2, "alice", 1, 1), run(3, "greedy", 1, 1)], cancelled);
    const without = progressOfOthers([run(0, "alice", 1000, 50_000), run(1, "bob", 3000, 70_000), run(2, "alice", 9e6, 9e6)], cancelled);
    expect(withGreedy.toFinal).toMatchObject({ n: 2, p50: 70 });
    expect(without.toStart).toMatchObject({ n: 2, p50: 2 });
    const ratios = compareProgress(withGreedy, without);
    expect(ratios.toStart.p50).toEqual({ withGreedy: 3, withoutGreedy: 2, ratio: 1.5 });
    expect(ratios.toFinal.p50.ratio).toBe(1.17);
  });
});
