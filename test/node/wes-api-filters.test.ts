/**
 * GET /runs filters over HTTP on the real stack: filtered answers are valid WES RunListResponse
 * bodies (official schema, no undeclared property), tags with ':' in keys and values survive the
 * query string, and a token walk of a filtered listing returns exactly its runs.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { call, createRun, discardRun, expectError, expectOk, runFields, type RunListBody } from "./support/wes-http";

const tag = crypto.randomUUID().slice(0, 8);
const ids: string[] = [];

beforeAll(async () => {
  for (let i = 0; i < 3; i++) {
    const tags = { batch: tag, "emulator:duration-scale": i === 0 ? "0.5" : "1", url: `s3://bucket/${tag}/${i}` };
    const runId = await createRun("guest", runFields("1000001", { tags: JSON.stringify(tags) }));
    ids.push(runId);
    await discardRun("guest", runId);
  }
});

describe("GET /runs filters", () => {
  it("answer valid RunListResponse bodies", async () => {
    const all = expectOk<RunListBody>(await call("GET", `/runs?tag=batch:${tag}`, { user: "guest" }), "RunListResponse");
    expect(all.runs.map((r) => r.run_id)).toEqual([...ids].reverse());
    const stopped = expectOk<RunListBody>(await call("GET", `/runs?tag=batch:${tag}&state=CANCELED&state=canceling`, { user: "guest" }), "RunListResponse");
    expect(stopped.runs).toHaveLength(3);
    expect(stopped.runs.every((r) => r.state === "CANCELED" || r.state === "CANCELING")).toBe(true);
    const q = new URLSearchParams({ tag_key: "emulator:duration-scale", tag_value: "0.5" });
    q.append("tag", `batch:${tag}`);
    const one = expectOk<RunListBody>(await call("GET", `/runs?${q}`, { user: "guest" }), "RunListResponse");
    expect(one.runs.map((r) => r.run_id)).toEqual([ids[0]]);
    const url = expectOk<RunListBody>(await call("GET", `/runs?tag=${encodeURIComponent(`url:s3://bucket/${tag}/2`)}`, { user: "guest" }), "RunListResponse");
    expect(url.runs.map((r) => r.run_id)).toEqual([ids[2]]);
    expect(expectOk<RunListBody>(await call("GET", `/runs?tag=batch:${tag}`, { user: "demo" }), "RunListResponse").runs).toEqual([]);
  });

  it("walks a filtered listing with its tokens alone", async () => {
    const seen: string[] = [];
    let page = expectOk<RunListBody>(await call("GET", `/runs?tag=batch:${tag}&page_size=1`, { user: "guest" }), "RunListResponse");
    seen.push(...page.runs.map((r) => r.run_id));
    while (page.next_page_token) {
      page = expectOk<RunListBody>(
        await call("GET", `/runs?page_size=1&page_token=${encodeURIComponent(page.next_page_token)}`, { user: "guest" }),
        "RunListResponse",
      );
      seen.push(...page.runs.map((r) => r.run_id));
    }
    expect(seen).toEqual([...ids].reverse());
  });

  it("refuses bad filters with an ErrorResponse", async () => {
    expect(expectError(await call("GET", "/runs?state=FINISHED", { user: "guest" }), 400).msg).toContain("not a WES state");
  });
});
