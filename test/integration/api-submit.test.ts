/**
 * What a submission becomes: the normalised request GET /runs/{id} echoes, and the StartRun
 * HealthOmics receives (read back from the emulator with GetRun). Also hostile bodies.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { executorSettings } from "../../src/executor-config";
import type { GetRunOutput } from "../../src/executors/healthomics/client/client";
import { omicsClient } from "../../src/executors/healthomics/client/factory";
import { call, getJson, runBody, submit } from "../support/api";
import { drain, drive, runRow } from "../support/runs";

interface RunLog {
  state: string;
  request: Record<string, unknown>;
  run_log: { name?: string; exit_code?: number; system_logs?: string[] };
}

/** The HealthOmics run behind a WES run, as the emulator reports it. */
async function omicsRun(runId: string): Promise<GetRunOutput> {
  const { omics_run_id } = await runRow(runId);
  if (!omics_run_id) throw new Error(`run ${runId} has no HealthOmics run`);
  const result = await omicsClient(executorSettings(env)).getRun(omics_run_id);
  if (!result.ok) throw new Error(`GetRun failed: ${result.error.type}`);
  return result.value;
}

function postJson(body: unknown): Promise<Response> {
  return call("/runs", {
    method: "POST",
    user: "demo",
    body: typeof body === "string" ? body : JSON.stringify(body),
    headers: { "Content-Type": "application/json" },
  });
}

describe("what HealthOmics receives", () => {
  it("engine parameters, the output prefix, the role and the service tags reach StartRun", async () => {
    const runId = await submit(
      runBody("1000001", {
        tags: { project: "p1" },
        workflow_engine_parameters: {
          name: "custom-name",
          logLevel: "all",
          retentionMode: "RETAIN",
          storageType: "STATIC",
          storageCapacity: 2400,
          priority: 7,
        },
      }),
    );
    expect(await drive(runId)).toBe("COMPLETE");
    const run = await omicsRun(runId);
    expect(run).toMatchObject({
      name: "custom-name",
      logLevel: "ALL",
      retentionMode: "RETAIN",
      storageType: "STATIC",
      storageCapacity: 2400,
      priority: 7,
      roleArn: "arn:aws:iam::123456789012:role/OmicsWorkflowRole",
      outputUri: `s3://wes-test-outputs/users/demo/runs/${runId}/`,
      parameters: { input_file: "s3://example-bucket/sample.fastq" },
      tags: { project: "p1", "wes-run-id": runId, "wes-owner": "demo" },
    });
    const { body } = await getJson<RunLog>(`/runs/${runId}`);
    expect(body.run_log.name).toBe("custom-name");
    // Numbers were turned into strings, so the echoed RunRequest stays schema-valid.
    expect(body.request.workflow_engine_parameters).toMatchObject({ storageCapacity: "2400", priority: "7" });
    await drain(runId);
  });

  it("defaults: retentionMode REMOVE and the name wes-<run_id>", async () => {
    const runId = await submit(runBody("1000001"));
    expect(await drive(runId)).toBe("COMPLETE");
    expect(await omicsRun(runId)).toMatchObject({ retentionMode: "REMOVE", name: `wes-${runId}` });
    await drain(runId);
  });

  it("a bare Ready2Run id is found and started as READY2RUN", async () => {
    const runId = await submit(runBody("9000001", { workflow_url: "9000001" }));
    expect(await drive(runId)).toBe("COMPLETE");
    expect((await omicsRun(runId)).workflowType).toBe("READY2RUN");
    await drain(runId);
  });

  it("a version named with the workflowVersionName engine parameter reaches StartRun", async () => {
    const runId = await submit(runBody("1000001", { workflow_engine_parameters: { workflowVersionName: "v2" } }));
    expect(await drive(runId)).toBe("COMPLETE");
    expect((await omicsRun(runId)).workflowVersionName).toBe("v2");
    await drain(runId);
  });

  // A version named in an ARN workflow_url (…:workflow/<id>/version/<name>) reaches StartRun.
  it("a version named in an ARN workflow_url reaches StartRun", async () => {
    const runId = await submit(runBody("1000001", { workflow_url: "arn:aws:omics:us-east-1:123456789012:workflow/1000001/version/v2" }));
    try {
      expect(await drive(runId)).toBe("COMPLETE");
      expect((await omicsRun(runId)).workflowVersionName).toBe("v2");
    } finally {
      await drain(runId);
    }
  });

  it("an ARN version that contradicts workflowVersionName is a 400", async () => {
    const res = await postJson(
      runBody("1000001", {
        workflow_url: "arn:aws:omics:us-east-1:123456789012:workflow/1000001/version/v2",
        workflow_engine_parameters: { workflowVersionName: "v3" },
      }),
    );
    expect(res.status).toBe(400);
    expect(((await res.json()) as { msg: string }).msg).toContain("give one");
  });

  it("a run name HealthOmics would refuse (control characters) is a 400 at submit, not a failed run later", async () => {
    const res = await postJson(runBody("1000001", { workflow_engine_parameters: { name: "bad\u0001name" } }));
    const body = (await res.json()) as { run_id?: string; msg?: string };
    if (body.run_id) await drain(body.run_id);
    expect(res.status).toBe(400);
    expect(body.msg).toContain("workflow_engine_parameters.name has an invalid value");
  });
});

