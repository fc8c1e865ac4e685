/**
 * Authentication through the Worker's real fetch handler: bearer tokens, malformed credentials,
 * per-user service-info counts, and failing closed when users or the executor are misconfigured.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { createApp } from "../../src/app";
import { WES_STATES } from "../../src/wes/states";
import { API, basic, call, runBody, submit } from "../support/api";
import { drain } from "../support/runs";

const DEMO_TOKEN = "demo-token-0123456789";
const GUEST_TOKEN = "guest-token-0123456789";

interface ErrorBody {
  msg: string;
  status_code: number;
}
interface ServiceInfo {
  system_state_counts: Record<string, number>;
}

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

async function expect401(res: Response): Promise<ErrorBody> {
  expect(res.status).toBe(401);
  expect(res.headers.get("WWW-Authenticate")).toMatch(/Basic realm="GA4GH WES".*Bearer realm="GA4GH WES"/);
  const body = (await res.json()) as ErrorBody;
  expect(body.status_code).toBe(401);
  expect(typeof body.msg).toBe("string");
  return body;
}

async function counts(headers: Record<string, string> = {}): Promise<Record<string, number>> {
  const res = await call("/service-info", { headers });
  expect(res.status).toBe(200);
  return ((await res.json()) as ServiceInfo).system_state_counts;
}

const total = (c: Record<string, number>) => Object.values(c).reduce((a, b) => a + b, 0);

/** A request through a freshly built app with `overrides` on top of the test env. */
async function withEnv(overrides: Partial<Record<keyof Env, string>>, path: string, init: RequestInit = {}): Promise<Response> {
  return await createApp().fetch(new Request(`${API}${path}`, init), { ...env, ...overrides } as Env);
}

describe("bearer tokens", () => {
  it("authenticate as the token's user", async () => {
    const res = await call("/runs", { headers: bearer(DEMO_TOKEN) });
    expect(res.status).toBe(200);
    // A run submitted with guest's token belongs to guest: guest sees it, demo does not.
    const runId = await submit(runBody("1000001"), "guest", bearer(GUEST_TOKEN));
    expect((await call(`/runs/${runId}`, { user: "guest" })).status).toBe(200);
    expect((await call(`/runs/${runId}`, { headers: bearer(GUEST_TOKEN) })).status).toBe(200);
    expect((await call(`/runs/${runId}`, { headers: bearer(DEMO_TOKEN) })).status).toBe(404);
    expect((await call(`/runs/${runId}`, { user: "admin" })).status).toBe(200);
    await drain(runId);
  });

  it("accept the scheme in any case", async () => {
    expect((await call("/runs", { headers: { Authorization: `bearer ${DEMO_TOKEN}` } })).status).toBe(200);
    expect((await call("/runs", { headers: { Authorization: `BEARER ${DEMO_TOKEN}` } })).status).toBe(200);
  });

  it("a wrong token is a 401 with a challenge, on run endpoints and service-info", async () => {
    expect((await expect401(await call("/runs", { headers: bearer("demo-token-0123456780") }))).msg).toBe("The bearer token is not valid.");
    await expect401(await call("/service-info", { headers: bearer("not-a-token-at-all") }));
    // A password is not a token.
    await expect401(await call("/runs", { headers: bearer("demo") }));
  });
});

describe("malformed or wrong credentials", () => {
  it.each([
    ["no scheme", DEMO_TOKEN, /malformed/],
    ["three parts", `Bearer ${DEMO_TOKEN} extra`, /malformed/],
    ["Basic !!!", "Basic !!!", /not valid base64 'user:password'/],
    ["Basic without a colon", `Basic ${btoa("demodemo")}`, /not valid base64 'user:password'/],
    ["Basic of invalid UTF-8", `Basic ${btoa("\xff\xfe:\xff")}`, /not valid base64 'user:password'/],
    ["Digest x", "Digest x", /Unsupported authorization scheme 'Digest'; use Basic or Bearer/],
  ])("%s → 401 ErrorResponse", async (_, header, msg) => {
    expect((await expect401(await call("/runs", { headers: { Authorization: header } }))).msg).toMatch(msg);
  });

  it("an unsupported scheme is never echoed: it may be the credential itself", async () => {
    const secret = "s3cr3t-t0ken-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    const lines: string[] = [];
    const spy = vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => {
      lines.push(args.map(String).join(" "));
    });
    try {
      const body = await expect401(await call("/runs", { headers: { Authorization: `${secret} x` } }));
      expect(body.msg).toBe("Unsupported authorization scheme; use Basic or Bearer.");
    } finally {
      spy.mockRestore();
    }
    expect(lines.some((line) => line.includes('"event":"auth.failed"'))).toBe(true);
    for (const part of [secret, secret.slice(0, 12), "s3cr3t"]) expect(lines.join("\n")).not.toContain(part);
  });

  it("a wrong password and an unknown user get the same answer", async () => {
    const wrong = await expect401(await call("/runs", { headers: { Authorization: basic("demo", "nope") } }));
    const unknown = await expect401(await call("/runs", { headers: { Authorization: basic("mallory", "nope") } }));
    expect(wrong.msg).toBe(unknown.msg);
  });

  it("no credentials on a run endpoint → 401 asking for them", async () => {
    expect((await expect401(await call("/runs"))).msg).toMatch(/Authentication required/);
    await expect401(await call("/runs", { method: "POST", body: JSON.stringify(runBody()), headers: { "Content-Type": "application/json" } }));
  });
});

