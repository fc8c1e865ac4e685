/**
 * The development-only eviction hook (src/dev/hooks.ts) that the chaos campaign uses: absent —
 * the plain 404 of an unknown path, before authentication — unless WES_ENVIRONMENT is exactly
 * `development`; there, admins only, and it really drops the run object's instance while its
 * storage (and so the run) carries on.
 */
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import type { RunObject } from "../../src/executors/healthomics/run/run-object";
import { basic, runBody, submit } from "../support/api";
import { omicsRunsFor } from "../support/emulator";
import { drain, drive, runStub } from "../support/runs";

const app = createApp();

async function send(path: string, environment: string, init: RequestInit & { user?: string } = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (init.user) headers.set("Authorization", basic(init.user));
  return await app.fetch(new Request(`http://wes.test${path}`, { method: "POST", ...init, headers }), { ...env, WES_ENVIRONMENT: environment } as Env);
}

/** The object's current in-memory instance (the test shares the isolate with the objects). */
async function instanceOf(runId: string): Promise<RunObject> {
  return await runInDurableObject(runStub(runId), (instance: RunObject) => instance);
}

describe("development hooks", () => {
  it("do not exist outside development: the 404 of an unknown path, whoever asks, and nothing is evicted", async () => {
    const runId = await submit(runBody("1000001"));
    const before = await instanceOf(runId);
    const unknown = await send("/__nothing-here", "production");
    expect(unknown.status).toBe(404);
    const unknownMsg = ((await unknown.json()) as { msg: string }).msg;
    for (const environment of ["production", "test", "Development", "development-staging", ""]) {
      for (const user of ["admin", undefined]) {
        for (const method of ["POST", "GET"]) {
          const path = `/__dev/runs/${runId}/evict`;
          const res = await send(path, environment, { method, ...(user ? { user } : {}) });
          expect(res.status, `${method} as ${user ?? "anonymous"} in '${environment}'`).toBe(404);
          expect(res.headers.get("WWW-Authenticate")).toBeNull();
          const body = (await res.json()) as { msg: string; status_code: number };
          expect(body).toEqual({ msg: unknownMsg.replace("POST /__nothing-here", `${method} ${path}`), status_code: 404 });
        }
      }
    }
    expect(await instanceOf(runId)).toBe(before);
    await drain(runId);
  });

  it("in development, answers admins only", async () => {
    const runId = await submit(runBody("1000001"));
    const path = `/__dev/runs/${runId}/evict`;
    expect((await send(path, "development")).status).toBe(401);
    const forUser = await send(path, "development", { user: "demo" });
    expect(forUser.status).toBe(403);
    expect(((await forUser.json()) as { status_code: number }).status_code).toBe(403);
    const unknownRun = await send("/__dev/runs/no-such-run/evict", "development", { user: "admin" });
    expect(unknownRun.status).toBe(404);
    expect(await unknownRun.json()).toEqual({ msg: "Run 'no-such-run' was not found.", status_code: 404 });
    await drain(runId);
  });

  it("in development, drops the object's instance; the run carries on from storage to one HealthOmics run", async () => {
    const runId = await submit(runBody("1000001"));
    expect(await drive(runId, (s) => s === "INITIALIZING" || s === "RUNNING")).toMatch(/INITIALIZING|RUNNING/);
    const before = await instanceOf(runId);
    const stored = await runStub(runId).describe();
    const res = await send(`/__dev/runs/${runId}/evict`, "development", { user: "admin" });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ run_id: runId, evicted: true });
    const after = await instanceOf(runId);
    expect(after).not.toBe(before);
    expect(await runStub(runId).describe()).toEqual(stored);
    expect(await drive(runId)).toBe("COMPLETE");
    expect(await omicsRunsFor(runId)).toHaveLength(1);
    await drain(runId);
  });
});
