/**
 * CloudWatch Logs GetLogEvents on the emulator's endpoint (JSON 1.1, SigV4 service `logs`): the
 * run, engine and task streams of a run follow its timeline, pages and tokens behave as AWS
 * documents them, and a big stream (tag emulator:log-lines) pages through without repeating.
 */
import { describe, expect, it } from "vitest";
import { getLogEventsPage } from "../../emulator/src/logs/paging";
import type { StreamContent } from "../../emulator/src/logs/stream";
import { call, getLogEvents, local, rid, startBody, waitForFinal } from "./helpers";

const GROUP = "/aws/omics/WorkflowLog";
type Page = { events: { timestamp: number; message: string; ingestionTime: number }[]; nextForwardToken: string; nextBackwardToken: string };

async function page(input: Record<string, unknown>): Promise<Page> {
  const res = await getLogEvents({ logGroupName: GROUP, ...input });
  expect(res.status).toBe(200);
  return res.json as unknown as Page;
}

/** Every event of a stream, read forward from the head until the forward token comes back unchanged. */
async function readAll(stream: string, limit?: number): Promise<Page["events"]> {
  const events: Page["events"] = [];
  let token: string | undefined;
  for (;;) {
    const p = await page({ logStreamName: stream, startFromHead: true, ...(limit ? { limit } : {}), ...(token ? { nextToken: token } : {}) });
    events.push(...p.events);
    if (p.nextForwardToken === token) return events;
    token = p.nextForwardToken;
  }
}

describe("run streams", () => {
  it("logs a run's life in run/<id>, run/<id>/engine and run/<id>/task/<taskId>, growing as the run goes", async () => {
    const started = await call("POST", "/run", startBody("1000001", rid("logs")));
    const id = String(started.json!.id);
    const early = await page({ logStreamName: `run/${id}`, startFromHead: true });
    expect(early.events[0]!.message).toMatch(new RegExp(`^Run ${id} \\(.*\\) created for workflow 1000001`));
    expect(early.nextBackwardToken).toBeTruthy();
    // The engine stream begins at STARTING: a run cancelled while PENDING (stretched 50×, so it still is) never has one.
    const pending = String((await call("POST", "/run", startBody("1000001", rid("logs-pending"), { tags: { "emulator:duration-scale": "50" } }))).json!.id);
    expect((await call("POST", `/run/${pending}/cancel`)).status).toBe(202);
    const missing = await getLogEvents({ logGroupName: GROUP, logStreamName: `run/${pending}/engine` });
    expect(missing.status).toBe(400);
    expect(missing.json).toEqual({ __type: "ResourceNotFoundException", message: "The specified log stream does not exist." });
    await waitForFinal(pending);
    expect((await page({ logStreamName: `run/${pending}` })).events.at(-1)!.message).toBe(`Run ${pending} was cancelled`);
    await waitForFinal(id);
    const runLog = await readAll(`run/${id}`);
    expect(runLog.length).toBeGreaterThan(early.events.length);
    expect(runLog.map((e) => e.message)).toEqual(expect.arrayContaining([`Run ${id} status: RUNNING`, `Run ${id} status: COMPLETED`]));
    const timestamps = runLog.map((e) => e.timestamp);
    expect(timestamps).toEqual([...timestamps].sort((a, b) => a - b));
    const engine = (await readAll(`run/${id}/engine`)).map((e) => e.message);
    expect(engine[0]).toMatch(/^Workflow engine \(WDL\) starting/);
    expect(engine).toEqual(expect.arrayContaining([expect.stringMatching(/^Starting task FastqToBam/), "Workflow germline-wdl completed successfully"]));
    const tasks = (await call("GET", `/run/${id}/task`)).json!.items as { taskId: string; name: string }[];
    const taskLog = (await readAll(`run/${id}/task/${tasks[0]!.taskId}`)).map((e) => e.message);
    expect(taskLog.at(-1)).toBe(`${tasks[0]!.name} finished with exit code 0`);
  });

  it("shows why a failed run failed, in the run and the task streams", async () => {
    const started = await call("POST", "/run", startBody("1000003", rid("logs-fail")));
    const id = String(started.json!.id);
    await waitForFinal(id);
    const runLog = (await readAll(`run/${id}`)).map((e) => e.message);
    expect(runLog.at(-1)).toMatch(/^Run \d+ failed: RUN_TASK_FAILED: Task bwa_mem failed after 2 attempts/);
    const failed = ((await call("GET", `/run/${id}/task?status=FAILED`)).json!.items as { taskId: string }[])[0]!;
    const taskLog = (await readAll(`run/${id}/task/${failed.taskId}`)).map((e) => e.message);
    expect(taskLog.at(-1)).toMatch(/^bwa_mem failed with exit code 1/);
  });

  it("pages a big stream (emulator:log-lines) forward and backward, 1 MB or `limit` events at a time, never repeating", async () => {
    const lines = 25_000;
    const started = await call("POST", "/run", startBody("1000001", rid("biglog"), { tags: { "emulator:log-lines": String(lines) } }));
    const id = String(started.json!.id);
    await waitForFinal(id);
    const stream = `run/${id}/engine`;
    const forward = await readAll(stream);
    expect(forward.length).toBeGreaterThan(lines);
    expect(forward.filter((e) => e.message.includes("progress line")).length).toBe(lines);
    expect(new Set(forward.map((e, i) => `${i}:${e.message}`)).size).toBe(forward.length);
    const first = await page({ logStreamName: stream, startFromHead: true });
    expect(first.events.length).toBe(10_000);
    const limited = await page({ logStreamName: stream, startFromHead: true, limit: 3 });
    expect(limited.events.map((e) => e.message)).toEqual(forward.slice(0, 3).map((e) => e.message));
    const tail = await page({ logStreamName: stream, limit: 5 });
    expect(tail.events.map((e) => e.message)).toEqual(forward.slice(-5).map((e) => e.message));
    const before = await page({ logStreamName: stream, limit: 5, nextToken: tail.nextBackwardToken });
    expect(before.events.map((e) => e.message)).toEqual(forward.slice(-10, -5).map((e) => e.message));
    const windowStart = forward[100]!.timestamp;
    const windowed = await page({ logStreamName: stream, startFromHead: true, startTime: windowStart, endTime: windowStart + 1, limit: 10_000 });
    expect(windowed.events.every((e) => e.timestamp === windowStart)).toBe(true);
    expect((await local("GET", `/__emulator/requests?afterSeq=0`)).json.requests).toEqual(
      expect.arrayContaining([expect.objectContaining({ service: "logs", operation: "GetLogEvents", runId: id, status: 200 })]),
    );
  });

  it("refuses bad parameters and other log groups as CloudWatch Logs does", async () => {
    const noGroup = await getLogEvents({ logStreamName: "run/1" });
    expect(noGroup).toMatchObject({ status: 400, json: { __type: "InvalidParameterException" } });
    const otherGroup = await getLogEvents({ logGroupName: "/aws/lambda/x", logStreamName: "run/1" });
    expect(otherGroup.json).toEqual({ __type: "ResourceNotFoundException", message: "The specified log group does not exist." });
    expect((await getLogEvents({ logGroupName: GROUP, logStreamName: "run/1", limit: 10_001 })).json.__type).toBe("InvalidParameterException");
    expect((await getLogEvents({ logGroupName: GROUP, logStreamName: "run/1", nextToken: "garbage" })).json.__type).toBe("InvalidParameterException");
  });

  it("throttles and fails on injected faults with CloudWatch Logs' errors", async () => {
    await local("POST", "/__emulator/faults", { service: "logs", kind: "throttle", count: 1 });
    const throttled = await getLogEvents({ logGroupName: GROUP, logStreamName: "run/1" });
    expect(throttled).toMatchObject({ status: 400, json: { __type: "ThrottlingException" } });
    await local("POST", "/__emulator/faults", { operation: "GetLogEvents", kind: "error", count: 1 });
    expect((await getLogEvents({ logGroupName: GROUP, logStreamName: "run/1" })).status).toBe(500);
  });
});

