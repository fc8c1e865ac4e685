/**
 * Failed-authentication rate limiting through the real app: wrong passwords from one client
 * address lead to 429 with Retry-After, before credentials are checked; other clients are
 * unaffected; successful requests never involve the guard object.
 */
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import { clientKey, forgetBlockedClients } from "../../src/auth/guard";
import { GUARD_WINDOW_MS } from "../../src/auth/guard-object";
import { API, basic } from "../support/api";

const LIMIT = 5;
const guardEnv = { ...env, WES_AUTH_FAILURE_LIMIT: String(LIMIT) } as Env;
const app = createApp();

let next = 1;
/** A client address of its own for each test (documentation range, RFC 5737). */
const newClient = () => `203.0.113.${next++}`;

const used = new Set<string>();

async function call(client: string, authorization?: string, path = "/runs", useEnv: Env = guardEnv): Promise<Response> {
  const headers = new Headers({ "CF-Connecting-IP": client });
  used.add(clientKey(headers));
  if (authorization) headers.set("Authorization", authorization);
  return await app.fetch(new Request(`${API}${path}`, { headers }), useEnv);
}

async function fail(client: string, times: number): Promise<void> {
  for (let i = 0; i < times; i++) expect((await call(client, basic("demo", `wrong-${i}`))).status).toBe(401);
}

const guardStub = (key: string) => env.AUTH_GUARD.get(env.AUTH_GUARD.idFromName(key));

// Guard objects keep a clean-up alarm for a minute; alarms survive between test files, so drop them.
afterAll(async () => {
  for (const key of used) {
    await runInDurableObject(guardStub(key), async (_instance, state) => {
      await state.storage.deleteAlarm();
      await state.storage.deleteAll();
    });
  }
});

