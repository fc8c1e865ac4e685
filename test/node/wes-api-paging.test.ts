/**
 * GET /runs paging over HTTP: page_size validation and capping, tamper-evident page tokens, and a
 * full walk that returns each run exactly once, newest first.
 *
 * Other test files create runs for demo concurrently, so the walk uses guest and checks only this
 * file's runs (keyset paging guarantees no duplicates even while runs are being added).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { call, createRun, discardRun, expectError, expectOk, listAllRuns, runFields, sleep, type RunListBody } from "./support/wes-http";

interface ServiceInfoTags {
  tags: Record<string, string>;
}

async function firstPageToken(user: "demo" | "guest" | "admin"): Promise<string> {
  const page = expectOk<RunListBody>(await call("GET", "/runs?page_size=1", { user }), "RunListResponse");
  expect(page.next_page_token, `${user} needs at least two runs for this test`).not.toBe("");
  return page.next_page_token;
}

/** Replaces the character at `index` with a different base64url character. */
function editOneChar(token: string, index: number): string {
  const replacement = token[index] === "A" ? "B" : "A";
  return `${token.slice(0, index)}${replacement}${token.slice(index + 1)}`;
}

const mine: string[] = [];
beforeAll(async () => {
  // Created one after another, a few ms apart so creation times differ: newest-first order is then
  // exactly the reverse of creation order. Listing does not need them to execute: cancel them.
  for (let i = 0; i < 7; i++) {
    const runId = await createRun("guest", runFields("1000001", { tags: JSON.stringify({ paging: String(i) }) }));
    mine.push(runId);
    await discardRun("guest", runId);
    await sleep(5);
  }
  // demo needs two runs for its own token.
  for (let i = 0; i < 2; i++) await discardRun("demo", await createRun("demo", runFields()));
});

describe("GET /runs page_size", () => {
  for (const size of ["0", "-1", "abc", "1.5", "1e3"]) {
    it(`page_size=${JSON.stringify(size)} is 400`, async () => {
      const error = expectError(await call("GET", `/runs?page_size=${encodeURIComponent(size)}`), 400);
      expect(error.msg).toMatch(/page_size/);
    });
  }

  it("page_size above the advertised maximum is capped, not refused", async () => {
    const info = expectOk<ServiceInfoTags>(await call("GET", "/service-info", { user: null }), "ServiceInfo");
    const max = Number(info.tags.page_size_max);
    expect(Number.isInteger(max) && max > 0).toBe(true);
    const page = expectOk<RunListBody>(await call("GET", `/runs?page_size=${max * 10}`, { user: "admin" }), "RunListResponse");
    expect(page.runs.length).toBeLessThanOrEqual(max);
  });

  it("page_size applies to /runs/{id}/tasks too", async () => {
    expectError(await call("GET", `/runs/${encodeURIComponent(mine[0]!)}/tasks?page_size=0`, { user: "guest" }), 400);
  });
});

describe("GET /runs page_token", () => {
  it("a forged token is 400", async () => {
    for (const token of ["abc", "abc.def", "e30.e30", "a.b.c", "%%%"]) {
      const error = expectError(await call("GET", `/runs?page_token=${encodeURIComponent(token)}`), 400);
      expect(error.msg).toMatch(/page_token/);
    }
  });

  it("a real token edited by one character is 400", async () => {
    const token = await firstPageToken("demo");
    expectOk<RunListBody>(await call("GET", `/runs?page_size=1&page_token=${encodeURIComponent(token)}`), "RunListResponse");
    for (const index of [0, 5, token.indexOf(".") + 1]) {
      expectError(await call("GET", `/runs?page_size=1&page_token=${encodeURIComponent(editOneChar(token, index))}`), 400);
    }
  });

  it("a token from another user's listing is 400", async () => {
    const guestToken = await firstPageToken("guest");
    expectError(await call("GET", `/runs?page_token=${encodeURIComponent(guestToken)}`, { user: "demo" }), 400);
    const adminToken = await firstPageToken("admin");
    expectError(await call("GET", `/runs?page_token=${encodeURIComponent(adminToken)}`, { user: "demo" }), 400);
    // A run listing's token is not a task listing's token either.
    expectError(await call("GET", `/runs/${encodeURIComponent(mine[0]!)}/tasks?page_token=${encodeURIComponent(guestToken)}`, { user: "guest" }), 400);
  });
});

describe("walking GET /runs", () => {
  it("page_size=2 yields each run exactly once, newest first", async () => {
    const { runs, pages } = await listAllRuns("guest", 2);
    const ids = runs.map((r) => r.run_id);
    expect(new Set(ids).size, "no run appears on two pages").toBe(ids.length);
    expect(pages).toBeGreaterThanOrEqual(Math.ceil(mine.length / 2));
    const seen = ids.filter((id) => mine.includes(id));
    expect(seen).toEqual([...mine].reverse());
    const tags = runs.filter((r) => mine.includes(r.run_id)).map((r) => r.tags.paging);
    expect(tags).toEqual(["6", "5", "4", "3", "2", "1", "0"]);
  });
});
