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
      terminal: undefined,
      work: { poll: { at: Date.now() + 3_600_000 } },
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
 * Makes the object's poll due now and lets the platform run it. (Not `runDurableObjectAlarm`: an event's
 * nudge re-arms the alarm, and the platform would run that alarm beside a step started by hand,
 * which it never does with its own alarms.)
 */
async function pollNow(stub: ReturnType<typeof runStub>): Promise<void> {
  await runInDurableObject(stub, async (_i: RunObject, storage) => {
    const state = (await storage.storage.get<RunState>("state"))!;
    await storage.storage.put("state", { ...state, work: { ...state.work, poll: { at: Date.now() } } });
    await storage.storage.setAlarm(Date.now());
  });
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

  it("a run event that arrives while GetRun is on its way keeps the next poll close, even when that GetRun saw a change", async () => {
    // Events are flowing and the object last saw a status GetRun will not return: this poll sees a change.
    const { runId, uuid, stub } = await quietRunningRun("UNKNOWN", { lastEventAt: Date.now(), lastRunEventAt: Date.now() - 120_000 });
    await addFault({ requestId: runId, operation: "GetRun", kind: "latency", latencyMs: 1_500, count: 1 });
    const getRuns = await countCalls(runId, "GetRun");
    await pollNow(stub); // the poll, held up for 1.5 s in the emulator
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await post(runEvent(uuid, "STOPPING"))).status).toBe(200);
    // A change seen while events flow would send polling to the 15-min safety net; but that
    // answer (RUNNING) predates the change the event announced (STOPPING), so the object polls
    // again at once (after the task sync the change asks for) rather than in 15 minutes.
    await untilCalls(runId, "GetRun", getRuns + 2);
    await cancelAndEnd(runId);
  });
});
