/**
 * GET /service-info's `tags`: the request size limits and whether deleting a run deletes its
 * outputs, as the service will actually apply them (docs/usage.md, "GetServiceInfo").
 */
import { env } from "cloudflare:workers";
import { expect, it } from "vitest";
import { createApp } from "../../src/app";
import { API, call } from "../support/api";

async function tags(overrides?: Record<string, string>): Promise<Record<string, string>> {
  const res = overrides ? await createApp().fetch(new Request(`${API}/service-info`), { ...env, ...overrides } as Env) : await call("/service-info", {});
  expect(res.status).toBe(200);
  return ((await res.json()) as { tags: Record<string, string> }).tags;
}

it("names the largest multipart body and the largest JSON or URL-encoded body", async () => {
  const t = await tags();
  expect(t.max_request_bytes).toBe("100000000");
  expect(t.max_json_request_bytes).toBe("1048576");
});

it("says whether deleting a run deletes its outputs (WES_DELETE_OUTPUTS)", async () => {
  expect((await tags()).delete_outputs).toBe("false");
  expect((await tags({ WES_DELETE_OUTPUTS: "true" })).delete_outputs).toBe("true");
});

it("a bad WES_DELETE_OUTPUTS is a 503 naming it, as for every setting", async () => {
  const res = await createApp().fetch(new Request(`${API}/service-info`), { ...env, WES_DELETE_OUTPUTS: "maybe" } as Env);
  expect(res.status).toBe(503);
  expect(((await res.json()) as { msg: string }).msg).toMatch(/WES_DELETE_OUTPUTS/);
});
