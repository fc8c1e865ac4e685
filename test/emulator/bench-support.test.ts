/**
 * What the benchmark (bench/, docs/performance.md) relies on: the `emulator:duration-scale` StartRun
 * tag, the run timeline endpoints, and paging through the request log by sequence number.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { planFor } from "../../emulator/src/seed";
import { CANCEL_STOPPING_MS, schedule } from "../../emulator/src/timeline";
import { call, local, rid, startBody, waitForFinal } from "./helpers";

const T0 = Date.UTC(2026, 0, 1);

interface Timeline {
  runId: string;
  requestId: string;
  status: string;
  final: boolean;
  durationScale: number;
  transitions: { status: string; at: string }[];
  tasks: { taskId: string; name: string; transitions: { status: string; at: string }[] }[];
}

beforeAll(async () => {
  await local("DELETE", "/__emulator/faults");
  expect((await local("PUT", "/__emulator/config", { quotas: "off" })).status).toBe(200);
});

describe("duration scale", () => {
  it("stretches every phase and task of the plan, but not a cancel's STOPPING time", () => {
    const plain = schedule({ plan: planFor("1000001"), createdAt: T0, timeScale: 1 });
    const long = schedule({ plan: planFor("1000001"), createdAt: T0, timeScale: 1, durationScale: 120 });
    expect(long.phases.map((p) => p.status)).toEqual(plain.phases.map((p) => p.status));
    long.phases.forEach((p, i) => expect(p.at - T0).toBe((plain.phases[i]!.at - T0) * 120));
    long.tasks.forEach((t, i) => {
      expect(t.startTime - T0).toBe((plain.tasks[i]!.startTime - T0) * 120);
      expect(t.stopTime - T0).toBe((plain.tasks[i]!.stopTime - T0) * 120);
    });
    const running = long.phases.find((p) => p.status === "RUNNING")!.at;
    const cancelled = schedule({ plan: planFor("1000001"), createdAt: T0, timeScale: 1, durationScale: 120, cancelledAt: running + 1000 });
    expect(cancelled.stopTime).toBe(running + 1000 + CANCEL_STOPPING_MS);
    expect(schedule({ plan: planFor("1000001"), createdAt: T0, timeScale: 1, durationScale: 1 })).toEqual(plain);
  });

  it("is set per run by the StartRun tag emulator:duration-scale, and rejects values that are not positive numbers", async () => {
    const plain = await call("POST", "/run", startBody("1000001", rid("plain")));
    const long = await call("POST", "/run", startBody("1000001", rid("long"), { tags: { "emulator:duration-scale": "3" } }));
    expect(long.status).toBe(201);
    const [a, b] = await Promise.all(
      [plain, long].map(async (r) => (await local("GET", `/__emulator/runs/${String(r.json!.id)}/timeline`)).json as unknown as Timeline),
    );
    expect(a!.durationScale).toBe(1);
    expect(b!.durationScale).toBe(3);
    await waitForFinal(String(plain.json!.id));
    // At time scale 0.05 the plain run lasts ≈ 1.6 s; the stretched one ≈ 4.8 s, so it is still live.
    expect((await call("GET", `/run/${String(long.json!.id)}`)).json!.status).not.toMatch(/COMPLETED|FAILED/);
    for (const bad of ["0", "-2", "abc", "", "10001"]) {
      const r = await call("POST", "/run", startBody("1000001", rid("bad"), { tags: { "emulator:duration-scale": bad } }));
      expect(r.status).toBe(400);
      expect(String(r.json!.message)).toContain("emulator:duration-scale");
    }
  });
});

describe("timelines", () => {
  it("reports a run's transitions and its tasks' transitions up to now, never the future", async () => {
    // PENDING lasts 100 ms at time scale 0.05: a run stretched 50× stays PENDING long enough to be seen, even on a busy machine.
    const slow = String((await call("POST", "/run", startBody("1000001", rid("tl-slow"), { tags: { "emulator:duration-scale": "50" } }))).json!.id);
    const early = (await local("GET", `/__emulator/runs/${slow}/timeline`)).json as unknown as Timeline;
    expect(early).toMatchObject({ runId: slow, status: "PENDING", final: false, tasks: [] });
    expect(early.transitions).toEqual([{ status: "PENDING", at: expect.stringMatching(/Z$/) }]);
    const started = await call("POST", "/run", startBody("1000001", rid("tl")));
    const id = String(started.json!.id);
    const finalRun = await waitForFinal(id);
    const done = (await local("GET", `/__emulator/runs/${id}/timeline`)).json as unknown as Timeline;
    expect(done.final).toBe(true);
    expect(done.transitions.map((t) => t.status)).toEqual(["PENDING", "STARTING", "RUNNING", "STOPPING", "COMPLETED"]);
    expect(done.transitions.at(-1)!.at).toBe(finalRun.stopTime);
    expect(done.transitions[2]!.at).toBe(finalRun.startTime);
    const times = done.transitions.map((t) => Date.parse(t.at));
    expect([...times].sort((x, y) => x - y)).toEqual(times);
    expect(done.tasks.map((t) => t.name)).toEqual(["FastqToBam", "AlignReads", "CallVariants"]);
    for (const t of done.tasks) expect(t.transitions.map((s) => s.status)).toEqual(["PENDING", "STARTING", "RUNNING", "COMPLETED"]);
    expect((await local("GET", "/__emulator/runs/9999999/timeline")).status).toBe(404);
  });

  it("answers many runs at once by run id or StartRun requestId, naming the ones it does not know", async () => {
    const requestId = rid("batch");
    const started = await call("POST", "/run", startBody("1000003", requestId));
    const id = String(started.json!.id);
    const res = await local("POST", "/__emulator/timelines", { runIds: [id, "9999999"], requestIds: [requestId, "nope"] });
    expect(res.status).toBe(200);
    const timelines = res.json.timelines as Timeline[];
    expect(timelines.map((t) => [t.runId, t.requestId])).toEqual([
      [id, requestId],
      [id, requestId],
    ]);
    expect(res.json.missing).toEqual(["9999999", "nope"]);
    expect((await local("POST", "/__emulator/timelines", { runIds: "x" })).status).toBe(400);
    expect((await local("POST", "/__emulator/timelines", { runIds: Array.from({ length: 1001 }, (_, i) => String(i)) })).status).toBe(400);
  });
});

describe("request log paging", () => {
  it("numbers entries: afterSeq returns only newer ones, lastSeq says where to continue", async () => {
    await call("GET", "/workflow/1000002");
    const first = (await local("GET", "/__emulator/requests")).json as { requests: unknown[]; lastSeq: number };
    expect(first.lastSeq).toBeGreaterThan(0);
    const requestId = rid("seq");
    await call("POST", "/run", startBody("1000001", requestId));
    await call("GET", "/workflow/1000001");
    const next = (await local("GET", `/__emulator/requests?afterSeq=${first.lastSeq}`)).json as {
      requests: { operation: string; requestId?: string }[];
      lastSeq: number;
    };
    expect(next.requests.map((r) => r.operation)).toEqual(["StartRun", "GetWorkflow"]);
    expect(next.requests[0]!.requestId).toBe(requestId);
    expect(next.lastSeq).toBe(first.lastSeq + 2);
    const none = (await local("GET", `/__emulator/requests?afterSeq=${next.lastSeq}`)).json;
    expect(none).toEqual({ requests: [], lastSeq: next.lastSeq });
    expect((await local("GET", "/__emulator/requests?afterSeq=-1")).status).toBe(400);
  });
});