describe("failed-authentication limit", () => {
  it(`after ${LIMIT} wrong passwords the next attempt, even the right password, is 429 with Retry-After`, async () => {
    const client = newClient();
    await fail(client, LIMIT);
    const res = await call(client, basic("demo"));
    expect(res.status).toBe(429);
    const retryAfter = Number(res.headers.get("Retry-After"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(GUARD_WINDOW_MS / 1000);
    const body = (await res.json()) as { msg: string; status_code: number };
    expect(body).toMatchObject({ status_code: 429 });
    expect(body.msg).toMatch(/Too many failed authentication attempts.*try again in \d+ s/);
    // Static tokens and service-info with credentials are refused too; anonymous service-info is not.
    expect((await call(client, "Bearer demo-token-0123456789")).status).toBe(429);
    expect((await call(client, basic("demo"), "/service-info")).status).toBe(429);
    expect((await call(client, undefined, "/service-info")).status).toBe(200);
  });

  it("another client is unaffected", async () => {
    const attacker = newClient();
    const bystander = newClient();
    await fail(attacker, LIMIT);
    expect((await call(attacker, basic("demo"))).status).toBe(429);
    expect((await call(bystander, basic("demo"))).status).toBe(200);
    expect((await call(bystander, basic("demo", "typo"))).status).toBe(401);
    expect((await call(bystander, basic("demo"))).status).toBe(200);
  });

  it("one failure short of the limit still lets the right password in", async () => {
    const client = newClient();
    await fail(client, LIMIT - 1);
    expect((await call(client, basic("demo"))).status).toBe(200);
    expect((await guardStub(client).verdict(LIMIT)).failures).toBe(LIMIT - 1);
  });

  it("wrong static tokens count as well", async () => {
    const client = newClient();
    for (let i = 0; i < LIMIT; i++) expect((await call(client, `Bearer not-a-valid-token-${i}-0000`)).status).toBe(401);
    expect((await call(client, "Bearer demo-token-0123456789")).status).toBe(429);
  });

  it("malformed headers and missing credentials are not guesses and do not count", async () => {
    const client = newClient();
    for (let i = 0; i < LIMIT * 2; i++) {
      expect((await call(client, "Basic !!!")).status).toBe(401);
      expect((await call(client, "Digest x")).status).toBe(401);
      expect((await call(client)).status).toBe(401);
    }
    expect((await call(client, basic("demo"))).status).toBe(200);
  });

  it("addresses in one IPv6 /64 share a counter", async () => {
    await fail("2001:db8:1:2:aaaa::1", LIMIT);
    expect((await call("2001:db8:1:2::ffff", basic("demo"))).status).toBe(429);
    expect((await call("2001:db8:1:3::1", basic("demo"))).status).toBe(200);
  });

  it("an isolate that has not seen the block learns it at the client's next failure", async () => {
    const client = newClient();
    await fail(client, LIMIT);
    forgetBlockedClients(); // as if the next request reached another isolate
    expect((await call(client, basic("demo", "again"))).status).toBe(401);
    expect((await call(client, basic("demo"))).status).toBe(429);
  });

  it("WES_AUTH_FAILURE_LIMIT=0 turns the guard off", async () => {
    const off = { ...guardEnv, WES_AUTH_FAILURE_LIMIT: "0" } as Env;
    const client = newClient();
    for (let i = 0; i < LIMIT * 2; i++) expect((await call(client, basic("demo", "nope"), "/runs", off)).status).toBe(401);
    expect((await call(client, basic("demo"), "/runs", off)).status).toBe(200);
    expect((await guardStub(client).verdict(LIMIT)).failures).toBe(0);
  });

  it("a bad WES_AUTH_FAILURE_LIMIT is a 503 naming it", async () => {
    const res = await call(newClient(), basic("demo"), "/runs", { ...guardEnv, WES_AUTH_FAILURE_LIMIT: "ten" } as Env);
    expect(res.status).toBe(503);
    expect(((await res.json()) as { msg: string }).msg).toContain("WES_AUTH_FAILURE_LIMIT");
  });
});

describe("the hot path does not touch the guard", () => {
  /** An AUTH_GUARD binding that fails the test run if anything uses it. */
  const trap = {
    idFromName(): never {
      throw new Error("the guard was consulted");
    },
    get(): never {
      throw new Error("the guard was consulted");
    },
  };
  const trapped = { ...guardEnv, AUTH_GUARD: trap } as unknown as Env;

  it("successful and anonymous requests never call the guard object", async () => {
    const client = newClient();
    for (let i = 0; i < 20; i++) {
      expect((await call(client, basic("demo"), "/runs", trapped)).status).toBe(200);
      expect((await call(client, "Bearer guest-token-0123456789", "/runs", trapped)).status).toBe(200);
      expect((await call(client, undefined, "/service-info", trapped)).status).toBe(200);
    }
    // And nothing was stored for a client that only ever succeeded.
    const ok = newClient();
    for (let i = 0; i < 5; i++) expect((await call(ok, basic("demo"))).status).toBe(200);
    await runInDurableObject(guardStub(ok), async (_instance, state) => {
      expect((await state.storage.list()).size).toBe(0);
    });
  });

  it("an unreachable guard does not lock anyone out: the failure is still a 401", async () => {
    expect((await call(newClient(), basic("demo", "wrong"), "/runs", trapped)).status).toBe(401);
  });
});

describe("the guard object", () => {
  it("forgets failures older than the window, and its alarm deletes what has expired", async () => {
    const client = newClient();
    const stub = guardStub(client);
    const old = Date.now() - GUARD_WINDOW_MS - 1000;
    await runInDurableObject(stub, async (_instance, state) => {
      await state.storage.put(
        "failures",
        Array.from({ length: LIMIT }, (_, i) => old + i),
      );
    });
    expect(await stub.verdict(LIMIT)).toEqual({ failures: 0, blockedUntil: null });
    expect((await stub.recordFailure(LIMIT)).blockedUntil).toBeNull();
    await runInDurableObject(stub, async (_instance, state) => {
      await state.storage.put("failures", [old]);
      await state.storage.setAlarm(Date.now() + GUARD_WINDOW_MS);
    });
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    await runInDurableObject(stub, async (_instance, state) => {
      expect((await state.storage.list()).size).toBe(0);
    });
  });

  it("blocks until the oldest of the last `limit` failures leaves the window", async () => {
    const stub = guardStub(newClient());
    let verdict = await stub.recordFailure(3);
    for (let i = 0; i < 2; i++) verdict = await stub.recordFailure(3);
    expect(verdict.failures).toBe(3);
    expect(verdict.blockedUntil).not.toBeNull();
    expect(verdict.blockedUntil! - Date.now()).toBeGreaterThan(GUARD_WINDOW_MS - 5000);
    expect(verdict.blockedUntil! - Date.now()).toBeLessThanOrEqual(GUARD_WINDOW_MS);
    // Leave no alarm behind (alarms survive between tests).
    await runInDurableObject(stub, async (_instance, state) => {
      await state.storage.deleteAll();
      await state.storage.deleteAlarm();
    });
  });
});
