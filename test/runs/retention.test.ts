/**
 * Retention (WES_RETENTION_DAYS): the cron tick deletes final runs that finished more than N days
 * ago, in bounded batches, as DELETE does (tombstone; the object wiped once its removal work ran);
 * young and live runs stay; a run deleted meanwhile by a request is counted, not failed; the
 * admin metrics show it.
 */
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import type { RunObject } from "../../src/executors/healthomics/run/run-object";
import { retentionTick } from "../../src/wes/retention";
import { deleteRun } from "../../src/wes/run-deletion";
import { API, basic, call, runBody, submit } from "../support/api";
import { drain, drive, runStub, untilRemoved } from "../support/runs";

const DAY_MS = 86_400_000;
const retained = (batch: string) => ({ ...env, WES_RETENTION_DAYS: "30", WES_RETENTION_BATCH: batch }) as Env;

/** A run that ended CANCELED and whose last change is `ageDays` old. */
async function endedRun(ageDays: number, user = "demo"): Promise<string> {
  const runId = await submit(runBody("1000001"), user);
  expect((await call(`/runs/${runId}/cancel`, { method: "POST", user })).status).toBe(200);
  await drain(runId);
  await env.DB.prepare("UPDATE runs SET updated_at = ?2 WHERE id = ?1")
    .bind(runId, Date.now() - ageDays * DAY_MS)
    .run();
  return runId;
}

async function exists(runId: string): Promise<boolean> {
  return (await env.DB.prepare("SELECT id FROM runs WHERE id = ?1").bind(runId).first()) !== null;
}

describe("retention", () => {
  it("is off by default: nothing is selected", async () => {
    const old = await endedRun(400);
    expect(await retentionTick(env, Date.now())).toBeNull();
    expect(await exists(old)).toBe(true);
  });

  it("deletes old final runs in batches across ticks; keeps young and live runs; is idempotent", async () => {
    // Older runs from earlier tests in this file may be selected too: count only these.
    await env.DB.prepare("UPDATE runs SET updated_at = ?1 WHERE state IN ('COMPLETE','EXECUTOR_ERROR','SYSTEM_ERROR','CANCELED')").bind(Date.now()).run();
    const old = [await endedRun(31), await endedRun(45, "guest"), await endedRun(90)];
    const young = await endedRun(29);
    const live = await submit(runBody("1000002"));
    await env.DB.prepare("UPDATE runs SET updated_at = ?2 WHERE id = ?1")
      .bind(live, Date.now() - 60 * DAY_MS)
      .run();

    const first = await retentionTick(retained("2"), Date.now());
    expect(first).toEqual({ selected: 2, deleted: 2, alreadyGone: 0, failed: 0 });
    const second = await retentionTick(retained("2"), Date.now());
    expect(second).toEqual({ selected: 1, deleted: 1, alreadyGone: 0, failed: 0 });
    expect(await retentionTick(retained("2"), Date.now())).toEqual({ selected: 0, deleted: 0, alreadyGone: 0, failed: 0 });

    for (const runId of old) {
      expect(await exists(runId)).toBe(false);
      const tomb = await env.DB.prepare("SELECT reason, deleted_by FROM run_tombstones WHERE run_id = ?1").bind(runId).first();
      expect(tomb).toEqual({ reason: "retention", deleted_by: null });
      await untilRemoved(runId); // the object's removal work, then it wipes itself
      const keys = await runInDurableObject(runStub(runId), async (_i: RunObject, state) => [...(await state.storage.list()).keys()]);
      expect(keys).toEqual([]);
    }
    expect(await exists(young)).toBe(true);
    expect(await exists(live)).toBe(true);

    const ctx = { waitUntil: () => {}, passThroughOnException: () => {}, props: {} } as unknown as ExecutionContext;
    const res = await createApp().fetch(
      new Request(`${API.replace("/ga4gh/wes/v1", "")}/admin/metrics`, { headers: { Authorization: basic("admin") } }),
      retained("2"),
      ctx,
    );
    const metrics = (await res.json()) as { retention: Record<string, unknown>; deletions: { last_24h: Record<string, number> } };
    expect(metrics.retention).toMatchObject({ days: 30, batch_per_tick: 2, deleted_last_24h: 3 });
    expect(metrics.retention.last_deleted_at).toEqual(expect.any(String));
    expect(metrics.deletions.last_24h.by_retention).toBe(3);

    await call(`/runs/${live}/cancel`, { method: "POST", user: "demo" });
    await drive(live);
    await drain(live);
  });

  it("a DELETE request and retention deleting the same run at once: one deletes, the other finds it gone, one tombstone", async () => {
    const runId = await endedRun(60);
    const results = await Promise.all([
      deleteRun(env, { id: runId, owner: "demo", omicsRunId: null }, { reason: "request", by: "demo", now: Date.now() }),
      deleteRun(env, { id: runId, owner: "demo", omicsRunId: null }, { reason: "retention", by: null, now: Date.now() }),
    ]);
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await exists(runId)).toBe(false);
    const tombs = await env.DB.prepare("SELECT count(*) AS n FROM run_tombstones WHERE run_id = ?1").bind(runId).first<{ n: number }>();
    expect(tombs!.n).toBe(1);
    // The request's answer stays 404 from now on, and the next tick has nothing to do with it.
    expect((await call(`/runs/${runId}`, { method: "DELETE", user: "demo" })).status).toBe(404);
  });
});
