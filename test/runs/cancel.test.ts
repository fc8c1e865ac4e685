/**
 * Cancel in every phase: before StartRun (never sent), while StartRun is in flight (one run,
 * cancelled as soon as the start answers), while running (CANCELING until HealthOmics says
 * CANCELLED), and after the run finished (409, nothing changes).
 */
import { runDurableObjectAlarm } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { call, runBody, submit } from "../support/api";
import { addFault, callsFor, omicsRunsFor } from "../support/emulator";
import { drain, drive, pause, runRow, runStub, storeWithoutHandOver } from "../support/runs";

async function cancel(runId: string, user = "demo") {
  const res = await call(`/runs/${runId}/cancel`, { method: "POST", user });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe("cancel", () => {
  it("cancels a run before StartRun is sent, and StartRun is never sent", async () => {
    // The run is stored but its object has not started it yet (as between POST /runs and the first alarm).
    const runId = await storeWithoutHandOver();
    expect(await cancel(runId)).toEqual({ status: 200, body: { run_id: runId } });
    expect((await runRow(runId)).state).toBe("CANCELED");
    await runStub(runId).start(runId); // a late hand-over must do nothing
    await drain(runId);
    expect((await callsFor(runId)).filter((c) => c.operation === "StartRun")).toHaveLength(0);
    expect((await runRow(runId)).state).toBe("CANCELED");
    const again = await cancel(runId);
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ status_code: 409 });
  });

  it("cancels while StartRun is in flight: one HealthOmics run, then CancelRun, ending CANCELED", async () => {
    const runId = await submit(runBody("1000002"));
    await addFault({ requestId: runId, operation: "StartRun", kind: "latency", latencyMs: 1500, count: 1 });
    const stub = runStub(runId);
    // The start goes through the budget's start queue first; once granted, StartRun leaves and waits 1.5 s.
    let starting: Promise<boolean> = Promise.resolve(false);
    for (let i = 0; i < 100 && (await stub.describe())?.phase !== "starting"; i++) {
      if ((await stub.describe())?.work.start?.booked) starting = runDurableObjectAlarm(stub);
      await pause(50);
    }
    expect(await stub.describe()).toMatchObject({ phase: "starting" });
    expect(await cancel(runId)).toEqual({ status: 200, body: { run_id: runId } });
    expect((await runRow(runId)).state).toBe("CANCELING");
    expect((await cancel(runId)).status).toBe(200); // repeating it while CANCELING is harmless
    await starting;
    expect(await drive(runId)).toBe("CANCELED");
    expect(await omicsRunsFor(runId)).toHaveLength(1);
    const calls = await callsFor(runId);
    expect(calls.filter((c) => c.operation === "CancelRun" && c.status === 202).length).toBeGreaterThanOrEqual(1);
    await drain(runId);
  });

  it("cancels a running run: CANCELING until HealthOmics reports CANCELLED", async () => {
    const runId = await submit(runBody("1000002"));
    expect(await drive(runId, (s) => s === "RUNNING")).toBe("RUNNING");
    expect((await cancel(runId)).status).toBe(200);
    expect((await runRow(runId)).state).toBe("CANCELING");
    expect(await drive(runId)).toBe("CANCELED");
    const row = await runRow(runId);
    expect(row.exit_code).toBe(1);
    expect(row.system_logs).toContain("Cancel requested by demo");
    expect(await omicsRunsFor(runId)).toHaveLength(1);
    await drain(runId);
  });

  it("refuses to cancel a finished run and leaves it as it was", async () => {
    const runId = await submit(runBody("1000001"));
    expect(await drive(runId)).toBe("COMPLETE");
    const res = await cancel(runId);
    expect(res.status).toBe(409);
    expect(res.body.msg).toMatch(/already COMPLETE/);
    expect((await runRow(runId)).state).toBe("COMPLETE");
    expect((await callsFor(runId)).filter((c) => c.operation === "CancelRun")).toHaveLength(0);
  });

  it("another user cannot cancel the run (404, as for an unknown run)", async () => {
    const runId = await submit(runBody("1000001"));
    const res = await cancel(runId, "guest");
    expect(res.status).toBe(404);
    expect((await runRow(runId)).state).toBe("QUEUED");
    expect((await cancel(runId, "admin")).status).toBe(200);
    await drain(runId);
  });
});
