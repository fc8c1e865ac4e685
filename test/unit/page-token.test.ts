/** page_size parsing and the signed keyset page tokens (with the real D1-held signing key). */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { WesError } from "../../src/errors";
import { decodePageToken, encodePageToken, PAGE_SIZE_DEFAULT, PAGE_SIZE_MAX, parsePageSize } from "../../src/wes/page-token";

const INVALID = /page_token is not valid for this listing/;

async function rejected(token: string, scope = "runs:demo"): Promise<WesError> {
  try {
    await decodePageToken(env.DB, scope, token);
  } catch (error) {
    expect(error).toBeInstanceOf(WesError);
    return error as WesError;
  }
  throw new Error(`token '${token.slice(0, 40)}' was accepted`);
}

const b64url = (text: string) => btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

describe("parsePageSize", () => {
  it.each([
    [undefined, PAGE_SIZE_DEFAULT],
    ["1", 1],
    ["25", 25],
    [" 7 ", 7],
    ["+3", 3],
    [String(PAGE_SIZE_MAX), PAGE_SIZE_MAX],
    [String(PAGE_SIZE_MAX + 1), PAGE_SIZE_MAX],
    ["1000000000000", PAGE_SIZE_MAX],
  ])("%j → %d", (value, size) => {
    expect(parsePageSize(value)).toBe(size);
  });

  it.each(["0", "-1", "abc", "1.5", "", "1e2", "0x10", "10abc", "-0"])("%j → 400", (value) => {
    let error: unknown;
    try {
      parsePageSize(value);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(WesError);
    expect((error as WesError).status).toBe(400);
    expect((error as WesError).message).toMatch(/^page_size must be a positive integer/);
  });
});

describe("page tokens", () => {
  it("round-trip a cursor within its scope", async () => {
    const cursor = { k: 1_736_000_000_123, i: "5f0c7d7e-8a51-4b57-9d3e-0a1b2c3d4e5f" };
    const token = await encodePageToken(env.DB, "runs:demo", cursor);
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(await decodePageToken(env.DB, "runs:demo", token)).toEqual(cursor);
  });

  it("round-trip unusual ids and keys", async () => {
    for (const cursor of [
      { k: 0, i: "" },
      { k: -1, i: 'ünïcödé/"quoted"' },
      { k: 3, i: "1234567" },
    ]) {
      const token = await encodePageToken(env.DB, "tasks:r1", cursor);
      expect(await decodePageToken(env.DB, "tasks:r1", token)).toEqual(cursor);
    }
  });

  it("are deterministic for the same cursor and scope", async () => {
    const cursor = { k: 5, i: "x" };
    expect(await encodePageToken(env.DB, "runs:demo", cursor)).toBe(await encodePageToken(env.DB, "runs:demo", cursor));
  });

  it("keep the signing key in D1", async () => {
    await encodePageToken(env.DB, "runs:demo", { k: 1, i: "a" });
    const row = await env.DB.prepare("SELECT value FROM service_keys WHERE name = 'page_token_hmac'").first<{ value: string }>();
    expect(row?.value).toMatch(/^[0-9a-f]{64}$/);
  });

  it("reject a token whose payload was edited", async () => {
    const token = await encodePageToken(env.DB, "runs:demo", { k: 100, i: "run-a" });
    const [, signature] = token.split(".");
    const forged = `${b64url(JSON.stringify({ s: "runs:demo", k: 1, i: "run-a" }))}.${signature}`;
    const error = await rejected(forged);
    expect(error.status).toBe(400);
    expect(error.message).toMatch(INVALID);
    expect(error.message).toContain("omit it to start from the first page");
  });

  it("reject a token whose signature was edited", async () => {
    const token = await encodePageToken(env.DB, "runs:demo", { k: 100, i: "run-a" });
    const [payload, signature] = token.split(".") as [string, string];
    const flipped = signature.slice(0, -2) + (signature.at(-2) === "A" ? "B" : "A") + signature.at(-1);
    expect((await rejected(`${payload}.${flipped}`)).message).toMatch(INVALID);
    expect((await rejected(`${payload}.`)).message).toMatch(INVALID);
    expect((await rejected(`${payload}.${signature}x`)).message).toMatch(INVALID);
  });

  it("reject a token of another listing (another user's runs, another run's tasks)", async () => {
    const runs = await encodePageToken(env.DB, "runs:demo", { k: 1, i: "a" });
    expect((await rejected(runs, "runs:guest")).message).toMatch(INVALID);
    expect((await rejected(runs, "runs:*")).message).toMatch(INVALID);
    const tasks = await encodePageToken(env.DB, "tasks:run-1", { k: 1, i: "t" });
    expect((await rejected(tasks, "tasks:run-2")).message).toMatch(INVALID);
  });

  it.each(["", "garbage", ".", "a.b.c", "!!!.???", "eyJzIjoicnVuczpkZW1vIn0.", "%00.%00", "a b.c d"])("reject garbage %j with a 400", async (token) => {
    const error = await rejected(token);
    expect(error.status).toBe(400);
    expect(error.message).toMatch(INVALID);
  });

  it("reject a token that is too long, even if well-formed", async () => {
    const long = `${b64url(JSON.stringify({ s: "runs:demo", k: 1, i: "x".repeat(2000) }))}.AAAA`;
    expect((await rejected(long)).status).toBe(400);
    const realButLong = await encodePageToken(env.DB, "runs:demo", { k: 1, i: "x".repeat(2000) });
    expect((await rejected(realButLong)).message).toMatch(INVALID);
  });

  it("reject a correctly signed payload of the wrong shape", async () => {
    // A valid signature over a payload with a string k (only our own code could make one).
    const token = await encodePageToken(env.DB, "runs:demo", { k: "1" as unknown as number, i: "a" });
    expect((await rejected(token)).status).toBe(400);
  });
});
