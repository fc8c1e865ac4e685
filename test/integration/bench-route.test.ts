/** The benchmarks' bare routes exist only while WES_ENVIRONMENT is `development`. */
import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../../src/index";

async function get(environment: string): Promise<Response> {
  const request = new Request<unknown, IncomingRequestCfProperties>("http://wes.test/__bench/status?run_id=r-1");
  return await worker.fetch(request, { ...env, WES_ENVIRONMENT: environment } as Env, createExecutionContext());
}

describe("GET /__bench/status", () => {
  it("answers the status JSON, bare, in development", async () => {
    const res = await get("development");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ run_id: "r-1", state: "RUNNING" });
    expect(res.headers.get("X-Request-Id")).toBeNull(); // none of the service's middleware ran
  });

  it.each(["production", "staging", "test", ""])("is an ordinary 404 when WES_ENVIRONMENT is %j", async (environment) => {
    const res = await get(environment);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ status_code: 404 });
  });
});

describe("POST /__bench/buffered", () => {
  const post = (environment: string) => {
    const form = new FormData();
    form.append("workflow_url", "abc");
    form.append("workflow_attachment", new Blob(["12345"]), "a.bin");
    const request = new Request<unknown, IncomingRequestCfProperties>("http://wes.test/__bench/buffered", { method: "POST", body: form });
    return worker.fetch(request, { ...env, WES_ENVIRONMENT: environment } as Env, createExecutionContext());
  };

  it("reads the whole multipart body and answers the size of its parts, in development", async () => {
    const res = await post("development");
    expect(await res.json()).toEqual({ bytes: 8 });
  });

  it("is not there outside development", async () => {
    expect((await post("production")).status).toBe(404);
  });
});
