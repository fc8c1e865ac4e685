/**
 * HealthOmics EventBridge events: an event wakes its run's object at once; unauthenticated,
 * malformed, unknown, duplicated and out-of-date events are harmless.
 */
import { runInDurableObject } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { RunObject } from "../../src/runs/run-object";
import { runBody, submit } from "../support/api";
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
  return await exports.default.fetch(new Request("http://wes.test/integrations/healthomics/events", { method: "POST", headers, body: typeof body === "string" ? body : JSON.stringify(body) }));
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
    const res = await post(runEvent(uuid, "RUNNING"));
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
});
