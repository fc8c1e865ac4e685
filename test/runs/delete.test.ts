/**
 * DELETE /runs/{id}: the owner or an admin deletes a final run — its D1 rows at once, its Durable
 * Object's storage and alarm once the object's removal work ran — and a tombstone stays; another user gets 404, a live run 409; an idempotent
 * replay of the deleted submission is a 409 naming the deletion; and no late alarm, hand-over,
 * event, cancel or sweep brings the run's object back.
 */
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { sweepRuns } from "../../src/executors/healthomics/run/sweep";
import type { RunObject } from "../../src/executors/healthomics/run/run-object";
import type { RunState } from "../../src/executors/healthomics/run/run-state";
import { call, runBody, submit } from "../support/api";
import { addFault, callsFor, countCalls } from "../support/emulator";
import { drain, drive, hurry, pause, runStub, untilRemoved } from "../support/runs";

type ErrorBody = { msg: string; status_code: number };

async function remove(runId: string, user = "demo"): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await call(`/runs/${runId}`, { method: "DELETE", user });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function cancel(runId: string, user = "demo"): Promise<void> {
  const res = await call(`/runs/${runId}/cancel`, { method: "POST", user });
  expect(res.status).toBe(200);
}

/** Rows the run still has in each table. */
async function rowsOf(runId: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of ["runs", "tasks", "run_tags", "attachments"]) {
    const column = table === "runs" ? "id" : "run_id";
    const row = await env.DB.prepare(`SELECT count(*) AS n FROM ${table} WHERE ${column} = ?1`).bind(runId).first<{ n: number }>();
    counts[table] = row!.n;
  }
  return counts;
}

async function tombstoneOf(runId: string) {
  return await env.DB.prepare("SELECT * FROM run_tombstones WHERE run_id = ?1").bind(runId).first<Record<string, unknown>>();
}

/** Everything the run's object holds: its stored keys and its alarm. */
async function objectContents(runId: string): Promise<{ keys: string[]; alarm: number | null }> {
  return await runInDurableObject(runStub(runId), async (_i: RunObject, state) => ({
    keys: [...(await state.storage.list()).keys()],
    alarm: await state.storage.getAlarm(),
  }));
}

/** A run submitted (with tags and an attachment) and cancelled before it started: CANCELED at once. */
async function canceledRun(user = "demo", key?: string): Promise<string> {
  const form = new FormData();
  for (const [name, value] of Object.entries(runBody("1000001", { tags: JSON.stringify({ project: "p1" }) }))) {
    form.append(name, typeof value === "string" ? value : JSON.stringify(value));
  }
  form.append("workflow_attachment", new File(["notes"], "notes.txt", { type: "text/plain" }));
  const headers: Record<string, string> = key ? { "Idempotency-Key": key } : {};
  const res = await call("/runs", { method: "POST", user, body: form, headers });
  expect(res.status).toBe(200);
  const runId = ((await res.json()) as { run_id: string }).run_id;
  await cancel(runId, user);
  await drain(runId);
  return runId;
}

