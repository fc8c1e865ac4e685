/**
 * GET /overview/runs and GET /overview/runs/{run_id} (the dashboard's read model) through the
 * Worker with real D1 and the emulator: what each user sees, the filters and tokens shared with
 * GET /runs, and state timelines of real runs (complete, failed, canceled before and after start),
 * which also pins the run log lines the timeline is read from.
 */
import { describe, expect, it } from "vitest";
import { call, getJson, runBody, submit } from "../support/api";
import { drain, drive } from "../support/runs";

interface Overview {
  run_id: string;
  state: string;
  tags: Record<string, string>;
  submitted_at: string;
  workflow_type: string;
  workflow_type_version: string;
  workflow_url: string;
  name?: string;
  owner?: string;
  start_time?: string;
  end_time?: string;
}
interface Detail extends Overview {
  timeline: Array<{ state: string; time: string }>;
}

const states = (detail: Detail) => detail.timeline.map((t) => t.state);

describe("GET /overview/runs", () => {
  it("lists the caller's runs with submission time, workflow and name; the owner only for admins", async () => {
    const tag = crypto.randomUUID();
    const before = Date.now();
    const runId = await submit(runBody("1000001", { tags: { overview: tag }, workflow_engine_parameters: { name: `ov-${tag.slice(0, 8)}` } }), "guest");
    try {
      const mine = await getJson<{ runs: Overview[]; next_page_token: string }>(`/overview/runs?tag=overview:${tag}`, "guest");
      expect(mine.status).toBe(200);
      expect(mine.body.runs).toHaveLength(1);
      const run = mine.body.runs[0]!;
      expect(run).toMatchObject({
        run_id: runId,
        state: "QUEUED",
        tags: { overview: tag },
        workflow_type: "WDL",
        workflow_type_version: "1.0",
        workflow_url: "healthomics:1000001",
        name: `ov-${tag.slice(0, 8)}`,
      });
      expect(run.owner).toBeUndefined();
      expect(Date.parse(run.submitted_at)).toBeGreaterThanOrEqual(before - 1000);
      // The name filter finds it while it is still queued.
      expect((await getJson<{ runs: Overview[] }>(`/overview/runs?name=ov-${tag.slice(0, 8)}`, "guest")).body.runs.map((r) => r.run_id)).toEqual([runId]);
      expect((await getJson<{ runs: Overview[] }>(`/overview/runs?tag=overview:${tag}`, "demo")).body.runs).toEqual([]);
      const admin = await getJson<{ runs: Overview[] }>(`/overview/runs?tag=overview:${tag}`, "admin");
      expect(admin.body.runs[0]?.owner).toBe("guest");
    } finally {
      await drain(runId);
    }
  });

  it("shares filters and page tokens with GET /runs", async () => {
    const tag = crypto.randomUUID();
    const ids = [await submit(runBody("1000001", { tags: { shared: tag } })), await submit(runBody("1000001", { tags: { shared: tag } }))];
    try {
      const wes = await getJson<{ runs: Array<{ run_id: string }>; next_page_token: string }>(`/runs?tag=shared:${tag}&page_size=1`);
      const next = await getJson<{ runs: Overview[]; next_page_token: string }>(
        `/overview/runs?page_size=1&page_token=${encodeURIComponent(wes.body.next_page_token)}`,
      );
      expect([wes.body.runs[0]!.run_id, next.body.runs[0]!.run_id]).toEqual([ids[1], ids[0]]);
      expect(next.body.next_page_token).toBe("");
      const bad = await getJson<{ status_code: number }>(`/overview/runs?state=NOPE`);
      expect(bad.status).toBe(400);
    } finally {
      for (const id of ids) await drain(id);
    }
  });

  it("needs a user", async () => {
    expect((await call("/overview/runs")).status).toBe(401);
    expect((await call(`/overview/runs/${crypto.randomUUID()}`)).status).toBe(401);
  });
});

describe("GET /overview/runs/{run_id}", () => {
  it("a completed run: QUEUED → … → RUNNING → COMPLETE, times in order", async () => {
    const runId = await submit(runBody("1000001"));
    expect(await drive(runId)).toBe("COMPLETE");
    const { status, body } = await getJson<Detail>(`/overview/runs/${runId}`);
    expect(status).toBe(200);
    expect(body.state).toBe("COMPLETE");
    const seen = states(body);
    expect(seen[0]).toBe("QUEUED");
    expect(seen).toContain("RUNNING");
    expect(seen.at(-1)).toBe("COMPLETE");
    const times = body.timeline.map((t) => Date.parse(t.time));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(body.timeline[0]!.time).toBe(body.submitted_at);
  });

  it("a failed run ends in EXECUTOR_ERROR", async () => {
    const runId = await submit(runBody("1000003"));
    expect(await drive(runId)).toBe("EXECUTOR_ERROR");
    const { body } = await getJson<Detail>(`/overview/runs/${runId}`);
    expect(states(body).at(-1)).toBe("EXECUTOR_ERROR");
    expect(states(body)).toContain("RUNNING");
  });

  it("a run canceled while running shows CANCELING before CANCELED", async () => {
    const runId = await submit(runBody("1000002"));
    await drive(runId, (state) => state === "RUNNING");
    const res = await call(`/runs/${runId}/cancel`, { method: "POST", user: "demo" });
    expect(res.status).toBe(200);
    expect(await drive(runId)).toBe("CANCELED");
    const { body } = await getJson<Detail>(`/overview/runs/${runId}`);
    expect(states(body).slice(-2)).toEqual(["CANCELING", "CANCELED"]);
  });

  it("a run canceled before it started: QUEUED → CANCELED", async () => {
    const runId = await submit(runBody("1000001"));
    const res = await call(`/runs/${runId}/cancel`, { method: "POST", user: "demo" });
    expect(res.status).toBe(200);
    await drain(runId);
    const { body } = await getJson<Detail>(`/overview/runs/${runId}`);
    expect(body.state).toBe("CANCELED");
    expect(states(body)[0]).toBe("QUEUED");
    expect(states(body).at(-1)).toBe("CANCELED");
  });

  it("is a 404 for another user's run, as for the run itself", async () => {
    const runId = await submit(runBody("1000001"));
    try {
      const other = await getJson<{ msg: string; status_code: number }>(`/overview/runs/${runId}`, "guest");
      expect(other.status).toBe(404);
      expect(other.body.status_code).toBe(404);
      expect((await getJson<Detail>(`/overview/runs/${runId}`, "admin")).body.owner).toBe("demo");
    } finally {
      await drain(runId);
    }
  });
});
