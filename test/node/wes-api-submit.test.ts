/**
 * POST /runs input handling over HTTP: what real clients send is accepted (design.md §7), what
 * cannot be run is a 400 that says what to fix, size and content-type limits hold, and the
 * Idempotency-Key header makes retries safe.
 */
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { call, createRun, discardRun, expectError, expectOk, formOf, runFields, type RunIdBody, type RunLogBody } from "./support/wes-http";

const JSON_HEADERS = { "Content-Type": "application/json" };

/** The JSON-body equivalent of runFields(): objects as objects, not as JSON text. */
function jsonRun(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    workflow_type: "WDL",
    workflow_type_version: "1.0",
    workflow_url: "healthomics:1000001",
    workflow_params: { input_file: "s3://example-bucket/sample.fastq" },
    ...overrides,
  };
}

function withoutField(fields: Record<string, string>, name: string): Record<string, string> {
  const copy = { ...fields };
  delete copy[name];
  return copy;
}

/** Reads a run back, then cancels it: these tests are about the stored request, not execution. */
async function readRun(runId: string): Promise<RunLogBody> {
  const log = expectOk<RunLogBody>(await call("GET", `/runs/${encodeURIComponent(runId)}`), "RunLog");
  await discardRun("demo", runId);
  return log;
}

/** Multipart submissions that must be refused with 400, and what the message must mention. */
const badMultipart: Array<[string, Record<string, string>, RegExp]> = [
  ["missing workflow_type_version", withoutField(runFields(), "workflow_type_version"), /workflow_type_version/],
  ["missing workflow_type", withoutField(runFields(), "workflow_type"), /workflow_type/],
  ["missing workflow_url", withoutField(runFields(), "workflow_url"), /workflow_url/],
  ["an unsupported workflow_type", runFields("1000001", { workflow_type: "PYTHON" }), /workflow_type.*PYTHON/],
  ["an unsupported workflow_type_version", runFields("1000001", { workflow_type_version: "0.9" }), /workflow_type_version.*0\.9/],
  ["workflow_params that is an array", runFields("1000001", { workflow_params: "[1]" }), /workflow_params.*object/],
  ["workflow_params that is a JSON string", runFields("1000001", { workflow_params: '"x"' }), /workflow_params.*object/],
  ["workflow_params that is a number", runFields("1000001", { workflow_params: "42" }), /workflow_params.*object/],
  // JSON null is an absent field (Toil, wes-client): no parameters, so the workflow's required one is missing.
  ["workflow_params that is null", runFields("1000001", { workflow_params: "null" }), /workflow_params is missing required parameter.*input_file/],
  ["workflow_params that is not JSON", runFields("1000001", { workflow_params: "{input_file: x}" }), /workflow_params.*JSON/],
  ["tags with a number value", runFields("1000001", { tags: '{"a": 1}' }), /tags\.a.*string/],
  ["tags with a null value", runFields("1000001", { tags: '{"a": null}' }), /tags\.a.*string/],
  ["tags that is an array", runFields("1000001", { tags: '["a"]' }), /tags.*object/],
  ["workflow_engine_version without workflow_engine", runFields("1000001", { workflow_engine_version: "1.0" }), /workflow_engine_version.*workflow_engine/],
  ["an engine that cannot run the type", runFields("1000001", { workflow_engine: "NEXTFLOW" }), /workflow_engine.*NEXTFLOW/],
  ["an unknown engine version", runFields("1000001", { workflow_engine: "WDL", workflow_engine_version: "9.9" }), /workflow_engine_version.*9\.9/],
  ["an http workflow_url to a private address", runFields("1000001", { workflow_url: "https://10.0.0.1/main.wdl" }), /private/],
  ["a relative attachment name as workflow_url without the file", runFields("1000001", { workflow_url: "main.wdl" }), /names no attached file/],
  ["a drs:// workflow_url", runFields("1000001", { workflow_url: "drs://example.org/x" }), /scheme/],
  ["a healthomics: URL with a non-numeric id", runFields("1000001", { workflow_url: "healthomics:abc" }), /healthomics:<workflow-id>/],
  ["an unknown engine parameter", runFields("1000001", { workflow_engine_parameters: '{"cpus": "4"}' }), /unknown parameter 'cpus'/],
  ["storageCapacity out of range", runFields("1000001", { workflow_engine_parameters: '{"storageCapacity": "100001"}' }), /storageCapacity/],
  ["a negative storageCapacity", runFields("1000001", { workflow_engine_parameters: '{"storageCapacity": "-1"}' }), /storageCapacity/],
  ["storageType not in its enum", runFields("1000001", { workflow_engine_parameters: '{"storageType": "FAST"}' }), /storageType/],
  ["an unknown form field", { ...runFields(), workflow_paramz: "{}" }, /workflow_paramz/],
];

