/**
 * HealthOmics EventBridge events: an event wakes its run's object at once; unauthenticated,
 * malformed, unknown, duplicated and out-of-date events are harmless.
 */
import { runInDurableObject } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { RunObject } from "../../src/executors/healthomics/run/run-object";
import type { RunState } from "../../src/executors/healthomics/run/run-state";
import { call, runBody, submit } from "../support/api";
import { addFault, countCalls, untilCalls } from "../support/emulator";
import { drain, drive, runRow, runStub } from "../support/runs";

const SECRET = "test-events-secret-0123456789";

function runEvent(uuid: string, status: string): Record<string, unknown> {
  return {
    version: "0",
    id: crypto.randomUUID(),
    "detail-type": "Run Status Change",
    source: "aws.omics",
    account: "123456789012",
    time: new Date().toISOString(),
    region: "us-east-1",
    resources: [],
    detail: { omicsVersion: "1.0.0", status, uuid, runId: "1234567" },
  };
}

async function post(body: unknown, secret: string | null = SECRET): Promise<Response> {
  const headers: Record<string, string> = { "Content-Type": "application/json" };
  if (secret !== null) headers["x-wes-events-secret"] = secret;
  return await exports.default.fetch(
    new Request("http://wes.test/integrations/healthomics/events", { method: "POST", headers, body: typeof body === "string" ? body : JSON.stringify(body) }),
  );
}

function taskEvent(uuid: string, status: string): Record<string, unknown> {
  return { ...runEvent(uuid, status), "detail-type": "Task Status Change", detail: { omicsVersion: "1.0.0", runUuid: uuid, taskId: "1234567", status } };
}

/**
 * A started run made to look long-quiet and RUNNING (polled every minute, its next alarm an hour
 * away), so that only what a test does next moves it; the emulator's own timeline may be anywhere.
 */
async function quietRunningRun(
  omicsStatus = "RUNNING",
  fields: Partial<RunState> = {},
): Promise<{ runId: string; uuid: string; stub: ReturnType<typeof runStub> }> {
  // Stretched 20×, the emulator's run stays live for about 35 s whatever the test does.
  const runId = await submit(runBody("1000002", { tags: { "emulator:duration-scale": "20" } }));
  await drive(runId, (s) => s !== "QUEUED");
  const stub = runStub(runId);
  await runInDurableObject(stub, async (_i: RunObject, storage) => {
    const state = (await storage.storage.get<RunState>("state"))!;
    await storage.storage.put("state", {
      ...state,
      omicsStatus,
      pollIntervalMs: 60_000,
      syncDue: false,
      terminal: undefined,
      reservations: undefined,
      ...fields,
    });
    await storage.storage.setAlarm(Date.now() + 3_600_000);
  });
  return { runId, uuid: await omicsUuid(runId), stub };
}

/** Cancels the run and drives it to its final state, so no test leaves a live run behind. */
async function cancelAndEnd(runId: string): Promise<void> {
  await call(`/runs/${runId}/cancel`, { method: "POST", user: "demo" });
  await drive(runId);
  await drain(runId);
}

/**
 * Lets the platform run the object's next step now. (Not `runDurableObjectAlarm`: an event's
 * nudge re-arms the alarm, and the platform would run that alarm beside a step started by hand,
 * which it never does with its own alarms.)
 */
async function stepNow(stub: ReturnType<typeof runStub>): Promise<void> {
  await runInDurableObject(stub, async (_i: RunObject, state) => await state.storage.setAlarm(Date.now()));
}

/** When the object's alarm is set for. */
async function alarmOf(stub: ReturnType<typeof runStub>): Promise<number | null> {
  return await runInDurableObject(stub, async (_i: RunObject, state) => await state.storage.getAlarm());
}

async function omicsUuid(runId: string): Promise<string> {
  const state = await runStub(runId).describe();
  if (!state?.omicsRunUuid) throw new Error("run has no HealthOmics uuid yet");
  return state.omicsRunUuid;
}