describe("paging rules", () => {
  const stream: StreamContent = {
    fixed: [
      { timestamp: 1000, message: "a" },
      { timestamp: 2000, message: "b" },
      { timestamp: 2000, message: "c" },
    ],
    generated: { count: 4, from: 1000, to: 3000, text: (i) => `g${i}` },
  };

  it("merges fixed and generated lines by time, fixed first on a tie, and shows only what has happened", () => {
    const all = getLogEventsPage(stream, { startFromHead: true }, 10_000).events.map((e) => `${e.timestamp}:${e.message}`);
    expect(all).toEqual(["1000:a", "1400:g0", "1800:g1", "2000:b", "2000:c", "2200:g2", "2600:g3"]);
    expect(getLogEventsPage(stream, { startFromHead: true }, 2000).events.map((e) => e.message)).toEqual(["a", "g0", "g1", "b", "c"]);
  });

  it("returns the token it was sent at the end, in both directions; tokens are never empty", () => {
    const head = getLogEventsPage(stream, { startFromHead: true, limit: 7 }, 10_000);
    const end = getLogEventsPage(stream, { nextToken: head.nextForwardToken }, 10_000);
    expect(end.events).toEqual([]);
    expect(end.nextForwardToken).toBe(head.nextForwardToken);
    const start = getLogEventsPage(stream, { nextToken: head.nextBackwardToken }, 10_000);
    expect(start.events).toEqual([]);
    expect(start.nextBackwardToken).toBe(head.nextBackwardToken);
    const empty = getLogEventsPage({ fixed: [] }, {}, 10_000);
    expect(empty.nextForwardToken).toMatch(/^f\//);
    expect(empty.nextBackwardToken).toMatch(/^b\//);
  });

  it("cuts a page at 1,048,576 bytes (message bytes + 26 per event)", () => {
    const big: StreamContent = { fixed: [], generated: { count: 100, from: 0, to: 1000, text: () => "x".repeat(100_000) } };
    const p = getLogEventsPage(big, { startFromHead: true }, 10_000);
    expect(p.events.length).toBe(10);
    const next = getLogEventsPage(big, { nextToken: p.nextForwardToken }, 10_000);
    expect(next.events.length).toBe(10);
  });
});