describe("DELETE /runs/{id}", () => {
  it("the owner deletes a COMPLETE run: rows, tasks and the object's storage go, a tombstone stays, GET is 404", async () => {
    const runId = await submit(runBody("1000001", { tags: { project: "p1" } }));
    expect(await drive(runId)).toBe("COMPLETE");
    await drain(runId);
    expect((await rowsOf(runId)).tasks).toBeGreaterThan(0);
    expect((await objectContents(runId)).keys).toContain("state");

    expect(await remove(runId)).toEqual({ status: 200, body: { run_id: runId } });

    expect(await rowsOf(runId)).toEqual({ runs: 0, tasks: 0, run_tags: 0, attachments: 0 });
    // The object removes what is left (its work was due at once), then wipes itself.
    await untilRemoved(runId);
    expect(await objectContents(runId)).toEqual({ keys: [], alarm: null });
    expect(await tombstoneOf(runId)).toMatchObject({ run_id: runId, owner: "demo", reason: "request", deleted_by: "demo" });
    for (const path of [`/runs/${runId}`, `/runs/${runId}/status`, `/runs/${runId}/tasks`]) {
      const res = await call(path, { user: "demo" });
      expect(res.status, path).toBe(404);
    }
    const listed = (await (await call("/runs?page_size=100", { user: "demo" })).json()) as { runs: Array<{ run_id: string }> };
    expect(listed.runs.map((r) => r.run_id)).not.toContain(runId);
    // Deleting it again: it is gone.
    expect((await remove(runId)).status).toBe(404);
  });

  it("removes the attachments, tags and budget rows of a CANCELED run", async () => {
    const runId = await canceledRun();
    expect(await rowsOf(runId)).toMatchObject({ runs: 1, run_tags: 1, attachments: 1 });
    // Rows a budget might still hold for it (a lost dequeue, a poll record left behind).
    const budget = env.BUDGET_OBJECT.get(env.BUDGET_OBJECT.idFromName("global"));
    const budgetRows = async () =>
      await runInDurableObject(budget, async (_i, state) => {
        const sql = state.storage.sql;
        return [
          sql.exec<{ n: number }>("SELECT count(*) AS n FROM start_queue WHERE run_id = ?", runId).one().n,
          sql.exec<{ n: number }>("SELECT count(*) AS n FROM polls WHERE run_id = ?", runId).one().n,
        ];
      });
    await runInDurableObject(budget, async (_i, state) => {
      state.storage.sql.exec("INSERT INTO start_queue (run_id, user, submitted_at, enqueued_at) VALUES (?, 'demo', 0, 0)", runId);
      state.storage.sql.exec("INSERT INTO polls (run_id, at) VALUES (?, 0)", runId);
    });
    expect(await budgetRows()).toEqual([1, 1]);
    expect((await remove(runId)).status).toBe(200);
    expect(await rowsOf(runId)).toEqual({ runs: 0, tasks: 0, run_tags: 0, attachments: 0 });
    await untilRemoved(runId);
    expect(await budgetRows()).toEqual([0, 0]);
  });

  it("an admin deletes another user's run; another user gets 404 and the run stays", async () => {
    const runId = await canceledRun("guest");
    const other = await remove(runId, "demo");
    expect(other.status).toBe(404);
    expect((other.body as ErrorBody).msg).toContain("was not found");
    expect((await rowsOf(runId)).runs).toBe(1);
    expect(await remove(runId, "admin")).toEqual({ status: 200, body: { run_id: runId } });
    expect(await tombstoneOf(runId)).toMatchObject({ owner: "guest", deleted_by: "admin", reason: "request" });
  });

  it("a run that has not finished is a 409 that says to cancel first, and nothing is deleted", async () => {
    const runId = await submit(runBody("1000002"));
    const res = await remove(runId);
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ status_code: 409 });
    expect((res.body as ErrorBody).msg).toMatch(/QUEUED|INITIALIZING|RUNNING/);
    expect((res.body as ErrorBody).msg).toContain("Cancel it first");
    expect((await rowsOf(runId)).runs).toBe(1);
    expect(await tombstoneOf(runId)).toBeNull();
    expect((await objectContents(runId)).keys).toContain("state");
    await cancel(runId);
    await drive(runId);
    await drain(runId);
  });

  it("an idempotent replay of the deleted submission is a 409 naming the deletion, and starts nothing", async () => {
    const key = `deleted-${crypto.randomUUID()}`;
    const runId = await canceledRun("demo", key);
    expect((await remove(runId)).status).toBe(200);
    const form = new FormData();
    for (const [name, value] of Object.entries(runBody("1000001", { tags: JSON.stringify({ project: "p1" }) }))) {
      form.append(name, typeof value === "string" ? value : JSON.stringify(value));
    }
    form.append("workflow_attachment", new File(["notes"], "notes.txt", { type: "text/plain" }));
    const replay = await call("/runs", { method: "POST", user: "demo", body: form, headers: { "Idempotency-Key": key } });
    expect(replay.status).toBe(409);
    const body = (await replay.json()) as ErrorBody;
    expect(body.msg).toContain(runId);
    expect(body.msg).toContain("deleted");
    // A different request with that key is refused the same way: the key belongs to the deleted run.
    const other = await call("/runs", {
      method: "POST",
      user: "demo",
      body: JSON.stringify(runBody("1000001")),
      headers: { "Content-Type": "application/json", "Idempotency-Key": key },
    });
    expect(other.status).toBe(409);
    const rows = await env.DB.prepare("SELECT count(*) AS n FROM runs WHERE owner = 'demo' AND idempotency_key = ?1").bind(key).first<{ n: number }>();
    expect(rows!.n).toBe(0);
    await untilRemoved(runId);
    expect(await objectContents(runId)).toEqual({ keys: [], alarm: null });
    expect((await callsFor(runId)).filter((c) => c.operation === "StartRun")).toHaveLength(0);
  });

  it("a late alarm, a late hand-over, an event, a cancel and the sweep never bring the object back", async () => {
    const runId = await submit(runBody("1000001"));
    expect(await drive(runId)).toBe("COMPLETE");
    await drain(runId);
    const uuid = (await runStub(runId).describe())!.omicsRunUuid!;
    expect((await remove(runId)).status).toBe(200);
    const stub = runStub(runId);
    await untilRemoved(runId);

    // A late alarm: the platform delivers one that was already on its way.
    await runInDurableObject(stub, async (_i: RunObject, state) => await state.storage.setAlarm(Date.now()));
    await runDurableObjectAlarm(stub);
    expect(await objectContents(runId)).toEqual({ keys: [], alarm: null });

    // A late hand-over (a replay that passed its checks just before the deletion).
    await stub.start(runId);
    // A late EventBridge event, and a nudge that was already on its way.
    const event = {
      version: "0",
      id: crypto.randomUUID(),
      "detail-type": "Run Status Change",
      source: "aws.omics",
      account: "123456789012",
      time: new Date().toISOString(),
      region: "us-east-1",
      resources: [],
      detail: { omicsVersion: "1.0.0", status: "COMPLETED", uuid, runId: "1234567" },
    };
    const res = await exports.default.fetch(
      new Request("http://wes.test/integrations/healthomics/events", {
        method: "POST",
        headers: { "Content-Type": "application/json", "x-wes-events-secret": "test-events-secret-0123456789" },
        body: JSON.stringify(event),
      }),
    );
    expect(res.status).toBe(202);
    await stub.nudge("run", "COMPLETED");
    await stub.nudge("task");
    expect(await stub.grantStart()).toBe(false);
    // The sweep, asked about this run (it never selects a final or deleted run by itself).
    expect(await stub.ensureScheduled(runId)).toBe("finished");
    await sweepRuns(env, Date.now() + 3_600_000);
    // A cancel is refused before it reaches the object.
    expect((await call(`/runs/${runId}/cancel`, { method: "POST", user: "demo" })).status).toBe(404);

    expect(await objectContents(runId)).toEqual({ keys: [], alarm: null });
    expect(await stub.describe()).toBeNull();
  });

  it("while its removal waits, the object ignores hand-overs, news, grants and cancels; the sweep keeps its alarm", async () => {
    const runId = await canceledRun();
    const stub = runStub(runId);
    // A removal waiting an hour (as after a failure's back-off), so nothing races the checks.
    const later = Date.now() + 3_600_000;
    await stub.forget({ runId, folders: [`s3://wes-test-outputs/users/demo/runs/${runId}/inputs/`], deleteOmicsRun: false });
    await runInDurableObject(stub, async (_i: RunObject, state) => {
      const stored = (await state.storage.get<RunState>("state"))!;
      await state.storage.put("state", { ...stored, work: { remove: { at: later } } });
      await state.storage.setAlarm(later);
    });
    const before = await stub.describe();
    expect(before).toMatchObject({ phase: "removing", removal: { folders: [expect.stringContaining(runId)] } });

    await stub.start(runId);
    await stub.nudge("run", "COMPLETED");
    await stub.nudge("task");
    expect(await stub.grantStart()).toBe(false);
    expect(await stub.cancel(runId, "demo")).toEqual({ kind: "final", state: "CANCELED" });
    expect(await stub.ensureScheduled(runId)).toBe("scheduled");
    // Asked again (a retried deletion): the removal under way carries on as it was.
    await stub.forget({ runId, folders: ["s3://elsewhere/other/"], deleteOmicsRun: true, omicsRunId: "1" });
    expect(await stub.describe()).toEqual(before);
    expect((await objectContents(runId)).alarm).toBe(later);

    await hurry(runId);
    await untilRemoved(runId);
    expect(await objectContents(runId)).toEqual({ keys: [], alarm: null });
    // The run is still listed (its D1 rows were never deleted here): clean them up as DELETE would.
    expect((await remove(runId)).status).toBe(200);
    await untilRemoved(runId);
  });

  it("a step still in flight when the removal begins writes nothing back; the removal then wipes the object", async () => {
    // The object's own guard (the route only deletes final runs; this drives the object directly).
    const runId = await submit(runBody("1000002", { tags: { "emulator:duration-scale": "20" } }));
    expect(await drive(runId, (s) => s === "RUNNING")).toBe("RUNNING");
    const stub = runStub(runId);
    await addFault({ requestId: runId, operation: "GetRun", kind: "latency", latencyMs: 1_500, count: 1 });
    const getRuns = await countCalls(runId, "GetRun");
    await hurry(runId);
    const step = runDurableObjectAlarm(stub); // a poll, held up 1.5 s in the emulator
    for (let i = 0; i < 40 && (await countCalls(runId, "GetRun")) === getRuns; i++) await pause(50);
    await stub.forget({ runId, folders: [`s3://wes-test-outputs/users/demo/runs/${runId}/inputs/`], deleteOmicsRun: false });
    await step;
    // The poll's result was dropped (the object removes, then wipes itself): nothing is left.
    await untilRemoved(runId);
    expect(await objectContents(runId)).toEqual({ keys: [], alarm: null });
    // The HealthOmics run goes on; clean up the D1 row's live state so nothing else touches it.
    await env.DB.prepare("UPDATE runs SET state = 'CANCELED' WHERE id = ?1").bind(runId).run();
  });
});