describe("HealthOmics events endpoint", () => {
  it("rejects events without the shared secret, or with a wrong one", async () => {
    for (const secret of [null, "", "wrong", `${SECRET}x`]) {
      const res = await post(runEvent("u", "RUNNING"), secret);
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ status_code: 401 });
    }
  });

  it("answers malformed events with a clear 400 and ignores unknown runs and event types", async () => {
    expect((await post("{not json")).status).toBe(400);
    expect((await post([1, 2])).status).toBe(400);
    expect((await post({ ...runEvent("u", "RUNNING"), source: "aws.s3" })).status).toBe(400);
    expect((await post({ ...runEvent("u", "RUNNING"), detail: {} })).status).toBe(400);
    const unknown = await post(runEvent(crypto.randomUUID(), "RUNNING"));
    expect(unknown.status).toBe(202);
    expect((await post({ ...runEvent("u", "x"), "detail-type": "Workflow Status Change" })).status).toBe(202);
  });

  it("wakes a quiet run at once", async () => {
    const runId = await submit(runBody("1000002"));
    await drive(runId, (s) => s !== "QUEUED");
    const stub = runStub(runId);
    const uuid = await omicsUuid(runId);
    // Make the run look long-quiet: its next poll an hour away.
    await runInDurableObject(stub, async (_i: RunObject, state) => {
      await state.storage.setAlarm(Date.now() + 3_600_000);
    });
    const before = Date.now();
    const res = await post(runEvent(uuid, "STOPPING")); // a status this run has not shown yet
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ accepted: true, run_id: runId });
    const alarm = await runInDurableObject(stub, async (_i: RunObject, state) => await state.storage.getAlarm());
    expect(alarm === null || alarm <= before + 5_000).toBe(true); // due now (or already running)
    expect(await stub.describe()).toMatchObject({ lastEventAt: expect.any(Number) });
    expect(await drive(runId)).toBe("COMPLETE");
    await drain(runId);
  });

  it("duplicated and out-of-date events never move a state backwards", async () => {
    const runId = await submit(runBody("1000001"));
    expect(await drive(runId)).toBe("COMPLETE");
    const uuid = await omicsUuid(runId);
    const stale = runEvent(uuid, "RUNNING");
    for (let i = 0; i < 3; i++) expect([200, 202]).toContain((await post(stale)).status);
    await drain(runId);
    expect((await runRow(runId)).state).toBe("COMPLETE");
    const task = { ...runEvent(uuid, "COMPLETED"), "detail-type": "Task Status Change", detail: { runUuid: uuid, status: "COMPLETED" } };
    expect([200, 202]).toContain((await post(task)).status);
    expect((await runRow(runId)).state).toBe("COMPLETE");
  });

  it("a task event wakes a task sync, not a poll, and leaves the poll schedule alone", async () => {
    const { runId, uuid, stub } = await quietRunningRun();
    const getRuns = await countCalls(runId, "GetRun");
    const listings = await countCalls(runId, "ListRunTasks");
    expect((await post(taskEvent(uuid, "RUNNING"))).status).toBe(200);
    await untilCalls(runId, "ListRunTasks", listings + 1); // the sync ran at once (its alarm was due now)
    const after = (await stub.describe())!;
    expect(after).toMatchObject({ pollIntervalMs: 60_000, lastTaskEventAt: expect.any(Number) });
    expect(after.lastRunEventAt).toBeUndefined();
    // No GetRun, and the next poll keeps its own interval rather than the minimum an event used to force on it.
    expect(await countCalls(runId, "GetRun")).toBe(getRuns);
    expect(await alarmOf(stub)).toBeGreaterThan(Date.now() + 30_000);
    await cancelAndEnd(runId);
  });

  it("a task event for a run not yet seen RUNNING brings a poll forward too", async () => {
    const { runId, uuid, stub } = await quietRunningRun("STARTING");
    const getRuns = await countCalls(runId, "GetRun");
    expect((await post(taskEvent(uuid, "RUNNING"))).status).toBe(200);
    expect(await stub.describe()).toMatchObject({ lastRunEventAt: expect.any(Number), lastTaskEventAt: expect.any(Number), pollDue: true });
    await untilCalls(runId, "GetRun", getRuns + 1); // right after the task sync, not a minute later
    await cancelAndEnd(runId);
  });

  it("a task event that arrives while ListRunTasks is on its way keeps the next task sync due", async () => {
    const { runId, uuid, stub } = await quietRunningRun();
    await runInDurableObject(stub, async (_i: RunObject, storage) => {
      const state = (await storage.storage.get<RunState>("state"))!;
      await storage.storage.put("state", { ...state, syncDue: true });
    });
    await addFault({ requestId: runId, operation: "ListRunTasks", kind: "latency", latencyMs: 1_500, count: 1 });
    const getRuns = await countCalls(runId, "GetRun");
    const listings = await countCalls(runId, "ListRunTasks");
    await stepNow(stub); // the sync, held up for 1.5 s in the emulator
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await post(taskEvent(uuid, "COMPLETED"))).status).toBe(200);
    // The listing may predate the change the event announced: the object lists the tasks again
    // straight away (before, it polled GetRun instead and the task change waited for a later sync).
    await untilCalls(runId, "ListRunTasks", listings + 2);
    expect(await countCalls(runId, "GetRun")).toBe(getRuns);
    await cancelAndEnd(runId);
  });

  it("a run event that arrives while GetRun is on its way keeps the next poll close, even when that GetRun saw a change", async () => {
    // Events are flowing and the object last saw a status GetRun will not return: this poll sees a change.
    const { runId, uuid, stub } = await quietRunningRun("UNKNOWN", { lastEventAt: Date.now(), lastRunEventAt: Date.now() - 120_000 });
    await addFault({ requestId: runId, operation: "GetRun", kind: "latency", latencyMs: 1_500, count: 1 });
    const getRuns = await countCalls(runId, "GetRun");
    await stepNow(stub); // the poll, held up for 1.5 s in the emulator
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await post(runEvent(uuid, "RUNNING"))).status).toBe(200);
    // A change seen while events flow would send polling to the 15-min safety net; but that
    // answer may predate the change the event announced, so the object polls again at once
    // (after the task sync the change asks for) rather than in 15 minutes.
    await untilCalls(runId, "GetRun", getRuns + 2);
    await cancelAndEnd(runId);
  });

  it("a run event announcing the status the run already shows wakes nothing (a duplicate or late event)", async () => {
    const { runId, uuid, stub } = await quietRunningRun("RUNNING");
    const getRuns = await countCalls(runId, "GetRun");
    expect((await post(runEvent(uuid, "RUNNING"))).status).toBe(200);
    const after = (await stub.describe())!;
    expect(after).toMatchObject({ pollIntervalMs: 60_000, lastEventAt: expect.any(Number) });
    expect(after.pollDue).toBeFalsy();
    expect(await alarmOf(stub)).toBeGreaterThan(Date.now() + 30 * 60_000); // still the quiet run's next poll
    expect(await countCalls(runId, "GetRun")).toBe(getRuns);
    await cancelAndEnd(runId);
  });
});
