/** The StartRun request built from a stored run (deterministic, so retries send the same body). */
import { describe, expect, it } from "vitest";
import type { RunRow } from "../../src/db/schema";
import type { ExecutorSettings } from "../../src/executor-config";
import { runOutputPrefix, SERVICE_TAGS, startRunInput } from "../../src/executors/healthomics/run/start-input";
import { MAX_RUN_PARAMETERS_BYTES, parametersBytes, startRunProblems } from "../../src/executors/healthomics/submit/start-run-limits";

const SETTINGS: ExecutorSettings = {
  executor: "healthomics",
  region: "us-east-1",
  roleArn: "arn:aws:iam::123456789012:role/OmicsWorkflowRole",
  outputPrefix: "s3://wes-outputs/prefix/",
  credentials: { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "secret" },
  pollMinMs: 10_000,
  pollMaxMs: 300_000,
};

const RUN_ID = "0b6f3c4e-1a2b-4c3d-8e9f-001122334455";

function run(request: Record<string, unknown> = {}, extra: Partial<RunRow> = {}): RunRow {
  return {
    id: RUN_ID,
    owner: "demo",
    state: "QUEUED",
    request: {
      workflow_params: { input_file: "s3://in/sample.fastq" },
      workflow_type: "WDL",
      workflow_type_version: "1.0",
      tags: {},
      workflow_engine_parameters: {},
      workflow_url: "healthomics:1000001",
      ...request,
    },
    tags: {},
    createdAt: 1,
    updatedAt: 1,
    startTime: null,
    endTime: null,
    runName: null,
    exitCode: null,
    systemLogs: [],
    outputs: {},
    idempotencyKey: null,
    requestHash: "hash",
    cancelRequestedAt: null,
    canceledBy: null,
    submittedVia: null,
    omicsRunId: null,
    omicsRunUuid: null,
    omicsRunArn: null,
    omicsStatus: null,
    omicsFailureReason: null,
    omicsStatusMessage: null,
    omicsWorkflowType: null,
    sweptAt: null,
    ...extra,
  };
}

describe("startRunInput", () => {
  it("builds the minimal StartRun for a run", () => {
    expect(startRunInput(run(), SETTINGS)).toEqual({
      requestId: RUN_ID,
      workflowId: "1000001",
      roleArn: SETTINGS.roleArn,
      outputUri: `s3://wes-outputs/prefix/users/demo/runs/${RUN_ID}/`,
      name: `wes-${RUN_ID}`,
      parameters: { input_file: "s3://in/sample.fastq" },
      retentionMode: "REMOVE",
      tags: { "wes-run-id": RUN_ID, "wes-owner": "demo" },
    });
  });

  it("is deterministic: the same run gives the same request every attempt", () => {
    const row = run({ workflow_engine_parameters: { priority: "5" }, tags: { a: "b" } });
    expect(startRunInput(row, SETTINGS)).toEqual(startRunInput(row, SETTINGS));
  });

  it("writes each run under its own prefix, in its owner's folder", () => {
    expect(runOutputPrefix(SETTINGS, "demo", "abc")).toBe("s3://wes-outputs/prefix/users/demo/runs/abc/");
    expect(runOutputPrefix({ ...SETTINGS, outputPrefix: "s3://bucket/" }, "alice@example.org", "abc")).toBe("s3://bucket/users/alice@example.org/runs/abc/");
    expect(runOutputPrefix(SETTINGS, "..", "abc")).toBe("s3://wes-outputs/prefix/users/~2e2e/runs/abc/");
  });

  it("maps every engine parameter to its StartRun member", () => {
    const input = startRunInput(
      run({
        workflow_engine_parameters: {
          name: "my-run",
          storageType: "static",
          storageCapacity: "2400",
          priority: "10",
          runGroupId: "111",
          cacheId: "222",
          cacheBehavior: "CACHE_ON_FAILURE",
          logLevel: "error",
          retentionMode: "RETAIN",
          workflowVersionName: "v2",
          workflowOwnerId: "210987654321",
        },
      }),
      SETTINGS,
    );
    expect(input).toMatchObject({
      name: "my-run",
      storageType: "STATIC",
      storageCapacity: 2400,
      priority: 10,
      runGroupId: "111",
      cacheId: "222",
      cacheBehavior: "CACHE_ON_FAILURE",
      logLevel: "ERROR",
      retentionMode: "RETAIN",
      workflowVersionName: "v2",
      workflowOwnerId: "210987654321",
    });
    // Operator settings are never overridden by the caller.
    expect(input.roleArn).toBe(SETTINGS.roleArn);
    expect(input.outputUri).toBe(`s3://wes-outputs/prefix/users/demo/runs/${RUN_ID}/`);
  });

  it("sets no optional member that was not asked for", () => {
    const input = startRunInput(run(), SETTINGS) as unknown as Record<string, unknown>;
    for (const key of [
      "storageType",
      "storageCapacity",
      "priority",
      "runGroupId",
      "cacheId",
      "cacheBehavior",
      "logLevel",
      "workflowVersionName",
      "workflowOwnerId",
      "workflowType",
    ]) {
      expect(input).not.toHaveProperty(key);
    }
  });

  it("adds the service tags to the user's tags, and they win over user tags of the same name", () => {
    const input = startRunInput(run({ tags: { project: "p1", "wes-owner": "mallory", "wes-run-id": "fake" } }), SETTINGS);
    expect(input.tags).toEqual({ project: "p1", "wes-run-id": RUN_ID, "wes-owner": "demo" });
    expect([...SERVICE_TAGS]).toEqual(["wes-run-id", "wes-owner"]);
  });

  it("clips a long owner to the HealthOmics tag value limit", () => {
    const input = startRunInput(run({}, { owner: "o".repeat(300) }), SETTINGS);
    expect(input.tags?.["wes-owner"]).toHaveLength(256);
  });

  it("uses READY2RUN resolved at submit time for a bare id", () => {
    expect(startRunInput(run({ workflow_url: "9000001" }, { omicsWorkflowType: "READY2RUN" }), SETTINGS).workflowType).toBe("READY2RUN");
  });

  it("takes the workflow type from a Ready2Run ARN when submit time resolved nothing", () => {
    const input = startRunInput(run({ workflow_url: "arn:aws:omics:us-east-1::workflow/9000001" }), SETTINGS);
    expect(input.workflowId).toBe("9000001");
    expect(input.workflowType).toBe("READY2RUN");
  });

  it("prefers the submit-time type over the ARN's", () => {
    const input = startRunInput(run({ workflow_url: "arn:aws:omics:us-east-1:123456789012:workflow/5" }, { omicsWorkflowType: "READY2RUN" }), SETTINGS);
    expect(input.workflowType).toBe("READY2RUN");
  });

  // A version named by an ARN workflow_url (…/workflow/<id>/version/<name>) must reach StartRun.
  it("sends the workflow version named by an ARN workflow_url", () => {
    const input = startRunInput(run({ workflow_url: "arn:aws:omics:us-east-1:123456789012:workflow/1000001/version/v2" }), SETTINGS);
    expect(input.workflowVersionName).toBe("v2");
  });

  it("ignores a stored type that is neither PRIVATE nor READY2RUN", () => {
    expect(startRunInput(run({}, { omicsWorkflowType: "SHARED" }), SETTINGS)).not.toHaveProperty("workflowType");
  });

  it("passes workflow_params through unchanged", () => {
    const params = { input_file: "s3://in/x", nested: { list: [1, 2, { a: null }] }, flag: true };
    expect(startRunInput(run({ workflow_params: params }), SETTINGS).parameters).toEqual(params);
  });

  it("accepts a stored request without optional objects", () => {
    const row = run();
    delete (row.request as Record<string, unknown>).workflow_engine_parameters;
    delete (row.request as Record<string, unknown>).workflow_params;
    delete (row.request as Record<string, unknown>).tags;
    const input = startRunInput(row, SETTINGS);
    expect(input.parameters).toEqual({});
    expect(input.tags).toEqual({ "wes-run-id": RUN_ID, "wes-owner": "demo" });
  });

  it("refuses a stored run with an invalid workflow_url loudly", () => {
    expect(() => startRunInput(run({ workflow_url: "main.wdl" }), SETTINGS)).toThrow(/invalid workflow_url/);
  });
});

