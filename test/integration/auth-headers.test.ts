/**
 * Hardening around authentication: security headers, CORS exposure of the challenge, and logs
 * that never contain credentials.
 */
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createApp } from "../../src/app";
import { API, basic } from "../support/api";

const app = createApp();

afterEach(() => {
  vi.restoreAllMocks();
});

describe("security headers", () => {
  it("forbid framing and any active content, on answers and errors alike", async () => {
    for (const res of [await app.fetch(new Request(`${API}/service-info`), env), await app.fetch(new Request(`${API}/runs`), env)]) {
      expect(res.headers.get("Content-Security-Policy")).toBe("default-src 'none'; frame-ancestors 'none'");
      expect(res.headers.get("X-Frame-Options")).toBe("DENY");
      expect(res.headers.get("X-Content-Type-Options")).toBe("nosniff");
      expect(res.headers.get("Referrer-Policy")).toBe("no-referrer");
      expect(res.headers.get("Cache-Control")).toBe("no-store");
    }
  });

  it("with CORS on, browsers may read the challenge and Retry-After", async () => {
    const corsEnv = { ...env, WES_CORS_ORIGINS: "https://app.example.org" } as Env;
    const res = await app.fetch(new Request(`${API}/runs`, { headers: { Origin: "https://app.example.org" } }), corsEnv);
    expect(res.status).toBe(401);
    const exposed = res.headers.get("Access-Control-Expose-Headers") ?? "";
    expect(exposed).toContain("WWW-Authenticate");
    expect(exposed).toContain("Retry-After");
  });
});

describe("logs", () => {
  it("never contain passwords or tokens, whether accepted or refused", async () => {
    const lines: string[] = [];
    for (const method of ["log", "warn", "error"] as const) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
        lines.push(args.map(String).join(" "));
      });
    }
    const secrets = ["demo", "hunter2-wrong-password", "demo-token-0123456789", "made-up-token-0123456789abcdef", "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln"];
    const requests = [
      basic("demo"),
      basic("demo", "hunter2-wrong-password"),
      "Bearer demo-token-0123456789",
      "Bearer made-up-token-0123456789abcdef",
      "Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln",
    ];
    // WES_ACCESS_LOG=all: a successful read is logged too (by default only writes and failures are).
    const logEverything = { ...env, WES_ACCESS_LOG: "all" } as Env;
    for (const authorization of requests) await app.fetch(new Request(`${API}/runs?page_size=1`, { headers: { Authorization: authorization } }), logEverything);
    expect(lines.length).toBeGreaterThanOrEqual(requests.length);
    const text = lines.join("\n");
    for (const secret of [...secrets.slice(1), ...requests.map((r) => r.split(" ")[1]!)]) expect(text).not.toContain(secret);
    // The access log names the user of a successful request.
    expect(lines.some((l) => l.includes('"event":"http.request"') && l.includes('"user":"demo"'))).toBe(true);
    expect(lines.some((l) => l.includes('"event":"auth.failed"'))).toBe(true);
  });
});