/** JSON submissions that must be refused with 400. */
const badJson: Array<[string, string, RegExp]> = [
  ["a body that is an array", "[1]", /object/],
  ["a body that is not JSON", "{workflow_type: WDL", /JSON/],
  ["workflow_params [1]", JSON.stringify(jsonRun({ workflow_params: [1] })), /workflow_params.*object/],
  ['workflow_params "x"', JSON.stringify(jsonRun({ workflow_params: "x" })), /workflow_params/],
  ["a non-string tag", JSON.stringify(jsonRun({ tags: { ok: "yes", n: 2 } })), /tags\.n/],
  ["workflow_type a number", JSON.stringify(jsonRun({ workflow_type: 1 })), /workflow_type/],
  ["an engine parameter that is an object", JSON.stringify(jsonRun({ workflow_engine_parameters: { storageCapacity: { gb: 1 } } })), /storageCapacity/],
  ["an engine parameter out of range as a number", JSON.stringify(jsonRun({ workflow_engine_parameters: { storageCapacity: 1e9 } })), /storageCapacity/],
  ["workflow_attachment in a JSON body", JSON.stringify(jsonRun({ workflow_attachment: ["a"] })), /workflow_attachment/],
  ["an unknown field", JSON.stringify(jsonRun({ workflow_parameters: {} })), /workflow_parameters/],
];

describe("POST /runs refuses what it cannot run, saying why", () => {
  for (const [why, fields, message] of badMultipart) {
    it(`multipart with ${why} is 400`, async () => {
      const error = expectError(await call("POST", "/runs", { body: formOf(fields) }), 400);
      expect(error.msg).toMatch(message);
    });
  }
  for (const [why, body, message] of badJson) {
    it(`JSON with ${why} is 400`, async () => {
      const error = expectError(await call("POST", "/runs", { body, headers: JSON_HEADERS }), 400);
      expect(error.msg).toMatch(message);
    });
  }
});

describe("POST /runs limits", () => {
  it("a body over 1 MiB is 413", async () => {
    const filler = "x".repeat(1024 * 1024);
    const fields = runFields("1000001", { workflow_params: JSON.stringify({ input_file: "s3://b/k", filler }) });
    expectError(await call("POST", "/runs", { body: formOf(fields) }), 413);
    expectError(await call("POST", "/runs", { body: JSON.stringify(jsonRun({ workflow_params: { filler } })), headers: JSON_HEADERS }), 413);
  });

  it("a text/plain body is 415, and so is a body without a content type", async () => {
    const error = expectError(await call("POST", "/runs", { body: "workflow_type=WDL", headers: { "Content-Type": "text/plain" } }), 415);
    expect(error.msg).toMatch(/multipart\/form-data/);
    expectError(await call("POST", "/runs", { body: new TextEncoder().encode(JSON.stringify(jsonRun())) }), 415);
  });
});

