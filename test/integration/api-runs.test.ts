/**
 * POST /runs and the task endpoints through the Worker's real fetch handler with real D1 and the
 * emulator: idempotency, the submit-time workflow check, attachments, task paging, and HTTP
 * details (405, HEAD, request ids, security headers, CORS).
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import { API, call, getJson, runBody, submit } from "../support/api";
import { drain, drive, runRow } from "../support/runs";

interface ErrorBody {
  msg: string;
  status_code: number;
}
interface TaskLog {
  id: string;
  name: string;
  system_logs: string[];
  exit_code?: number;
}
interface TaskPage {
  task_logs: TaskLog[];
  next_page_token: string;
}

function post(body: unknown, headers: Record<string, string> = {}, user = "demo"): Promise<Response> {
  return call("/runs", { method: "POST", user, body: JSON.stringify(body), headers: { "Content-Type": "application/json", ...headers } });
}

async function expect400(res: Response): Promise<string> {
  const body = (await res.json()) as ErrorBody;
  expect(res.status, body.msg).toBe(400);
  expect(body.status_code).toBe(400);
  return body.msg;
}

/** A multipart/form-data body written by hand, so file names reach the server exactly as given. */
function multipart(fields: Record<string, string>, files: Array<{ name: string; content: string; type?: string }>): { body: string; contentType: string } {
  const boundary = `----wes-test-${crypto.randomUUID()}`;
  const parts = Object.entries(fields).map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`);
  for (const file of files) {
    parts.push(
      `--${boundary}\r\nContent-Disposition: form-data; name="workflow_attachment"; filename="${file.name}"\r\nContent-Type: ${file.type ?? "application/octet-stream"}\r\n\r\n${file.content}\r\n`,
    );
  }
  return { body: `${parts.join("")}--${boundary}--\r\n`, contentType: `multipart/form-data; boundary=${boundary}` };
}

function postMultipart(fields: Record<string, string>, files: Array<{ name: string; content: string; type?: string }>): Promise<Response> {
  const { body, contentType } = multipart(fields, files);
  return call("/runs", { method: "POST", user: "demo", body, headers: { "Content-Type": contentType } });
}

const formFields = (workflowUrl: string) => ({
  workflow_url: workflowUrl,
  workflow_type: "WDL",
  workflow_type_version: "1.0",
  workflow_params: JSON.stringify({ input_file: "s3://example-bucket/sample.fastq" }),
});

describe("Idempotency-Key", () => {
  it("10 concurrent identical submissions with one key create exactly one run", async () => {
    const key = `race-${crypto.randomUUID()}`;
    const body = runBody("1000001", { tags: { test: "race" } });
    const responses = await Promise.all(Array.from({ length: 10 }, () => post(body, { "Idempotency-Key": key })));
    const ids = await Promise.all(
      responses.map(async (res) => {
        expect(res.status).toBe(200);
        return ((await res.json()) as { run_id: string }).run_id;
      }),
    );
    expect(new Set(ids).size).toBe(1);
    const rows = await env.DB.prepare("SELECT id FROM runs WHERE idempotency_key = ?1").bind(key).all<{ id: string }>();
    expect(rows.results).toEqual([{ id: ids[0] }]);
    await drain(ids[0]!);
  });

  it("the same key with a different body is a 409 naming the existing run", async () => {
    const key = `conflict-${crypto.randomUUID()}`;
    const runId = await submit(runBody("1000001"), "demo", { "Idempotency-Key": key });
    const res = await post(runBody("1000001", { tags: { other: "body" } }), { "Idempotency-Key": key });
    expect(res.status).toBe(409);
    const body = (await res.json()) as ErrorBody;
    expect(body.status_code).toBe(409);
    expect(body.msg).toContain(runId);
    // Exactly the same request again still returns the original run.
    expect(await submit(runBody("1000001"), "demo", { "Idempotency-Key": key })).toBe(runId);
    await drain(runId);
  });

  it("keys are per user: another user's run is never returned", async () => {
    const key = `shared-${crypto.randomUUID()}`;
    const demoRun = await submit(runBody("1000001"), "demo", { "Idempotency-Key": key });
    const guestRun = await submit(runBody("1000001"), "guest", { "Idempotency-Key": key });
    expect(guestRun).not.toBe(demoRun);
    await drain(demoRun);
    await drain(guestRun);
  });

  it.each([
    ["longer than 255 characters", "k".repeat(256)],
    ["with a control character", "abc\u0001def"],
    ["with a non-ASCII character", "clé"],
  ])("a key %s is a 400", async (_, key) => {
    expect(await expect400(await post(runBody("1000001"), { "Idempotency-Key": key }))).toContain("Idempotency-Key");
  });

  it("a key of exactly 255 characters is accepted", async () => {
    const runId = await submit(runBody("1000001"), "demo", { "Idempotency-Key": "k".repeat(250) + crypto.randomUUID().slice(0, 5) });
    await drain(runId);
  });
});

describe("the submit-time workflow check", () => {
  it("rejects a workflow that does not exist", async () => {
    const msg = await expect400(await post(runBody("1234567")));
    expect(msg).toContain("1234567");
    expect(msg).toContain("does not exist");
  });

  it("rejects a workflow_type that does not match the workflow's engine, suggesting the right one", async () => {
    const msg = await expect400(await post({ ...runBody("1000002"), workflow_type: "WDL", workflow_type_version: "1.0" }));
    expect(msg).toContain("NEXTFLOW");
    expect(msg).toContain("use workflow_type NFL");
  });

  it("rejects a missing required parameter, naming it", async () => {
    const msg = await expect400(await post(runBody("1000001", { workflow_params: { sample_name: "s1" } })));
    expect(msg).toContain("missing required parameter(s) input_file");
  });

  it("rejects a parameter the workflow does not declare", async () => {
    const msg = await expect400(await post(runBody("1000001", { workflow_params: { input_file: "s3://b/x", reference: "s3://b/ref" } })));
    expect(msg).toContain("reference");
    expect(msg).toContain("does not declare");
    expect(msg).toContain("input_file (required)");
  });

  it("takes WDL inputs qualified with the workflow's name, as HealthOmics documents, and runs them", async () => {
    const runId = await submit(runBody("1000001", { workflow_params: { "GermlineVariantCalling.input_file": "s3://example-bucket/sample.fastq" } }));
    expect(await drive(runId)).toBe("COMPLETE");
  });

  it("judges a qualified WDL name by the part after the workflow name, and other engines' names as written", async () => {
    const msg = await expect400(await post(runBody("1000001", { workflow_params: { "GermlineVariantCalling.sample_name": "s1" } })));
    expect(msg).toContain("missing required parameter(s) input_file");
    const cwl = await expect400(await post(runBody("1000003", { workflow_params: { "align.input_file": "s3://b/x" } })));
    expect(cwl).toContain("missing required parameter(s) input_file");
  });

  it.each(["constructor", "__proto__", "toString", "hasOwnProperty", "valueOf"])(
    "rejects a parameter named %j, which the workflow does not declare (an own-key lookup, not `in`)",
    async (name) => {
      // JSON.parse makes "__proto__" an own key, as the API's body parser does.
      const params = JSON.parse(`{"input_file":"s3://b/x",${JSON.stringify(name)}:"s3://b/y"}`) as Record<string, unknown>;
      const msg = await expect400(await post(runBody("1000001", { workflow_params: params })));
      expect(msg).toContain("does not declare");
      expect(msg).toContain(name);
    },
  );

  it("rejects an ARN in another region", async () => {
    const msg = await expect400(await post(runBody("1000001", { workflow_url: "arn:aws:omics:eu-west-1:123456789012:workflow/1000001" })));
    expect(msg).toContain("eu-west-1");
    expect(msg).toContain("us-east-1");
  });

  it("accepts a Ready2Run ARN and runs it as READY2RUN", async () => {
    const runId = await submit(runBody("9000001", { workflow_url: "arn:aws:omics:us-east-1::workflow/9000001" }));
    const row = await env.DB.prepare("SELECT omics_workflow_type FROM runs WHERE id = ?1").bind(runId).first<{ omics_workflow_type: string }>();
    expect(row?.omics_workflow_type).toBe("READY2RUN");
    expect(await drive(runId)).toBe("COMPLETE");
    await drain(runId);
  });

  it("stores nothing for a rejected submission", async () => {
    const before = await env.DB.prepare("SELECT count(*) AS n FROM runs").first<{ n: number }>();
    await expect400(await post(runBody("1234567")));
    expect(await env.DB.prepare("SELECT count(*) AS n FROM runs").first<{ n: number }>()).toEqual(before);
  });
});

describe("attachments", () => {
  it("are stored with the run: a row with the R2 key and SHA-256 (no bytes in D1), the bytes in R2", async () => {
    const res = await postMultipart(formFields("healthomics:1000001"), [
      { name: "main.wdl", content: "version 1.0\nworkflow w {}\n", type: "text/plain" },
      { name: "./inputs/./params.json", content: '{"a":1}', type: "application/json" },
    ]);
    const json = (await res.json()) as { run_id: string; msg?: string };
    expect(res.status, json.msg).toBe(200);
    const rows = await env.DB.prepare("SELECT path, content_type, size, data, object_key, sha256 FROM attachments WHERE run_id = ?1 ORDER BY path")
      .bind(json.run_id)
      .all<{ path: string; content_type: string; size: number; data: unknown; object_key: string; sha256: string }>();
    const digest = async (text: string) =>
      [...new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)))].map((b) => b.toString(16).padStart(2, "0")).join("");
    expect(rows.results).toEqual([
      {
        path: "inputs/params.json",
        content_type: "application/json",
        size: 7,
        data: null,
        object_key: `runs/${json.run_id}/attachments/inputs/params.json`,
        sha256: await digest('{"a":1}'),
      },
      {
        path: "main.wdl",
        content_type: "text/plain",
        size: 26,
        data: null,
        object_key: `runs/${json.run_id}/attachments/main.wdl`,
        sha256: await digest("version 1.0\nworkflow w {}\n"),
      },
    ]);
    const object = await env.ATTACHMENTS.get(`runs/${json.run_id}/attachments/inputs/params.json`);
    expect(await object?.text()).toBe('{"a":1}');
    expect(object?.httpMetadata?.contentType).toBe("application/json");
    await drain(json.run_id);
  });

  it("a workflow_url naming an attached draft-2 WDL, or no attached file, is a 400", async () => {
    expect(await expect400(await postMultipart(formFields("main.wdl"), [{ name: "main.wdl", content: "workflow w {}\n" }]))).toContain("draft-2");
    expect(await expect400(await postMultipart(formFields("other.wdl"), [{ name: "main.wdl", content: "version 1.0\n" }]))).toContain("names no attached file");
  });

  it.each(["../main.wdl", "a/../../etc/passwd", "/etc/passwd", "C:\\evil.wdl"])("an attachment named %s is a 400", async (name) => {
    const before = await env.DB.prepare("SELECT count(*) AS n FROM attachments").first<{ n: number }>();
    const msg = await expect400(await postMultipart(formFields("healthomics:1000001"), [{ name, content: "x" }]));
    expect(msg).toMatch(/^workflow_attachment has (a file name with '\.\.'|an absolute file name)/);
    expect(await env.DB.prepare("SELECT count(*) AS n FROM attachments").first<{ n: number }>()).toEqual(before);
  });
});

describe("tasks", () => {
  it("page through every task exactly once, in order; tokens are bound to their run; single tasks resolve", async () => {
    const runId = await submit(runBody("1000001"));
    expect(await drive(runId)).toBe("COMPLETE");
    const { status, body: all } = await getJson<TaskPage>(`/runs/${runId}/tasks?page_size=100`);
    expect(status).toBe(200);
    expect(all.task_logs.length).toBeGreaterThanOrEqual(3);
    expect(all.next_page_token).toBe("");

    const walked: string[] = [];
    let token = "";
    let firstToken = "";
    for (let page = 0; page < 50; page++) {
      const query = `page_size=1${token ? `&page_token=${encodeURIComponent(token)}` : ""}`;
      const { status: pageStatus, body } = await getJson<TaskPage>(`/runs/${runId}/tasks?${query}`);
      expect(pageStatus).toBe(200);
      expect(body.task_logs.length).toBeLessThanOrEqual(1);
      walked.push(...body.task_logs.map((t) => t.id));
      token = body.next_page_token;
      if (!firstToken) firstToken = token;
      if (!token) break;
    }
    expect(walked).toEqual(all.task_logs.map((t) => t.id));
    expect(new Set(walked).size).toBe(walked.length);

    // The token belongs to this run's listing; on another run's tasks it is a 400.
    const otherRun = await submit(runBody("1000001"));
    const misused = await call(`/runs/${otherRun}/tasks?page_token=${encodeURIComponent(firstToken)}`, { user: "demo" });
    expect(await expect400(misused)).toContain("page_token is not valid for this listing");

    const first = all.task_logs[0]!;
    const { status: taskStatus, body: task } = await getJson<TaskLog>(`/runs/${runId}/tasks/${encodeURIComponent(first.id)}`);
    expect(taskStatus).toBe(200);
    expect(task).toEqual(first);
    expect(task.name).toBe("FastqToBam");
    expect(task.exit_code).toBeUndefined();

    const missing = await call(`/runs/${runId}/tasks/999999999`, { user: "demo" });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ status_code: 404, msg: expect.stringContaining("999999999") });
    // Another user cannot read the task either.
    expect((await call(`/runs/${runId}/tasks/${encodeURIComponent(first.id)}`, { user: "guest" })).status).toBe(404);

    expect((await runRow(runId)).state).toBe("COMPLETE");
    await drain(runId);
    await drain(otherRun);
  });

  it("reject a bad page_size", async () => {
    const runId = await submit(runBody("1000001"));
    for (const size of ["0", "-1", "abc", "1.5"]) {
      expect(await expect400(await call(`/runs/${runId}/tasks?page_size=${size}`, { user: "demo" }))).toContain("page_size");
    }
    await drain(runId);
  });
});

describe("HTTP details", () => {
  it("a wrong method on a known route is a 405 with Allow", async () => {
    const res = await call("/runs/x", { method: "PUT", user: "demo" });
    expect(res.status).toBe(405);
    expect(res.headers.get("Allow")).toBe("GET, DELETE, HEAD");
    expect(await res.json()).toMatchObject({ status_code: 405 });
    expect((await call("/runs", { method: "DELETE", user: "demo" })).headers.get("Allow")).toBe("GET, POST, HEAD");
    expect((await call("/runs/x/cancel", { method: "GET", user: "demo" })).headers.get("Allow")).toBe("POST");
  });

  it("an unknown path is a 404 ErrorResponse", async () => {
    const res = await call("/nope", { user: "demo" });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ status_code: 404 });
  });

  it("HEAD /service-info answers like GET without a body", async () => {
    const res = await call("/service-info", { method: "HEAD" });
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toContain("application/json");
    expect(await res.text()).toBe("");
  });

  it("every response has a request id, security headers and no CORS headers by default", async () => {
    const responses = [
      await call("/service-info", { headers: { Origin: "https://app.example.org" } }),
      await call("/runs", { user: "demo", headers: { Origin: "https://app.example.org" } }),
      await call("/runs"),
      await call("/runs/x", { method: "PUT" }),
    ];
    const ids = new Set<string>();
    for (const res of responses) {
      const id = res.headers.get("X-Request-Id");
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      ids.add(id!);
      expect(res.headers.get("X-Content-Type-Options")).toBe("nosniff");
      expect(res.headers.get("Access-Control-Allow-Origin")).toBeNull();
    }
    expect(ids.size).toBe(responses.length);
  });

  it("with WES_CORS_ORIGINS, a preflight from that origin is allowed and one from elsewhere is not", async () => {
    const corsEnv = { ...env, WES_CORS_ORIGINS: "https://app.example.org" } as Env;
    const preflight = (origin: string) =>
      createApp().fetch(
        new Request(`${API}/runs`, {
          method: "OPTIONS",
          headers: { Origin: origin, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization,content-type" },
        }),
        corsEnv,
      );
    const allowed = await preflight("https://app.example.org");
    expect(allowed.status).toBeLessThan(300);
    expect(allowed.headers.get("Access-Control-Allow-Origin")).toBe("https://app.example.org");
    expect(allowed.headers.get("Access-Control-Allow-Methods")).toContain("POST");
    expect(allowed.headers.get("Access-Control-Allow-Headers")?.toLowerCase()).toContain("authorization");
    const denied = await preflight("https://evil.example.com");
    expect(denied.headers.get("Access-Control-Allow-Origin")).toBeNull();
    // An actual request from the allowed origin carries the header and exposes the request id.
    const actual = await createApp().fetch(new Request(`${API}/service-info`, { headers: { Origin: "https://app.example.org" } }), corsEnv);
    expect(actual.headers.get("Access-Control-Allow-Origin")).toBe("https://app.example.org");
    expect(actual.headers.get("Access-Control-Expose-Headers")).toContain("X-Request-Id");
    // Errors carry it too, so a browser client can read the ErrorResponse.
    const unauthorized = await createApp().fetch(new Request(`${API}/runs`, { headers: { Origin: "https://app.example.org" } }), corsEnv);
    expect(unauthorized.status).toBe(401);
    expect(unauthorized.headers.get("Access-Control-Allow-Origin")).toBe("https://app.example.org");
  });
});
