/**
 * Reliability against injected faults, object eviction, duplicated steps and state written by
 * older code: each run still reaches the right final state with exactly one HealthOmics run.
 */
import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { RunObject } from "../../src/executors/healthomics/run/run-object";
import type { RunState, RunStateV1 } from "../../src/executors/healthomics/run/run-state";
import { runBody, submit } from "../support/api";
import { addFault, callsFor, omicsRunsFor } from "../support/emulator";
import { drain, drive, runRow, runStub } from "../support/runs";

describe("faults", () => {
  it("survives a throttling storm on every operation", async () => {
    const runId = await submit(runBody("1000001"));
    await addFault({ requestId: runId, kind: "throttle", count: 6 });
    expect(await drive(runId)).toBe("COMPLETE");
    const calls = await callsFor(runId);
    expect(calls.filter((c) => c.status === 429).length).toBe(6);
    expect(await omicsRunsFor(runId)).toHaveLength(1);
    await drain(runId);
  });

  it("survives 5xx answers, including a StartRun that succeeded but whose answer was lost", async () => {
    const runId = await submit(runBody("1000001"));
    await addFault({ requestId: runId, operation: "StartRun", kind: "error", count: 1, afterProcessing: true });
    await addFault({ requestId: runId, operation: "GetRun", kind: "error", count: 2 });
    expect(await drive(runId)).toBe("COMPLETE");
    const starts = (await callsFor(runId)).filter((c) => c.operation === "StartRun");
    expect(starts.length).toBeGreaterThanOrEqual(2); // the lost answer was retried with the same requestId
    expect(await omicsRunsFor(runId)).toHaveLength(1); // …and HealthOmics returned the same run
    await drain(runId);
  });

  it("survives dropped connections", async () => {
    const runId = await submit(runBody("1000001"));
    await addFault({ requestId: runId, kind: "drop", count: 3 });
    expect(await drive(runId)).toBe("COMPLETE");
    expect(await omicsRunsFor(runId)).toHaveLength(1);
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

  it("reads the state an older version of the code wrote (v1 layout)", async () => {
    const runId = await submit(runBody("1000001"));
    expect(await drive(runId, (s) => s !== "QUEUED")).not.toBe("QUEUED");
    const stub = runStub(runId);
    const omicsRunId = (await runRow(runId)).omics_run_id!;
    const v1: RunStateV1 = { version: 1, runId, phase: "started", omicsRunId, cancelRequested: false };
    await runInDurableObject(stub, async (_instance: RunObject, state) => {
      await state.storage.deleteAll();
      await state.storage.put("state", v1);
      await state.storage.setAlarm(Date.now());
    });
    expect(await drive(runId)).toBe("COMPLETE");
    expect(await stub.describe()).toMatchObject({ version: 3, phase: "finished", omicsRunId });
    expect(await omicsRunsFor(runId)).toHaveLength(1);
    await drain(runId);
  });
});
