/**
 * HealthOmics EventBridge events: an event wakes its run's object at once; unauthenticated,
 * malformed, unknown, duplicated and out-of-date events are harmless.
 */
import { runInDurableObject } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { afterAll, describe, expect, it, vi } from "vitest";
import { createApp } from "../../src/app";
import { forgetBlockedClients } from "../../src/auth/guard";
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
    // A stretched run, so it is still live when the event comes however slow the machine is.
    const { runId, uuid, stub } = await quietRunningRun("RUNNING");
    const before = Date.now();
    const res = await post(runEvent(uuid, "STOPPING")); // a status this run has not shown yet
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ accepted: true, run_id: runId });
    const alarm = await alarmOf(stub);
    expect(alarm === null || alarm <= before + 5_000).toBe(true); // due now (or already running)
    expect(await stub.describe()).toMatchObject({ lastEventAt: expect.any(Number) });
    await cancelAndEnd(runId);
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

/** Captures the structured log lines written while `fn` runs. */
async function logsOf(fn: () => Promise<void>): Promise<Array<Record<string, unknown>>> {
  const lines: string[] = [];
  const spies = (["log", "warn", "error"] as const).map((method) =>
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      lines.push(args.map(String).join(" "));
    }),
  );
  try {
    await fn();
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
  return lines.flatMap((line) => {
    try {
      return [JSON.parse(line) as Record<string, unknown>];
    } catch {
      return [];
    }
  });
}

describe("events fail closed", () => {
  it.each(["__proto__", "toString", "constructor", "hasOwnProperty", "valueOf"])(
    "a detail-type of %j is an event type the service does not use, never a crash or a wake-up",
    async (detailType) => {
      const runId = await submit(runBody("1000001"));
      await drive(runId, (s) => s !== "QUEUED");
      const uuid = await omicsUuid(runId);
      const res = await post({ ...runEvent(uuid, "RUNNING"), "detail-type": detailType, detail: { uuid, runUuid: uuid, status: "RUNNING" } });
      expect(res.status).toBe(202);
      expect(await res.json()).toMatchObject({ accepted: false });
      await drive(runId);
      await drain(runId);
    },
  );

  it("prototype keys in an event body are plain data", async () => {
    const res = await post(
      '{"__proto__":{"source":"aws.omics"},"constructor":{"prototype":{"x":1}},"detail-type":"Run Status Change","detail":{"__proto__":{"uuid":"u"}}}',
    );
    expect(res.status).toBe(400);
  });
});

describe("the events secret", () => {
  const LIMIT = 3;
  const guardEnv = { ...env, WES_AUTH_FAILURE_LIMIT: String(LIMIT) } as Env;
  const app = createApp();
  const CLIENT = "198.51.100.77";
  const postFrom = async (secret: string, useEnv: Env = guardEnv): Promise<Response> =>
    await app.fetch(
      new Request("http://wes.test/integrations/healthomics/events", {
        method: "POST",
        headers: { "Content-Type": "application/json", "CF-Connecting-IP": CLIENT, "x-wes-events-secret": secret },
        body: JSON.stringify({ ...runEvent(crypto.randomUUID(), "RUNNING") }),
      }),
      useEnv,
    );

  afterAll(async () => {
    forgetBlockedClients();
    const stub = env.AUTH_GUARD.get(env.AUTH_GUARD.idFromName(`events:${CLIENT}`));
    await runInDurableObject(stub, async (_instance, state) => {
      await state.storage.deleteAlarm();
      await state.storage.deleteAll();
    });
  });

  it("a wrong secret is logged as auth.failed, without the value presented", async () => {
    const wrong = "wrong-secret-value-0123456789";
    const lines = await logsOf(async () => {
      expect((await postFrom(wrong, env)).status).toBe(401);
    });
    const failed = lines.filter((line) => line.event === "auth.failed");
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ scheme: "events-secret", client: CLIENT });
    expect(JSON.stringify(lines)).not.toContain(wrong);
  });

  it("only failed attempts are limited: the right secret always passes, even from a blocked address", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 15; i++) statuses.push((await postFrom(`wrong-secret-${i}-0123456789`)).status);
    expect(statuses.slice(0, LIMIT)).toEqual(Array(LIMIT).fill(401));
    expect(statuses.slice(LIMIT + 1)).toEqual(Array(15 - LIMIT - 1).fill(429));
    const right = await postFrom(SECRET);
    expect(right.status).toBe(202); // an unknown run: accepted: false, but authenticated
    expect(await right.json()).toMatchObject({ accepted: false });
  });
});

describe("events without the HealthOmics run uuid", () => {
  /** A started run's HealthOmics id and ARN, as D1 stores them. */
  async function started(): Promise<{ runId: string; omicsId: string; arn: string }> {
    const runId = await submit(runBody("1000002", { tags: { "emulator:duration-scale": "20" } }));
    await drive(runId, (s) => s !== "QUEUED");
    const row = await env.DB.prepare("SELECT omics_run_id, omics_run_arn FROM runs WHERE id = ?1")
      .bind(runId)
      .first<{ omics_run_id: string; omics_run_arn: string }>();
    return { runId, omicsId: row!.omics_run_id, arn: row!.omics_run_arn };
  }

  it("fall back to the run ARN (run events: detail.arn; task events: detail.runArn) among live runs, and log it", async () => {
    const { runId, arn } = await started();
    const lines = await logsOf(async () => {
      const res = await post({ ...runEvent("", "STOPPING"), detail: { status: "STOPPING", arn, runId: "9999999" } });
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ accepted: true, run_id: runId });
      const task = await post({ ...taskEvent("", "RUNNING"), detail: { status: "RUNNING", arn: "arn:aws:omics:us-east-1:123456789012:task/1", runArn: arn } });
      expect(await task.json()).toMatchObject({ accepted: true, run_id: runId });
    });
    expect(lines.filter((line) => line.event === "events.matched_without_uuid")).toEqual([
      expect.objectContaining({ by: "arn", runIds: [runId] }),
      expect.objectContaining({ by: "arn", runIds: [runId] }),
    ]);
    await cancelAndEnd(runId);
  });

  it("fall back to the HealthOmics run id among live runs, never a finished one", async () => {
    const { runId, omicsId } = await started();
    const res = await post({ ...taskEvent("", "RUNNING"), detail: { status: "RUNNING", runId: omicsId } });
    expect(await res.json()).toMatchObject({ accepted: true, run_id: runId });
    await cancelAndEnd(runId);
    const late = await post({ ...runEvent("", "CANCELLED"), detail: { status: "CANCELLED", runId: omicsId } });
    expect(late.status).toBe(202);
    expect(await late.json()).toMatchObject({ accepted: false });
  });

  it("the uuid wins when present, and an event with none of the three is a 400", async () => {
    const { runId, arn } = await started();
    const other = await post({ ...runEvent(crypto.randomUUID(), "RUNNING"), detail: { uuid: crypto.randomUUID(), arn, status: "RUNNING" } });
    expect(await other.json()).toMatchObject({ accepted: false });
    const none = await post({ ...runEvent("", "RUNNING"), detail: { status: "RUNNING", runId: "not-a-number" } });
    expect(none.status).toBe(400);
    expect(((await none.json()) as { msg: string }).msg).toMatch(/detail\.uuid.*detail\.arn.*detail\.runId/);
    await cancelAndEnd(runId);
  });
});