describe("what clients send", () => {
  it("JSON-encoded object fields, lower-case types and version aliases are normalised and echoed", async () => {
    const runId = await submit({
      workflow_url: "healthomics:1000003",
      workflow_type: "cwl",
      workflow_type_version: "1.2",
      workflow_params: JSON.stringify({ input_file: "s3://b/x" }),
      tags: JSON.stringify({ Client: "Dockstore" }),
      workflow_engine_parameters: JSON.stringify({ priority: 3 }),
    });
    const { body } = await getJson<RunLog>(`/runs/${runId}`);
    expect(body.request).toMatchObject({
      workflow_type: "CWL",
      workflow_type_version: "v1.2",
      workflow_params: { input_file: "s3://b/x" },
      tags: { Client: "Dockstore" },
      workflow_engine_parameters: { priority: "3" },
    });
    await drain(runId);
  });

  it("JSON null is absent for every optional field (Toil, wes-client), also JSON-encoded", async () => {
    const runId = await submit(runBody("1000001", { tags: null, workflow_engine_parameters: "null", workflow_engine: null, workflow_engine_version: null }));
    const { body } = await getJson<RunLog>(`/runs/${runId}`);
    expect(body.request).toMatchObject({ tags: {}, workflow_engine_parameters: {}, workflow_params: { input_file: "s3://example-bucket/sample.fastq" } });
    expect(body.request).not.toHaveProperty("workflow_engine");
    expect(body.request).not.toHaveProperty("workflow_engine_version");
    await drain(runId);
  });

  it("null multipart JSON fields are absent too", async () => {
    const form = new FormData();
    for (const [name, value] of Object.entries(runBody("1000001"))) form.set(name, typeof value === "string" ? value : JSON.stringify(value));
    form.set("tags", "null");
    form.set("workflow_engine_parameters", " null ");
    const res = await call("/runs", { method: "POST", user: "demo", body: form });
    const json = (await res.json()) as { run_id: string; msg?: string };
    expect(res.status, json.msg).toBe(200);
    const { body } = await getJson<RunLog>(`/runs/${json.run_id}`);
    expect(body.request).toMatchObject({ tags: {}, workflow_engine_parameters: {} });
    await drain(json.run_id);
  });

  it.each([
    ["workflow_params: null is no parameters (the required input is then missing)", { workflow_params: null }, "input_file"],
    ["workflow_url: null is a missing required field", { workflow_url: null }, "workflow_url is required"],
    ["workflow_type_version: null is a missing required field", { workflow_type_version: null }, "workflow_type_version is required"],
  ])("%s", async (_, extra, msg) => {
    const res = await postJson(runBody("1000001", extra));
    const body = (await res.json()) as { msg: string; status_code: number };
    expect(res.status).toBe(400);
    expect(body.msg).toContain(msg);
    expect(body.msg).not.toContain("must be a JSON object");
  });

  it.each([
    ["cwltool", "healthomics:1000003", "CWL", "v1.2", "3.1.20240508115724", "cwltool"],
    ["Toil", "healthomics:1000001", "WDL", "1.0", "5.9.0", "toil"],
    ["cromwell", "healthomics:1000001", "WDL", "1.0", undefined, "cromwell"],
    ["miniwdl", "healthomics:1000001", "WDL", "1.0", "1.12.0", "miniwdl"],
  ])(
    "workflow_engine %s (another server's engine) is recorded and noted in the run log, never a 400",
    async (engine, url, type, version, engineVersion, recorded) => {
      const runId = await submit(
        runBody("1000001", {
          workflow_url: url,
          workflow_type: type,
          workflow_type_version: version,
          workflow_engine: engine,
          workflow_engine_version: engineVersion,
        }),
      );
      const { body } = await getJson<RunLog>(`/runs/${runId}`);
      expect(body.request.workflow_engine).toBe(recorded);
      expect(body.request.workflow_engine_version).toBe(engineVersion);
      expect(body.run_log.system_logs?.join("\n")).toContain(`workflow_engine ${recorded}${engineVersion ? ` ${engineVersion}` : ""} recorded but not used`);
      await drain(runId);
    },
  );

  it("another server's engine that cannot run the type is a 400; a HealthOmics engine adds no note", async () => {
    const res = await postJson(runBody("1000003", { workflow_engine: "miniwdl" }));
    expect(res.status).toBe(400);
    expect(((await res.json()) as { msg: string }).msg).toContain("workflow_engine 'miniwdl' cannot run CWL");
    const runId = await submit(runBody("1000001", { workflow_engine: "wdl" }));
    const { body } = await getJson<RunLog>(`/runs/${runId}`);
    expect(body.request.workflow_engine).toBe("WDL");
    expect(body.run_log.system_logs?.join("\n") ?? "").not.toContain("workflow_engine");
    await drain(runId);
  });

  it.each([
    ["a scheme nothing fetches", { workflow_url: "ftp://example.org/main.wdl" }, "uses a scheme this service cannot fetch"],
    ["an attachment path leaving the submission", { workflow_url: "../main.wdl" }, "'..'"],
    ["a HealthOmics reference that is no workflow id", { workflow_url: "healthomics:not-an-id" }, "workflow_url"],
  ])("the workflow source is checked before the type version: %s is reported, not the version", async (_, extra, msg) => {
    const res = await postJson(runBody("1000001", { workflow_type_version: "draft-3", ...extra }));
    const body = (await res.json()) as { msg: string; status_code: number };
    expect(res.status).toBe(400);
    expect(body.msg).toContain(msg);
    expect(body.msg).not.toContain("workflow_type_version");
  });

  it("a good source with an unsupported type version is still a 400 naming the version", async () => {
    const res = await postJson(runBody("1000001", { workflow_type_version: "draft-3" }));
    expect(res.status).toBe(400);
    expect(((await res.json()) as { msg: string }).msg).toContain("workflow_type_version 'draft-3' is not supported for WDL");
  });

  it("workflow_params as a file part (Dockstore) is accepted", async () => {
    const form = new FormData();
    form.set("workflow_url", "healthomics:1000001");
    form.set("workflow_type", "WDL");
    form.set("workflow_type_version", "1.0");
    form.set("workflow_params", new File([JSON.stringify({ input_file: "s3://b/y" })], "params.json", { type: "application/json" }));
    const res = await call("/runs", { method: "POST", user: "demo", body: form });
    const json = (await res.json()) as { run_id: string; msg?: string };
    expect(res.status, json.msg).toBe(200);
    const { body } = await getJson<RunLog>(`/runs/${json.run_id}`);
    expect(body.request.workflow_params).toEqual({ input_file: "s3://b/y" });
    await drain(json.run_id);
  });

  it.each([
    ["10,000 nested arrays", `{"workflow_params":${"[".repeat(10_000)}${"]".repeat(10_000)}}`, "nested more than"],
    [
      "10,000 nested objects in workflow_params",
      JSON.stringify({ ...runBody(), workflow_params: undefined }).replace(/}$/, `,"workflow_params":${'{"a":'.repeat(10_000)}1${"}".repeat(10_000)}}`),
      "nested more than",
    ],
    ["500,000 nested arrays (just under 1 MiB)", `{"workflow_params":${"[".repeat(500_000)}${"]".repeat(500_000)}}`, "nested more than"],
    ["invalid JSON", "{", "not valid JSON"],
    ["a JSON array", "[]", "must be a JSON object"],
    ["an unknown field", JSON.stringify({ ...runBody(), workflow_urls: "x" }), "Unknown field 'workflow_urls'"],
    ["attachments in JSON", JSON.stringify({ ...runBody(), workflow_attachment: ["main.wdl"] }), "needs multipart/form-data"],
  ])("%s → 400", async (_, text, msg) => {
    const res = await postJson(text);
    const body = (await res.json()) as { msg: string; status_code: number };
    expect(res.status).toBe(400);
    expect(body).toMatchObject({ status_code: 400 });
    expect(body.msg).toContain(msg);
  });

  it("an unsupported content type is a 415", async () => {
    const res = await call("/runs", { method: "POST", user: "demo", body: "x", headers: { "Content-Type": "text/plain" } });
    expect(res.status).toBe(415);
  });

  it("a body over 1 MiB is a 413", async () => {
    const res = await postJson(runBody("1000001", { workflow_params: { input_file: "s3://b/x", sample_name: "x".repeat(1024 * 1024) } }));
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ status_code: 413 });
  });
});