describe("what StartRun is known to refuse (the API model)", () => {
  it("parameters are measured as UTF-8 JSON bytes", () => {
    expect(parametersBytes({})).toBe(2);
    expect(parametersBytes({ a: "é" })).toBe('{"a":"é"}'.length + 1);
    expect(parametersBytes({ a: "🧬" })).toBe(12);
  });

  it("refuses parameters over 50,000 bytes, loudly, so a later rewrite cannot slip past", () => {
    const fits = run({ workflow_params: { input_file: "x".repeat(MAX_RUN_PARAMETERS_BYTES - 20) } });
    expect(parametersBytes((startRunInput(fits, SETTINGS).parameters ?? {}) as object)).toBe(MAX_RUN_PARAMETERS_BYTES - 3);
    const over = run({ workflow_params: { input_file: "é".repeat(MAX_RUN_PARAMETERS_BYTES / 2) } });
    expect(() => startRunInput(over, SETTINGS)).toThrow(/parameters are 50,0\d\d bytes of JSON; HealthOmics accepts at most 50,000/);
  });

  it("bounds the owner's folder, so the output URI stays within the model's 750 characters", () => {
    const input = startRunInput(run({}, { owner: "é".repeat(256) }), SETTINGS);
    expect(input.outputUri.length).toBeLessThanOrEqual(750);
    expect(startRunProblems(input)).toEqual([]);
  });

  it("names each model constraint a StartRun would break", () => {
    const input = startRunInput(run(), SETTINGS);
    expect(startRunProblems(input)).toEqual([]);
    expect(startRunProblems({ ...input, outputUri: `s3://b/${"x".repeat(750)}` })).toEqual([expect.stringMatching(/outputUri is 757 characters; at most 750/)]);
    expect(startRunProblems({ ...input, outputUri: "s3://b/\u0000/" })).toEqual([expect.stringMatching(/outputUri has characters/)]);
    expect(startRunProblems({ ...input, name: "n".repeat(129) })).toEqual([expect.stringMatching(/name is 129 characters; at most 128/)]);
    expect(startRunProblems({ ...input, roleArn: "role" })).toEqual([expect.stringMatching(/roleArn/)]);
    expect(startRunProblems({ ...input, workflowId: "abc" })).toEqual([expect.stringMatching(/workflowId/)]);
    const tags = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, "v"]));
    expect(startRunProblems({ ...input, tags })).toEqual([expect.stringMatching(/51 tags; at most 50/)]);
    expect(startRunProblems({ ...input, tags: { k: "v".repeat(257) } })).toEqual([expect.stringMatching(/tag 'k' has a value of 257 characters/)]);
  });
});
