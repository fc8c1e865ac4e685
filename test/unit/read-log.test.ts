/**
 * The log answer streams: a page is fetched only when the client has read what came before (so
 * memory holds about one page, whatever the log's size), a cut answer ends with a marker line,
 * the failure text follows a failed run's stderr (masked for non-admins), and a busy or failing
 * first page is an answer of its own rather than a partial log.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { RunRow } from "../../src/db/schema";
import type { PageSource } from "../../src/executors/healthomics/logs/log-paging";
import { MAX_LOG_LINES, readLog, streamName } from "../../src/executors/healthomics/logs/read-log";

const RUN = {
  id: "r1",
  owner: "demo",
  omicsRunId: "2100001",
  omicsStatus: "FAILED",
  omicsFailureReason: "RUN_TASK_FAILED",
  omicsStatusMessage: "role arn:aws:iam::123456789012:role/R failed",
} as RunRow;

/** An endless-looking stream: `pages` pages of `size` lines, made only when asked for. */
function lazyStream(pages: number, size: number): { source: PageSource; calls: () => number } {
  let calls = 0;
  const source: PageSource = async (request) => {
    calls += 1;
    const at = request.token ? Number(request.token) : 0;
    if (at >= pages) return { messages: [], nextForwardToken: String(at), nextBackwardToken: "b" };
    const messages = Array.from({ length: Math.min(size, request.limit) }, (_, i) => `page ${at} line ${i} ${"x".repeat(60)}`);
    return { messages, nextForwardToken: String(at + 1), nextBackwardToken: "b" };
  };
  return { source, calls: () => calls };
}

async function readAll(body: ReadableStream<Uint8Array>): Promise<{ bytes: number; lines: number; last: string }> {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let bytes = 0;
  let lines = 0;
  let last = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return { bytes, lines, last };
    bytes += value.length;
    lines += value.split("\n").length - 1;
    last = (last + value).slice(-400);
  }
}

describe("readLog", () => {
  it("fetches the next page only as the client reads: a huge log never sits in memory", async () => {
    const { source, calls } = lazyStream(5000, 1000);
    const answer = await readLog(env, RUN, { stream: "stdout", admin: false, limit: MAX_LOG_LINES }, source);
    if (answer.kind !== "text") throw new Error(answer.kind);
    const reader = answer.body.getReader();
    for (let i = 0; i < 3; i++) await reader.read();
    // Three pages read; at most the next one or two fetched ahead.
    expect(calls()).toBeLessThanOrEqual(5);
    await reader.cancel();
  });

  it("a log longer than the answer's page bound ends with a marker line, not silently", async () => {
    const { source, calls } = lazyStream(5000, 1000);
    const answer = await readLog(env, RUN, { stream: "stdout", admin: false, limit: MAX_LOG_LINES }, source);
    if (answer.kind !== "text") throw new Error(answer.kind);
    const read = await readAll(answer.body);
    expect(calls()).toBe(500);
    expect(read.lines).toBe(500 * 1000 + 1);
    expect(read.last).toMatch(/\[wes\] log truncated after 500000 lines \(500 CloudWatch Logs pages\)/);
  });

  it("stderr of a failed run ends with HealthOmics' failure reason, masked for users", async () => {
    const { source } = lazyStream(1, 2);
    const user = await readLog(env, RUN, { stream: "stderr", admin: false }, source);
    if (user.kind !== "text") throw new Error(user.kind);
    const text = await new Response(user.body).text();
    expect(text.split("\n").slice(-4)).toEqual([
      "HealthOmics run status: FAILED",
      "HealthOmics failure reason: RUN_TASK_FAILED",
      "HealthOmics status message: role arn:aws:iam::************:role/R failed",
      "",
    ]);
    const admin = await readLog(env, RUN, { stream: "stderr", admin: true }, lazyStream(1, 2).source);
    if (admin.kind !== "text") throw new Error(admin.kind);
    expect(await new Response(admin.body).text()).toContain("arn:aws:iam::123456789012:role/R");
    // stdout and task logs carry no such lines
    const stdout = await readLog(env, RUN, { stream: "stdout", admin: true }, lazyStream(1, 2).source);
    if (stdout.kind !== "text") throw new Error(stdout.kind);
    expect(await new Response(stdout.body).text()).not.toContain("HealthOmics");
  });

  it("a missing stream is an empty log; a failing first page is 'unavailable', never a partial text", async () => {
    const missing = await readLog(env, { ...RUN, omicsFailureReason: null, omicsStatusMessage: null }, { stream: "stdout", admin: false }, async () => null);
    if (missing.kind !== "text") throw new Error(missing.kind);
    expect(await new Response(missing.body).text()).toBe("");
    const failing = await readLog(env, RUN, { stream: "stdout", admin: false }, async () => {
      throw new Error("AccessDeniedException: no logs:GetLogEvents");
    });
    expect(failing).toEqual({ kind: "unavailable", message: "The log could not be read from CloudWatch Logs: AccessDeniedException: no logs:GetLogEvents" });
  });

  it("an error after the first page breaks the stream off instead of ending it cleanly", async () => {
    let calls = 0;
    const answer = await readLog(env, RUN, { stream: "stdout", admin: false }, async (request) => {
      calls += 1;
      if (calls > 1) throw new Error("network");
      return { messages: ["one"], nextForwardToken: `${request.token ?? ""}x`, nextBackwardToken: "b" };
    });
    if (answer.kind !== "text") throw new Error(answer.kind);
    await expect(new Response(answer.body).text()).rejects.toThrow("network");
  });

  it("maps streams as HealthOmics names them", () => {
    expect(streamName("7", { stream: "stdout" })).toBe("run/7/engine");
    expect(streamName("7", { stream: "stderr" })).toBe("run/7");
    expect(streamName("7", { stream: "stdout", taskId: "99" })).toBe("run/7/task/99");
    expect(streamName("7", { stream: "stderr", taskId: "99" })).toBe("run/7/task/99");
  });
});
