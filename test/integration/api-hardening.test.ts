/**
 * Smaller hardening items (issue 11) through the real app: ids echoed in 404s are clipped, page
 * tokens of an OIDC user named `*` and of the admin listing never pass for each other (while
 * tokens issued before the change keep working), and the URLs the API builds come from
 * WES_PUBLIC_BASE_URL rather than the Host header when it is set.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import { decodePageToken, encodePageToken } from "../../src/wes/page-token";
import { legacyRunListScopes, runListScope } from "../../src/wes/context";
import { API, basic, call, runBody, submit } from "../support/api";
import { drain, drive } from "../support/runs";

interface ErrorBody {
  msg: string;
  status_code: number;
}

describe("ids echoed in 404 messages are clipped", () => {
  it.each([
    ["GET /runs/{id}", "GET", (id: string) => `/runs/${id}`],
    ["GET /runs/{id}/status", "GET", (id: string) => `/runs/${id}/status`],
    ["GET /runs/{id}/tasks", "GET", (id: string) => `/runs/${id}/tasks`],
    ["POST /runs/{id}/cancel", "POST", (id: string) => `/runs/${id}/cancel`],
    ["GET /runs/{id}/tasks/{task_id}", "GET", (id: string) => `/runs/${id}/tasks/${id}`],
  ])("%s", async (_label, method, path) => {
    const id = `${"x".repeat(3000)}`;
    const res = await call(path(id), { method, user: "demo" });
    const body = (await res.json()) as ErrorBody;
    expect(res.status).toBe(404);
    expect(body.msg.length).toBeLessThan(200);
    expect(body.msg).toMatch(/'x+\.\.\.'/);
  });

  it("so is the path in a 405", async () => {
    const res = await call(`/runs/${"x".repeat(3000)}`, { method: "PUT", user: "demo" });
    const body = (await res.json()) as ErrorBody;
    expect(res.status).toBe(405);
    expect(body.msg.length).toBeLessThan(300);
  });

  it("a task id of an existing run is clipped too", async () => {
    const runId = await submit(runBody("1000001"));
    try {
      const body = (await (await call(`/runs/${runId}/tasks/${"t".repeat(3000)}`, { user: "demo" })).json()) as ErrorBody;
      expect(body.msg.length).toBeLessThan(200);
      expect(body.msg).toContain(runId);
    } finally {
      await drive(runId);
      await drain(runId);
    }
  });
});

describe("page-token scopes are unambiguous", () => {
  it("an OIDC user named '*' and the admin listing have different scopes, and neither accepts the other's tokens", async () => {
    expect(runListScope({ user: "*" })).not.toBe(runListScope({ all: true }));
    const adminToken = await encodePageToken(env.DB, runListScope({ all: true }), { k: 1, i: "r" });
    await expect(decodePageToken(env.DB, [runListScope({ user: "*" }), ...legacyRunListScopes({ user: "*" })], adminToken)).rejects.toThrow(/not valid/);
    const starToken = await encodePageToken(env.DB, runListScope({ user: "*" }), { k: 1, i: "r" });
    await expect(decodePageToken(env.DB, [runListScope({ all: true }), ...legacyRunListScopes({ all: true })], starToken)).rejects.toThrow(/not valid/);
  });

  it("tokens issued before the change (runs:<user>, runs:*) keep working for their listing, except the ambiguous one", async () => {
    const legacy = async (scope: string) => await encodePageToken(env.DB, scope, { k: 5, i: "r5" });
    const accepts = (scope: Parameters<typeof runListScope>[0]) => [runListScope(scope), ...legacyRunListScopes(scope)];
    expect(await decodePageToken(env.DB, accepts({ user: "alice" }), await legacy("runs:alice"))).toEqual({ k: 5, i: "r5" });
    expect(await decodePageToken(env.DB, accepts({ all: true }), await legacy("runs:*"))).toEqual({ k: 5, i: "r5" });
    await expect(decodePageToken(env.DB, accepts({ user: "*" }), await legacy("runs:*"))).rejects.toThrow(/not valid/);
    await expect(decodePageToken(env.DB, accepts({ user: "bob" }), await legacy("runs:alice"))).rejects.toThrow(/not valid/);
  });

  it("GET /runs pages still chain", async () => {
    const ids = [await submit(runBody("1000001")), await submit(runBody("1000001"))];
    try {
      const first = (await (await call("/runs?page_size=1", { user: "demo" })).json()) as { next_page_token: string };
      expect(first.next_page_token).not.toBe("");
      expect((await call(`/runs?page_size=1&page_token=${first.next_page_token}`, { user: "demo" })).status).toBe(200);
    } finally {
      for (const id of ids) {
        await drive(id);
        await drain(id);
      }
    }
  });
});

describe("WES_PUBLIC_BASE_URL", () => {
  const app = createApp();
  const withBase = (base: string) => ({ ...env, WES_PUBLIC_BASE_URL: base }) as Env;

  it("task_logs_url and auth_instructions_url use it, whatever the Host header says", async () => {
    const runId = await submit(runBody("1000001"));
    try {
      const headers = { Authorization: basic("demo"), Host: "evil.example" };
      const log = (await (
        await app.fetch(new Request(`http://evil.example/ga4gh/wes/v1/runs/${runId}`, { headers }), withBase("https://wes.example.org/"))
      ).json()) as {
        task_logs_url: string;
      };
      expect(log.task_logs_url).toBe(`https://wes.example.org/ga4gh/wes/v1/runs/${runId}/tasks`);
      const info = (await (await app.fetch(new Request("http://evil.example/ga4gh/wes/v1/service-info"), withBase("https://wes.example.org/base"))).json()) as {
        auth_instructions_url: string;
      };
      expect(info.auth_instructions_url).toBe("https://wes.example.org/base/ga4gh/wes/v1/auth-instructions");
      // Unset: the URL the client reached (today's behaviour, fine behind no proxy).
      const plain = (await (await call(`/runs/${runId}`, { user: "demo" })).json()) as { task_logs_url: string };
      expect(plain.task_logs_url).toBe(`${API}/runs/${runId}/tasks`);
    } finally {
      await drive(runId);
      await drain(runId);
    }
  });

  it.each(["wes.example.org", "ftp://wes.example.org", "https://wes.example.org/?x=1", "https://wes.example.org/#f", "https://user@wes.example.org"])(
    "%j is a configuration error (503 naming the variable)",
    async (base) => {
      const res = await app.fetch(new Request(`${API}/service-info`), withBase(base));
      const body = (await res.json()) as ErrorBody;
      expect(res.status).toBe(503);
      expect(body.msg).toContain("WES_PUBLIC_BASE_URL");
    },
  );
});