describe("POST /runs accepts what real clients send", () => {
  it("a lower-case workflow_type `cwl` with version `1.2` (Toil)", async () => {
    const fields = runFields("1000003", { workflow_type: "cwl", workflow_type_version: "1.2" });
    const log = await readRun(await createRun("demo", fields));
    expect(String(log.request.workflow_type).toUpperCase()).toBe("CWL");
    expect(["1.2", "v1.2"]).toContain(log.request.workflow_type_version);
  });

  it("workflow_params sent as a file part (Dockstore)", async () => {
    const form = formOf(withoutField(runFields(), "workflow_params"));
    const params = JSON.stringify({ input_file: "s3://example-bucket/from-file.fastq" });
    form.append("workflow_params", new Blob([params], { type: "application/json" }), "params.json");
    form.append("tags", new Blob([JSON.stringify({ Client: "Dockstore" })], { type: "application/json" }), "tags.json");
    const { run_id } = expectOk<RunIdBody>(await call("POST", "/runs", { body: form }), "RunId");
    const log = await readRun(run_id);
    expect(log.request.workflow_params).toEqual({ input_file: "s3://example-bucket/from-file.fastq" });
    expect(log.request.tags).toEqual({ Client: "Dockstore" });
  });

  it("a JSON body with numeric engine parameters, echoed back as strings", async () => {
    const body = JSON.stringify(jsonRun({ workflow_engine_parameters: { storageCapacity: 1200, priority: 5, storageType: "STATIC" } }));
    const { run_id } = expectOk<RunIdBody>(await call("POST", "/runs", { body, headers: JSON_HEADERS }), "RunId");
    const log = await readRun(run_id); // RunLog validation already requires string values
    expect(log.request.workflow_engine_parameters).toEqual({ storageCapacity: "1200", priority: "5", storageType: "STATIC" });
  });

  it("the other documented workflow_url forms", async () => {
    for (const url of [
      "1000001",
      "omics://workflow/1000001",
      "arn:aws:omics:us-east-1:123456789012:workflow/1000001",
      "arn:aws:omics:us-east-1::workflow/9000001",
    ]) {
      const log = await readRun(await createRun("demo", runFields("1000001", { workflow_url: url })));
      expect(log.request.workflow_url).toBe(url);
    }
  });
});

describe("Idempotency-Key", () => {
  it("the same key and the same request return the same run", async () => {
    const key = randomUUID();
    const first = await createRun("demo", runFields(), { "Idempotency-Key": key });
    const second = await createRun("demo", runFields(), { "Idempotency-Key": key });
    expect(second).toBe(first);
    await discardRun("demo", first);
  });

  it("the same key with a different request is 409 and names the key", async () => {
    const key = randomUUID();
    await discardRun("demo", await createRun("demo", runFields(), { "Idempotency-Key": key }));
    const changed = runFields("1000001", { tags: JSON.stringify({ changed: "yes" }) });
    const error = expectError(await call("POST", "/runs", { body: formOf(changed), headers: { "Idempotency-Key": key } }), 409);
    expect(error.msg).toContain(key);
  });

  it("the same key from two users makes two runs (keys are per user)", async () => {
    const key = randomUUID();
    const demoRun = await createRun("demo", runFields(), { "Idempotency-Key": key });
    const guestRun = await createRun("guest", runFields(), { "Idempotency-Key": key });
    expect(guestRun).not.toBe(demoRun);
    expectError(await call("GET", `/runs/${encodeURIComponent(demoRun)}`, { user: "guest" }), 404);
    await discardRun("demo", demoRun);
    await discardRun("guest", guestRun);
  });

  it("a key that is not printable ASCII is 400", async () => {
    expectError(await call("POST", "/runs", { body: formOf(runFields()), headers: { "Idempotency-Key": "x".repeat(300) } }), 400);
  });
});

// Regression tests for bugs found by these tests (both fixed).
describe("attachments and run names", () => {
  it("stores a valid workflow_attachment (200), never a 500", async () => {
    // What wes-client sends, with a registered workflow: the workflow file attached by basename.
    const form = formOf(runFields());
    form.append("workflow_attachment", new Blob(["version 1.0\nworkflow w {}\n"], { type: "text/plain" }), "main.wdl");
    const answer = await call("POST", "/runs", { body: form });
    const { run_id } = expectOk<RunIdBody>(answer, "RunId");
    await readRun(run_id);
  });

  it("refuses up front (400) an engine parameter `name` HealthOmics would reject (control characters)", async () => {
    // HealthOmics RunName pattern [\p{L}\p{M}\p{Z}\p{S}\p{N}\p{P}]+ excludes control characters.
    for (const name of ["a\u0000b", "line\nbreak"]) {
      const fields = runFields("1000001", { workflow_engine_parameters: JSON.stringify({ name }) });
      const answer = await call("POST", "/runs", { body: formOf(fields) });
      if (answer.status === 200) await discardRun("demo", (answer.json as RunIdBody).run_id);
      expect(expectError(answer, 400).msg).toMatch(/name/);
    }
  });
});