describe("service-info state counts", () => {
  it("are all zero for an anonymous caller, with every WES state present", async () => {
    const anonymous = await counts();
    expect(Object.keys(anonymous).sort()).toEqual([...WES_STATES].sort());
    expect(Object.values(anonymous).every((n) => n === 0)).toBe(true);
  });

  it("count the caller's own runs; admins count every run", async () => {
    const before = {
      demo: total(await counts({ Authorization: basic("demo") })),
      guest: total(await counts(bearer(GUEST_TOKEN))),
      admin: total(await counts({ Authorization: basic("admin") })),
    };
    const demoRuns = [await submit(runBody("1000001")), await submit(runBody("1000001"))];
    const guestRun = await submit(runBody("1000001"), "guest");
    const after = {
      demo: total(await counts({ Authorization: basic("demo") })),
      guest: total(await counts(bearer(GUEST_TOKEN))),
      admin: total(await counts({ Authorization: basic("admin") })),
    };
    expect(after.demo - before.demo).toBe(2);
    expect(after.guest - before.guest).toBe(1);
    expect(after.admin - before.admin).toBe(3);
    expect(after.admin).toBeGreaterThanOrEqual(after.demo + after.guest);
    expect(Object.values(await counts()).every((n) => n === 0)).toBe(true); // still nothing for anonymous callers
    for (const runId of [...demoRuns, guestRun]) await drain(runId);
  });
});

describe("failing closed", () => {
  const noUsers = { WES_USERS: "", WES_TOKENS: "" };

  it("without users, run endpoints answer 503 naming WES_USERS/WES_TOKENS; service-info still works", async () => {
    for (const [method, path] of [
      ["GET", "/runs"],
      ["POST", "/runs"],
      ["GET", "/runs/x"],
      ["GET", "/runs/x/status"],
      ["POST", "/runs/x/cancel"],
      ["GET", "/runs/x/tasks"],
      ["GET", "/runs/x/tasks/y"],
    ] as const) {
      const res = await withEnv(noUsers, path, { method });
      expect(res.status, `${method} ${path}`).toBe(503);
      const body = (await res.json()) as ErrorBody;
      expect(body.status_code).toBe(503);
      expect(body.msg).toContain("WES_USERS");
      expect(body.msg).toContain("WES_TOKENS");
    }
    const info = await withEnv(noUsers, "/service-info");
    expect(info.status).toBe(200);
    expect(Object.values(((await info.json()) as ServiceInfo).system_state_counts).every((n) => n === 0)).toBe(true);
  });

  it("without users, credentials do not open the door", async () => {
    for (const headers of [{ Authorization: basic("demo") }, bearer(DEMO_TOKEN)]) {
      const res = await withEnv(noUsers, "/runs", { headers });
      expect([401, 503]).toContain(res.status);
      expect(((await res.json()) as ErrorBody).status_code).toBe(res.status);
    }
  });

  it("a malformed WES_USERS is a 503 naming the variable and the entry, never a secret", async () => {
    const res = await withEnv({ WES_USERS: "demo:hunter2-secret,nocolon" }, "/runs", { headers: { Authorization: basic("demo", "hunter2-secret") } });
    expect(res.status).toBe(503);
    const body = (await res.json()) as ErrorBody;
    expect(body).toMatchObject({ status_code: 503 });
    expect(body.msg).toContain("WES_USERS entry 2 must look like user:password");
    expect(body.msg).not.toContain("hunter2-secret");
    expect(body.msg).not.toContain("nocolon");
  });

  it("a short token in WES_TOKENS is a 503 naming the variable, never the token", async () => {
    const res = await withEnv({ WES_TOKENS: "demo:demo-token-0123456789,guest:short-secret" }, "/runs", { headers: { Authorization: basic("demo") } });
    expect(res.status).toBe(503);
    const body = (await res.json()) as ErrorBody;
    expect(body.msg).toContain("WES_TOKENS entry 2");
    expect(body.msg).not.toContain("short-secret");
    expect(body.msg).not.toContain("demo-token-0123456789");
  });

  it("a misconfigured executor makes POST /runs a 503 listing every problem", async () => {
    const before = await env.DB.prepare("SELECT count(*) AS n FROM runs").first<{ n: number }>();
    const res = await withEnv({ HEALTHOMICS_ROLE_ARN: "", HEALTHOMICS_OUTPUT_BUCKET: "Bad_Bucket" }, "/runs", {
      method: "POST",
      body: JSON.stringify(runBody("1000001")),
      headers: { "Content-Type": "application/json", Authorization: basic("demo") },
    });
    expect(res.status).toBe(503);
    const body = (await res.json()) as ErrorBody;
    expect(body.status_code).toBe(503);
    expect(body.msg).toContain("HEALTHOMICS_ROLE_ARN");
    expect(body.msg).toContain("HEALTHOMICS_OUTPUT_BUCKET");
    expect(body.msg).not.toContain("Bad_Bucket");
    expect(body.msg).not.toContain(env.AWS_SECRET_ACCESS_KEY);
    // Nothing was stored for the refused submission.
    expect(await env.DB.prepare("SELECT count(*) AS n FROM runs").first<{ n: number }>()).toEqual(before);
  });

  it("a misconfigured executor leaves reads working", async () => {
    const res = await withEnv({ HEALTHOMICS_ROLE_ARN: "" }, "/runs", { headers: { Authorization: basic("demo") } });
    expect(res.status).toBe(200);
  });
});
