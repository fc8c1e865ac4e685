/**
 * The scheduled sweep re-arms live runs whose object has no pending alarm, and takes over runs
 * whose hand-over from POST /runs was lost, so no run is ever stranded.
 */
import { createExecutionContext, createScheduledController, runInDurableObject, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { database } from "../../src/db/client";
import { insertRun } from "../../src/db/runs";
import worker from "../../src/index";
import type { RunObject } from "../../src/executors/healthomics/run/run-object";
import { QUIET_MS, sweepRuns } from "../../src/executors/healthomics/run/sweep";
import { runBody, storedRequest, submit } from "../support/api";
import { omicsRunsFor } from "../support/emulator";
import { drain, drive, runStub } from "../support/runs";

describe("scheduled sweep", () => {
  it("re-arms a live run whose alarm was lost", async () => {
    const runId = await submit(runBody("1000001"));
    expect(await drive(runId, (s) => s !== "QUEUED")).not.toBe("QUEUED");
    const stub = runStub(runId);
    await runInDurableObject(stub, async (_instance: RunObject, state) => {
      await state.storage.deleteAlarm();
    });
    const counts = await sweepRuns(env, Date.now() + QUIET_MS + 60_000);
    expect(counts.rearmed).toBeGreaterThanOrEqual(1);
    // drive() only moves on when an alarm is pending, so reaching COMPLETE proves the run was re-armed.
    expect(await drive(runId)).toBe("COMPLETE");
    await drain(runId);
  });

  it("takes over a stored run whose hand-over was lost, and starts it once", async () => {
    const runId = crypto.randomUUID();
    const now = Date.now();
    await insertRun(
      database(env.DB),
      { id: runId, owner: "demo", state: "QUEUED", request: storedRequest("1000001"), tags: {}, createdAt: now, updatedAt: now, requestHash: "t" },
      [],
    );
    // The cron trigger goes through the Worker's real scheduled handler.
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ scheduledTime: now + QUIET_MS + 60_000, cron: "*/5 * * * *" }), env, ctx);
    await waitOnExecutionContext(ctx);
    expect(await runStub(runId).describe()).not.toBeNull();
    expect(await drive(runId)).toBe("COMPLETE");
    expect(await omicsRunsFor(runId)).toHaveLength(1);
    await drain(runId);
  });
});
