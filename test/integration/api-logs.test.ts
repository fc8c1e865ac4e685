/**
 * The log routes through the Worker against the emulator's CloudWatch Logs: run stdout/stderr
 * and task logs as `text/plain`, owner and admins only (404 for others), ?tail and ?limit, a
 * live run's log growing, a failed run's stderr saying why, an unknown stream, and a busy
 * GetLogEvents budget line answering 503 with Retry-After (never a partial log).
 */
import { env } from "cloudflare:workers";
import { afterAll, describe, expect, it } from "vitest";
import { budgetStub } from "../../src/budget/stub";
import { API, call, getJson, runBody, submit } from "../support/api";
import { countCalls } from "../support/emulator";
import { drain, drive } from "../support/runs";

interface RunLogBody {
  state: string;
  run_log: { stdout?: string; stderr?: string };
}

async function text(url: string, user = "demo"): Promise<{ status: number; type: string | null; body: string }> {
  expect(url.startsWith(API)).toBe(true);
  const res = await call(url.slice(API.length), { user });
  return { status: res.status, type: res.headers.get("content-type"), body: await res.text() };
}

const runs: string[] = [];
afterAll(async () => {
  for (const id of runs) await drain(id);
});

describe("run and task logs", () => {
  it("a finished run: stdout is the engine log, stderr the run log; task logs; 404 for another user", async () => {
    const runId = await submit(runBody("1000001"));
    runs.push(runId);
    expect(await drive(runId)).toBe("COMPLETE");
    const { body: log } = await getJson<RunLogBody>(`/runs/${runId}`);
    expect(log.run_log.stdout).toBe(`${API}/runs/${runId}/logs/stdout`);
    expect(log.run_log.stderr).toBe(`${API}/runs/${runId}/logs/stderr`);

    const stdout = await text(log.run_log.stdout!);
    expect(stdout.status).toBe(200);
    expect(stdout.type).toBe("text/plain; charset=utf-8");
    expect(stdout.body).toMatch(/engine/i);
    expect(stdout.body.endsWith("\n")).toBe(true);
    const stderr = await text(log.run_log.stderr!);
    expect(stderr.status).toBe(200);
    expect(stderr.body).toMatch(/COMPLETED/);
    expect(stderr.body).not.toMatch(/failure reason/);

    expect((await text(log.run_log.stdout!, "guest")).status).toBe(404);
    expect((await text(log.run_log.stdout!, "admin")).body).toBe(stdout.body);

    const { body: tasks } = await getJson<{ task_logs: Array<{ id: string; stdout: string; stderr: string }> }>(`/runs/${runId}/tasks`);
    expect(tasks.task_logs.length).toBeGreaterThan(0);
    for (const task of tasks.task_logs) {
      expect(task.stdout).toBe(`${API}/runs/${runId}/tasks/${task.id}/logs/stdout`);
      const taskText = await text(task.stdout);
      expect(taskText.status).toBe(200);
      expect(taskText.body.length).toBeGreaterThan(0);
      expect((await text(task.stderr)).body).toBe(taskText.body);
      expect((await text(task.stdout, "guest")).status).toBe(404);
    }
    const { body: got } = await getJson<{ stdout: string }>(`/runs/${runId}/tasks/${tasks.task_logs[0]!.id}`);
    expect(got.stdout).toBe(tasks.task_logs[0]!.stdout);

    // tail and limit
    const all = stdout.body.trimEnd().split("\n");
    expect((await text(`${log.run_log.stdout}?tail=2`)).body).toBe(`${all.slice(-2).join("\n")}\n`);
    const limited = (await text(`${log.run_log.stdout}?limit=1`)).body.split("\n");
    expect(limited[0]).toBe(all[0]);
    expect(limited[1]).toMatch(/^\[wes\] log truncated after 1 lines/);
  });

  it("bad requests: unknown stream, bad tail or limit, another run's task", async () => {
    const runId = await submit(runBody("1000001"));
    runs.push(runId);
    expect((await call(`/runs/${runId}/logs/stdlog`, { user: "demo" })).status).toBe(404);
    for (const q of ["tail=0", "tail=10001", "tail=x", "limit=0", "tail=1&limit=1"]) {
      const res = await call(`/runs/${runId}/logs/stdout?${q}`, { user: "demo" });
      expect(res.status, q).toBe(400);
      expect(((await res.json()) as { status_code: number }).status_code).toBe(400);
    }
    expect((await call(`/runs/${runId}/tasks/1234567/logs/stdout`, { user: "demo" })).status).toBe(404);
    expect((await call(`/runs/not-a-run/logs/stdout`, { user: "demo" })).status).toBe(404);
    expect((await call(`/runs/${runId}/logs/stdout`)).status).toBe(401);
  });

  it("a queued run's log is empty; a live run's log grows between two reads", async () => {
    const runId = await submit(runBody("1000001", { tags: { "emulator:log-lines": "2000", "emulator:duration-scale": "4" } }));
    runs.push(runId);
    const empty = await text(`${API}/runs/${runId}/logs/stdout`);
    expect(empty).toEqual({ status: 200, type: "text/plain; charset=utf-8", body: "" });
    await drive(runId, (state) => state === "INITIALIZING" || state === "RUNNING");
    // Read until the log has lines, then once more: the second read has more, and begins with the first.
    let first = "";
    let second = "";
    for (let i = 0; i < 100 && !(first !== "" && second.length > first.length); i++) {
      first = second;
      await new Promise((resolve) => setTimeout(resolve, 300));
      second = (await text(`${API}/runs/${runId}/logs/stdout`)).body;
    }
    expect(first).not.toBe("");
    expect(second.length).toBeGreaterThan(first.length);
    expect(second.startsWith(first)).toBe(true);
  });

  it("a big log arrives whole over many GetLogEvents pages, read as the client reads", async () => {
    const runId = await submit(runBody("1000001", { tags: { "emulator:log-lines": "40000" } }));
    runs.push(runId);
    expect(await drive(runId)).toBe("COMPLETE");
    const res = await call(`/runs/${runId}/logs/stdout`, { user: "demo" });
    expect(res.status).toBe(200);
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let lines = 0;
    let chunks = 0;
    let callsAtFirstChunk = -1;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (chunks++ === 0) callsAtFirstChunk = await countCalls(runId, "GetLogEvents");
      lines += value.split("\n").length - 1;
    }
    const calls = await countCalls(runId, "GetLogEvents");
    // 40,000 generated lines plus the engine's own; pages of at most 10,000 events or 1 MB.
    expect(lines).toBeGreaterThan(40_000);
    expect(calls).toBeGreaterThanOrEqual(5);
    // The first page was on its way to the client before most of the others were asked for.
    expect(callsAtFirstChunk).toBeLessThan(calls);
  });

  it("a failed run's stderr ends with HealthOmics' failure reason", async () => {
    const runId = await submit(runBody("1000004"));
    runs.push(runId);
    expect(await drive(runId)).toMatch(/ERROR/);
    const stderr = await text(`${API}/runs/${runId}/logs/stderr`);
    expect(stderr.status).toBe(200);
    expect(stderr.body).toMatch(/HealthOmics failure reason: IMPORT_FAILED\n/);
  });

  it("a busy GetLogEvents line answers 503 with Retry-After; HealthOmics' lines stay free", async () => {
    const runId = await submit(runBody("1000001"));
    runs.push(runId);
    await drive(runId, (state) => state !== "QUEUED");
    // Book ahead on the line (as a burst of other log readers would) until it is seconds behind.
    await budgetStub(env).book("GetLogEvents", "urgent", 200);
    const res = await call(`/runs/${runId}/logs/stdout`, { user: "demo" });
    expect(res.status).toBe(503);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(((await res.json()) as { msg: string }).msg).toMatch(/busy/);
    const stats = await budgetStub(env).stats();
    expect(stats.buckets.find((b) => b.name === "GetRun")!.backlogMs).toBe(0);
  });
});
