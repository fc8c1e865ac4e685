/** WES_ACCESS_LOG: which requests get an `http.request` line. */
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { SLOW_REQUEST_MS, shouldLog } from "../../src/access-log";
import { createApp } from "../../src/app";
import { API, basic } from "../support/api";

const app = createApp();

/** The `http.request` lines written while `send` runs, parsed. */
async function accessLines(send: () => Promise<unknown>): Promise<Array<Record<string, unknown>>> {
  const lines: string[] = [];
  vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => {
    lines.push(args.map(String).join(" "));
  });
  await send();
  return lines.filter((l) => l.includes('"event":"http.request"')).map((l) => JSON.parse(l) as Record<string, unknown>);
}

afterEach(() => vi.restoreAllMocks());

describe("shouldLog", () => {
  it("logs writes, failures and slow reads by default, everything with all", () => {
    expect(shouldLog("writes-and-errors", "GET", 200, 5)).toBe(false);
    expect(shouldLog("writes-and-errors", "HEAD", 304, 5)).toBe(false);
    expect(shouldLog("writes-and-errors", "GET", 404, 5)).toBe(true);
    expect(shouldLog("writes-and-errors", "GET", 200, SLOW_REQUEST_MS)).toBe(true);
    expect(shouldLog("writes-and-errors", "POST", 200, 5)).toBe(true);
    expect(shouldLog("all", "GET", 200, 5)).toBe(true);
  });
});

describe("the access log", () => {
  const get = async (path: string, vars: Partial<Record<keyof Env, string>> = {}) =>
    await app.fetch(new Request(`${API}${path}`, { headers: { Authorization: basic("demo") } }), { ...env, ...vars } as Env);

  it("by default leaves successful reads out and logs failures with the user", async () => {
    const lines = await accessLines(async () => {
      await get("/runs?page_size=1");
      await get("/runs/no-such-run");
    });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ method: "GET", path: "/ga4gh/wes/v1/runs/no-such-run", status: 404, user: "demo" });
  });

  it("logs every request with WES_ACCESS_LOG=all", async () => {
    const lines = await accessLines(() => get("/runs?page_size=1", { WES_ACCESS_LOG: "all" }));
    expect(lines).toEqual([expect.objectContaining({ method: "GET", status: 200, user: "demo" })]);
  });

  it("logs every request, as a 503, while the setting itself is bad", async () => {
    const lines = await accessLines(() => get("/runs?page_size=1", { WES_ACCESS_LOG: "some" }));
    expect(lines).toEqual([expect.objectContaining({ status: 503 })]);
  });
});
