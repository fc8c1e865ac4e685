/**
 * Reliability against injected faults, object eviction, duplicated steps and state written by
 * older code: each run still reaches the right final state with exactly one HealthOmics run.
 */
import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { RunObject } from "../../src/executors/healthomics/run/run-object";
import type { RunState } from "../../src/executors/healthomics/run/run-state";
import type { RunStateV3 } from "../../src/executors/healthomics/run/state-upgrade";
import { runBody, submit } from "../support/api";
import { addFault, callsFor, omicsRunsFor } from "../support/emulator";
import { drain, drive, runRow, runStub } from "../support/runs";

describe("faults", () => {
  it("survives throttling, 5xx answers (a StartRun that succeeded but whose answer was lost) and dropped connections", async () => {
    const runId = await submit(runBody("1000001"));
    await addFault({ requestId: runId, kind: "throttle", count: 2 });
    await addFault({ requestId: runId, operation: "StartRun", kind: "error", count: 1, afterProcessing: true });
    await addFault({ requestId: runId, operation: "GetRun", kind: "error", count: 1 });
    await addFault({ requestId: runId, kind: "drop", count: 1 });
    expect(await drive(runId)).toBe("COMPLETE");
    const calls = await callsFor(runId);
    expect(calls.filter((c) => c.status === 429).length).toBe(2);
    expect(calls.filter((c) => c.operation === "StartRun").length).toBeGreaterThanOrEqual(2); // the lost answer was retried with the same requestId
    expect(await omicsRunsFor(runId)).toHaveLength(1); // …and HealthOmics returned the same run
    await drain(runId);
  });

  it("carries on after the object is evicted mid-run", async () => {
    const runId = await submit(runBody("1000001"));
    expect(await drive(runId, (s) => s === "RUNNING" || s === "INITIALIZING")).toMatch(/RUNNING|INITIALIZING/);
    await evictDurableObject(runStub(runId));
    expect(await drive(runId)).toBe("COMPLETE");
    expect(await omicsRunsFor(runId)).toHaveLength(1);
    await drain(runId);
  });

  it("a duplicated start step starts one HealthOmics run", async () => {
    const runId = await submit(runBody("1000001"));
    const stub = runStub(runId);
    await stub.start(runId); // a repeated hand-over changes nothing
    await runInDurableObject(stub, async (_instance: RunObject, state) => {
      const stored = (await state.storage.get<RunState>("state"))!;
      await state.storage.put("state", { ...stored, phase: "starting" }); // as if a start step died after sending StartRun
    });
    await Promise.all([runDurableObjectAlarm(stub), stub.ensureScheduled(runId)]);
    expect(await drive(runId)).toBe("COMPLETE");
    expect(await omicsRunsFor(runId)).toHaveLength(1);
    await drain(runId);
  });

  it("a live run survives a deploy mid-run: the state the previous code wrote (v3) is carried on", async () => {
    const runId = await submit(runBody("1000002"));
    expect(await drive(runId, (s) => s === "RUNNING")).toBe("RUNNING");
    const stub = runStub(runId);
    const before = (await stub.describe())!;
    // What the previous code stored mid-run: a task sync due, a poll's slot held, its alarm now.
    const v3: RunStateV3 = {
      version: 3,
      runId,
      phase: "started",
      omicsRunId: before.omicsRunId!,
      omicsRunUuid: before.omicsRunUuid!,
      omicsStatus: "RUNNING",
      cancelRequested: false,
      cancelSent: false,
      attempt: 0,
      pollIntervalMs: 1_000,
      nextAt: Date.now(),
      taskSyncDueAt: Date.now(),
      taskSyncIntervalMs: 1_000,
      reportedState: "RUNNING",
      lastChangeAt: Date.now(),
      syncDue: true,
      reservations: { GetRun: { at: Date.now() + 200 } },
    };
    await runInDurableObject(stub, async (_instance: RunObject, state) => {
      await state.storage.put("state", v3);
      await state.storage.setAlarm(Date.now());
    });
    expect(await drive(runId)).toBe("COMPLETE");
    expect(await stub.describe()).toMatchObject({ version: 5, phase: "finished", work: {} });
    expect(await omicsRunsFor(runId)).toHaveLength(1);
    await drain(runId);
  });
});
