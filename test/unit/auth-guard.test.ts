/** Pure parts of the failed-authentication guard: client keys and the sliding window. */
import { describe, expect, it } from "vitest";
import { clientKey, failureLimit, tooManyFailures } from "../../src/auth/guard";
import { GUARD_WINDOW_MS, recentFailures, verdictOf } from "../../src/auth/guard-object";

const key = (ip?: string) => clientKey(new Headers(ip === undefined ? {} : { "CF-Connecting-IP": ip }));

describe("clientKey", () => {
  it("is the IPv4 address, or 'local' without CF-Connecting-IP", () => {
    expect(key("203.0.113.7")).toBe("203.0.113.7");
    expect(key(" 198.51.100.1 ")).toBe("198.51.100.1");
    expect(key()).toBe("local");
    expect(key("")).toBe("local");
  });

  it("ignores X-Forwarded-For, which clients can write", () => {
    expect(clientKey(new Headers({ "X-Forwarded-For": "1.2.3.4" }))).toBe("local");
  });

  it("is the /64 network of an IPv6 address, in one spelling", () => {
    expect(key("2001:db8:1:2:3:4:5:6")).toBe("2001:db8:1:2::/64");
    expect(key("2001:0DB8:0001:0002::1")).toBe("2001:db8:1:2::/64");
    expect(key("2001:db8::1")).toBe("2001:db8:0:0::/64");
    expect(key("::1")).toBe("0:0:0:0::/64");
    expect(key("2001:db8:1:2::1.2.3.4")).toBe("2001:db8:1:2::/64");
  });

  it("treats IPv4-mapped IPv6 as the IPv4 client", () => {
    expect(key("::ffff:203.0.113.9")).toBe("203.0.113.9");
    expect(key("::ffff:cb00:7109")).toBe("203.0.113.9");
  });

  it("keeps anything else bounded", () => {
    expect(key("not-an-ip")).toBe("other:not-an-ip");
    expect(key("1:2:3::4::5")).toMatch(/^other:/);
    expect(key("300.1.1.1")).toMatch(/^other:/);
    expect(key("x".repeat(500)).length).toBeLessThanOrEqual(70);
  });
});

describe("sliding window", () => {
  const now = 1_000_000_000;
  it("keeps only failures within the window, at most `limit` of them", () => {
    expect(recentFailures([now - GUARD_WINDOW_MS, now - GUARD_WINDOW_MS + 1, now - 5], now, 10)).toEqual([now - GUARD_WINDOW_MS + 1, now - 5]);
    expect(recentFailures([1, 2, 3, 4, 5].map((i) => now - i * 1000).reverse(), now, 2)).toEqual([now - 2000, now - 1000]);
  });

  it("blocks with `limit` failures in the window, until the oldest of them is a window old", () => {
    expect(verdictOf([now - 3000, now - 2000], 3)).toEqual({ failures: 2, blockedUntil: null });
    expect(verdictOf([now - 3000, now - 2000, now - 1000], 3)).toEqual({ failures: 3, blockedUntil: now - 3000 + GUARD_WINDOW_MS });
    expect(verdictOf([now], 1)).toEqual({ failures: 1, blockedUntil: now + GUARD_WINDOW_MS });
    expect(verdictOf([now], 0)).toEqual({ failures: 1, blockedUntil: null });
  });
});

describe("failureLimit and the 429", () => {
  const envWith = (value: string | undefined) => ({ WES_AUTH_FAILURE_LIMIT: value }) as unknown as Env;
  it("defaults to 10; 0 is off; anything else is a ConfigError", () => {
    expect(failureLimit(envWith(undefined))).toBe(10);
    expect(failureLimit(envWith(""))).toBe(10);
    expect(failureLimit(envWith("0"))).toBe(0);
    expect(failureLimit(envWith(" 25 "))).toBe(25);
    for (const bad of ["-1", "1.5", "ten", "10001"]) expect(() => failureLimit(envWith(bad))).toThrow(/WES_AUTH_FAILURE_LIMIT/);
  });

  it("Retry-After is whole seconds, at least 1", () => {
    expect(tooManyFailures(10_500, 10_000).headers["Retry-After"]).toBe("1");
    expect(tooManyFailures(70_000, 10_000).headers["Retry-After"]).toBe("60");
    expect(tooManyFailures(10_000, 10_000)).toMatchObject({ status: 429 });
  });
});
